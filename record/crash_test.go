package record

import (
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relayhttp/relay/middleware"
)

// fake answers every request with a fixed body, so that the crash tests
// need no server.
var fake = middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"text/plain"}}, Body: io.NopCloser(strings.NewReader(strings.Repeat("x", 4096))),
		ContentLength: 4096, Request: req}, nil
})

// recordOne records a GET of u into a recorder of path and returns it,
// not closed.
func recordOne(t testing.TB, path, u string) *Recorder {
	t.Helper()
	r, err := Open(path, Record)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", u, nil)
	resp, err := r.Middleware()(fake).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return r
}

// failingFile is a temporary file whose writes fail, or end the process,
// after limit bytes.
type failingFile struct {
	*os.File
	limit int
	exit  bool
}

func (f *failingFile) Write(p []byte) (int, error) {
	if len(p) > f.limit {
		n, _ := f.File.Write(p[:f.limit])
		_ = f.File.Sync()
		if f.exit {
			os.Exit(3) // a crash: no deferred cleanup, no rename
		}
		f.limit = 0
		return n, errors.New("disk full")
	}
	f.limit -= len(p)
	return f.File.Write(p)
}

func failAfter(limit int, exit bool) createTemp {
	return func(dir, pattern string) (tempFile, error) {
		f, err := os.CreateTemp(dir, pattern)
		if err != nil {
			return nil, err
		}
		return &failingFile{File: f, limit: limit, exit: exit}, nil
	}
}

// TestWriteFailureKeepsOldFile: a write that fails part way leaves the
// previous cassette byte for byte and no temporary file.
func TestWriteFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.har")
	if err := recordOne(t, path, "http://old.test/").Close(); err != nil {
		t.Fatal(err)
	}
	old, _ := os.ReadFile(path)
	r := recordOne(t, path, "http://new.test/")
	r.create = failAfter(300, false)
	if err := r.Close(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Close = %v, want the write's error", err)
	}
	if now, _ := os.ReadFile(path); string(now) != string(old) {
		t.Error("a failed write changed the cassette")
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "*.tmp-*")); len(names) != 0 {
		t.Errorf("temporary files left: %v", names)
	}
}

// TestCrashMidWriteKeepsOldFile ends a child process in the middle of
// writing a cassette (os.Exit from inside a write: nothing deferred runs)
// and checks that the previous file is whole and still replays, and that
// the temporary file the crash left does not disturb the next write.
func TestCrashMidWriteKeepsOldFile(t *testing.T) {
	if path := os.Getenv("RELAY_RECORD_CRASH_PATH"); path != "" {
		r := recordOne(t, path, "http://new.test/")
		r.create = failAfter(500, true)
		_ = r.Close()
		t.Fatal("the child did not crash")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "c.har")
	if err := recordOne(t, path, "http://old.test/").Close(); err != nil {
		t.Fatal(err)
	}
	old, _ := os.ReadFile(path)

	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashMidWriteKeepsOldFile$", "-test.count=1")
	cmd.Env = append(os.Environ(), "RELAY_RECORD_CRASH_PATH="+path)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("child: %v, want exit status 3; output:\n%s", err, out)
	}
	if now, _ := os.ReadFile(path); string(now) != string(old) {
		t.Fatal("the crash changed the cassette")
	}
	temps, _ := filepath.Glob(filepath.Join(dir, "c.har.tmp-*"))
	if len(temps) != 1 {
		t.Fatalf("temporary files after the crash: %v, want the one it was writing", temps)
	}
	if b, _ := os.ReadFile(temps[0]); len(b) != 500 {
		t.Errorf("the crash left %d bytes in the temporary file, want 500", len(b))
	}

	replay, err := Open(path, Replay)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", "http://old.test/", nil)
	resp, err := replay.Middleware()(nil).RoundTrip(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("replay of the kept file: %v", err)
	}
	resp.Body.Close()
	if err := recordOne(t, path, "http://next.test/").Close(); err != nil {
		t.Fatalf("writing after a crash: %v", err)
	}
}
