//go:build unix

package cookiejar

import (
	"os"
	"path/filepath"
	"testing"
)

// Tests of Unix file semantics: symbolic links and permission bits.

func TestSaveRefusesSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.json")
	if err := os.WriteFile(target, []byte("not a jar"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "jar.json")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := fullJar(t).Save(link, nil); err == nil {
		t.Error("Save replaced a symbolic link")
	}
	if b, _ := os.ReadFile(target); string(b) != "not a jar" {
		t.Error("the link's target changed")
	}
}

func TestSaveMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jar.json")
	if err := os.WriteFile(path, []byte(`{"format":"relay-cookiejar","version":1,"cookies":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := fullJar(t).save(path, nil, tNow); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
}
