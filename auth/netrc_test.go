package auth_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/relayhttp/relay/auth"
)

func writeFile(t *testing.T, path, data string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // umask-independent
		t.Fatal(err)
	}
}

func TestNetrcFiles(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("NETRC", "")

	// No file: no credentials, no error.
	f, err := auth.Netrc("")
	if err != nil || len(f.Entries()) != 0 {
		t.Fatalf("missing file: %v, %v", f.Entries(), err)
	}
	if got, want := auth.NetrcPath(), filepath.Join(dir, ".netrc"); got != want {
		t.Errorf("NetrcPath() = %s, want %s", got, want)
	}
	// _netrc when it is the only one, as Requests looks for both.
	writeFile(t, filepath.Join(dir, "_netrc"), "machine w login u password p", 0o600)
	if got, want := auth.NetrcPath(), filepath.Join(dir, "_netrc"); got != want {
		t.Errorf("NetrcPath() = %s, want %s", got, want)
	}
	writeFile(t, filepath.Join(dir, ".netrc"), "machine h login u password p", 0o600)
	f, err = auth.Netrc("")
	if err != nil || f.Path != filepath.Join(dir, ".netrc") || f.Exposed {
		t.Fatalf("Netrc: %+v, %v", f, err)
	}
	if _, ok := f.Lookup("h"); !ok {
		t.Error("no entry for h")
	}
	// NETRC wins, with ~/ expanded.
	writeFile(t, filepath.Join(dir, "other"), "machine o login u password p", 0o644)
	t.Setenv("NETRC", "~/other")
	f, err = auth.Netrc("")
	if err != nil || f.Path != filepath.Join(dir, "other") || !f.Exposed {
		t.Fatalf("Netrc with NETRC: %+v, %v", f, err)
	}
	// Errors name the path and line, not the contents.
	writeFile(t, filepath.Join(dir, "bad"), "machine h password \"s3cret", 0o600)
	if _, err := auth.Netrc(filepath.Join(dir, "bad")); err == nil || !strings.Contains(err.Error(), "bad: line 1") || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("err = %v", err)
	}
	writeFile(t, filepath.Join(dir, "big"), strings.Repeat("#", auth.MaxNetrcSize+1), 0o600)
	if _, err := auth.Netrc(filepath.Join(dir, "big")); err == nil {
		t.Error("a file over MaxNetrcSize was read")
	}
}

func TestNetrcSourceWarnsOnce(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "netrc")
	writeFile(t, path, "machine h login u password s3cret", 0o644)
	core, logs := observer.New(zapcore.WarnLevel)
	src := auth.NetrcSource(path, zap.New(core))
	for range 3 {
		f, err := src()
		if err != nil || len(f.Entries()) != 1 {
			t.Fatalf("%v %v", f, err)
		}
	}
	if logs.Len() != 1 {
		t.Fatalf("%d warnings, want 1", logs.Len())
	}
	entry := logs.All()[0]
	if entry.ContextMap()["path"] != path || strings.Contains(fmt.Sprint(entry), "s3cret") {
		t.Errorf("warning %+v", entry)
	}
	// A private file is not warned about; the file is read once.
	writeFile(t, path, "machine h login u password p", 0o600)
	core, logs = observer.New(zapcore.WarnLevel)
	src = auth.NetrcSource(path, zap.New(core))
	src()
	os.Remove(path)
	if f, _ := src(); len(f.Entries()) != 1 || logs.Len() != 0 {
		t.Errorf("entries %v, %d warnings", f.Entries(), logs.Len())
	}
	if f, err := auth.NetrcSource(path, nil)(); err != nil || len(f.Entries()) != 0 {
		t.Errorf("missing file: %v %v", f, err)
	}
}
