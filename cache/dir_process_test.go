//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package cache

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The tests below run this test binary again as other processes sharing a
// directory: childEnv says what the child does, rootEnv where.
const (
	childEnv = "RELAY_CACHE_TEST_CHILD"
	rootEnv  = "RELAY_CACHE_TEST_ROOT"
)

// startChild starts this test binary running test alone, as a child doing
// mode on the directory root. The child says "ready" on its standard output
// when it is, and goes on when its standard input is closed.
func startChild(t *testing.T, test, mode, root string) (cmd *exec.Cmd, stdin io.WriteCloser, stderr *bytes.Buffer) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command(exe, "-test.run=^"+test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, rootEnv+"="+root)
	stderr = new(bytes.Buffer)
	cmd.Stderr = stderr
	stdin, err = cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if line != "ready\n" {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("child %s: said %q (%v), want ready; its stderr:\n%s", mode, line, err, stderr)
	}
	return cmd, stdin, stderr
}

// childReady tells the parent that the child is ready, and waits for it to
// close the child's standard input.
func childReady() {
	fmt.Println("ready")
	_, _ = io.Copy(io.Discard, os.Stdin)
}

const updatesPerProcess = 40

func increment(old []byte) []byte {
	n, _ := strconv.Atoi(string(old))
	return []byte(strconv.Itoa(n + 1))
}

// TestDirUpdateAcrossProcesses: processes incrementing one counter at once
// through their own stores on one directory lose no increment.
func TestDirUpdateAcrossProcesses(t *testing.T) {
	if os.Getenv(childEnv) == "update" {
		s, err := Dir(os.Getenv(rootEnv), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		childReady()
		for range updatesPerProcess {
			if err := s.Update(context.Background(), "counter", time.Hour, increment); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	root := t.TempDir()
	const children = 3
	type proc struct {
		cmd    *exec.Cmd
		stdin  io.WriteCloser
		stderr *bytes.Buffer
	}
	var procs []proc
	for range children {
		cmd, stdin, stderr := startChild(t, "TestDirUpdateAcrossProcesses", "update", root)
		procs = append(procs, proc{cmd, stdin, stderr})
	}
	d, _ := newTestDir(t, root, 1<<20)
	for _, p := range procs { // all ready: go
		p.stdin.Close()
	}
	var wg sync.WaitGroup
	wg.Go(func() { // and this process too, from two goroutines
		for range updatesPerProcess {
			if err := d.Update(context.Background(), "counter", time.Hour, increment); err != nil {
				t.Error(err)
				return
			}
		}
	})
	for range updatesPerProcess {
		if err := d.Update(context.Background(), "counter", time.Hour, increment); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	for i, p := range procs {
		if err := p.cmd.Wait(); err != nil {
			t.Errorf("child %d: %v; its stderr:\n%s", i, err, p.stderr)
		}
	}
	v, err := d.Load(context.Background(), "counter")
	if want := strconv.Itoa((children + 2) * updatesPerProcess); string(v) != want || err != nil {
		t.Errorf("counter = %q, %v; want %s: an Update of another process interleaved", v, err, want)
	}
}

// TestDirCrashMidWrite: a process killed while writing an entry leaves its
// temporary file, which readers ignore (the old entry stays whole) and the
// next scan removes, while a live writer's is never removed.
func TestDirCrashMidWrite(t *testing.T) {
	if os.Getenv(childEnv) == "crash" {
		s, err := Dir(os.Getenv(rootEnv), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		w, err := s.Create(context.Background(), "k", []byte("new"), time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.WriteString(w, strings.Repeat("new body ", 10<<10))
		childReady() // killed while waiting
		t.Fatal("the child was not killed")
	}
	root := t.TempDir()
	d, clock := newTestDir(t, root, 1<<20)
	old := strings.Repeat("old body ", 1000)
	putEntry(t, d, "k", "old", old, time.Hour)
	cmd, stdin, _ := startChild(t, "TestDirCrashMidWrite", "crash", root)
	defer stdin.Close()
	temps, _ := filepath.Glob(filepath.Join(root, "*", "*", ".*.tmp-*"))
	if len(temps) != 1 {
		t.Fatalf("temporary files while the child writes: %q, want one", temps)
	}
	clock.advance(2 * tempGrace)
	d.scan()
	if !exists(temps[0]) {
		t.Fatal("a scan removed the temporary file of a live writer")
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if !exists(temps[0]) {
		t.Fatal("no temporary file left by the crash: the test proves nothing")
	}
	if m, b, err := readEntry(d, "k"); m != "old" || b != old || err != nil {
		t.Errorf("after the crash: %q, %d bytes, %v; want the old entry whole", m, len(b), err)
	}
	d.scan()
	if exists(temps[0]) {
		t.Error("the scan left the temporary file of a crashed writer")
	}
	if m, b, err := readEntry(d, "k"); m != "old" || b != old || err != nil {
		t.Errorf("after the scan: %q, %d bytes, %v; want the old entry whole", m, len(b), err)
	}
	putEntry(t, d, "k", "newer", "body", time.Hour)
	if m, _, err := readEntry(d, "k"); m != "newer" || err != nil {
		t.Errorf("a write after the crash: %q, %v", m, err)
	}
}
