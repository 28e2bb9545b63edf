//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package cache

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// testClock is a clock that tests move.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newTestDir returns a Dir store at root on a clock that starts now.
func newTestDir(t *testing.T, root string, maxBytes int64) (*dir, *testClock) {
	t.Helper()
	s, err := Dir(root, maxBytes)
	if err != nil {
		t.Fatal(err)
	}
	c := &testClock{t: time.Now()}
	d := s.(*dir)
	d.now = c.now
	return d, c
}

func putEntry(t *testing.T, s Store, key, meta, body string, ttl time.Duration) {
	t.Helper()
	w, err := s.Create(context.Background(), key, []byte(meta), ttl)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, body); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

// readEntry returns the entry's meta and body, or the error of Open or of
// reading the body.
func readEntry(s Store, key string) (meta, body string, err error) {
	m, rc, err := s.Open(context.Background(), key)
	if err != nil {
		return "", "", err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	return string(m), string(b), err
}

// keyFiles returns the key files under root with their sizes.
func keyFiles(t *testing.T, root string) map[string]int64 {
	t.Helper()
	files := make(map[string]int64)
	d := &dir{root: root}
	d.walk(func(folder, nm string, temp bool) {
		if fi, err := os.Stat(filepath.Join(folder, nm)); err == nil && !temp {
			files[nm] = fi.Size()
		}
	})
	return files
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// TestDirIsBounded: the files never add up to more than maxBytes after a
// write, the least recently used go first (a read counts as a use), and
// an entry larger than the whole store is not stored.
func TestDirIsBounded(t *testing.T) {
	root := t.TempDir()
	const max = 64 << 10
	d, clock := newTestDir(t, root, max)
	body := strings.Repeat("x", 10<<10)
	keys := []string{"a", "b", "c", "d", "e", "f"} // 6 × 10 KiB: fits
	for _, k := range keys {
		putEntry(t, d, k, "m", body, time.Hour)
		clock.advance(time.Minute)
	}
	if _, _, err := readEntry(d, "a"); err != nil { // a becomes the most recent
		t.Fatal(err)
	}
	clock.advance(time.Minute)
	putEntry(t, d, "g", "m", body, time.Hour) // 70 KiB: over, down to 56 KiB
	var total int64
	for _, size := range keyFiles(t, root) {
		total += size
	}
	if total > max-max/8 {
		t.Errorf("after the scan the files add up to %d bytes, more than %d", total, max-max/8)
	}
	for k, want := range map[string]bool{"a": true, "b": false, "c": false, "d": true, "e": true, "f": true, "g": true} {
		if got := exists(d.pathOf(name(k))); got != want {
			t.Errorf("%s present = %v, want %v (least recently used first)", k, got, want)
		}
	}
	counted, _, _ := d.counter(func(n int64, l time.Time) (int64, time.Time) { return n, l })
	if counted != total {
		t.Errorf("the size file counts %d bytes, the files add up to %d", counted, total)
	}

	// A second store on the directory, as another process, counts the same.
	other, _ := newTestDir(t, root, max)
	other.now = clock.now
	for _, k := range []string{"h", "i", "j"} {
		clock.advance(time.Minute)
		putEntry(t, other, k, "m", body, time.Hour)
		total = 0
		for _, size := range keyFiles(t, root) {
			total += size
		}
		if total > max {
			t.Errorf("after %s the files add up to %d bytes, more than %d", k, total, max)
		}
	}

	w, _ := d.Create(context.Background(), "j", []byte("m"), time.Hour)
	_, _ = io.WriteString(w, strings.Repeat("y", max))
	if err := w.Commit(); !errors.Is(err, errTooLarge) {
		t.Errorf("committing an entry larger than the store: %v, want errTooLarge", err)
	}
	if _, _, err := readEntry(d, "j"); !errors.Is(err, ErrNotFound) {
		t.Errorf("j after a replacement too large to store: %v, want ErrNotFound (the old one is outdated)", err)
	}
	if m, _ := filepath.Glob(filepath.Join(root, "*", "*", ".*")); len(m) != 0 {
		t.Errorf("temporary files left: %q", m)
	}
}

// TestDirExpiredRemoved: an expired entry or value is missing and its file
// goes when it is read, or at the next scan if never read again.
func TestDirExpiredRemoved(t *testing.T) {
	root := t.TempDir()
	d, clock := newTestDir(t, root, 1<<20)
	ctx := context.Background()
	putEntry(t, d, "read", "m", "b", time.Minute)
	putEntry(t, d, "unread", "m", "b", time.Minute)
	putEntry(t, d, "lasting", "m", "b", time.Hour)
	if err := d.Update(ctx, "value", time.Minute, func([]byte) []byte { return []byte("v") }); err != nil {
		t.Fatal(err)
	}
	clock.advance(2 * time.Minute)
	if _, _, err := readEntry(d, "read"); !errors.Is(err, ErrNotFound) {
		t.Errorf("expired entry: %v, want ErrNotFound", err)
	}
	if _, err := d.Load(ctx, "value"); !errors.Is(err, ErrNotFound) {
		t.Errorf("expired value: %v, want ErrNotFound", err)
	}
	if err := d.SetMeta(ctx, "unread", []byte("m2"), time.Hour); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetMeta of an expired entry: %v, want ErrNotFound", err)
	}
	for _, k := range []string{"read", "value", "unread"} {
		if exists(d.pathOf(name(k))) {
			t.Errorf("the file of expired %s is still there after a read", k)
		}
	}
	putEntry(t, d, "unread2", "m", "b", time.Minute)
	clock.advance(2 * time.Minute)
	d.scan()
	if exists(d.pathOf(name("unread2"))) {
		t.Error("the scan left an expired file")
	}
	if _, _, err := readEntry(d, "lasting"); err != nil {
		t.Errorf("the scan removed a live entry: %v", err)
	}
}

// TestDirReaderKeepsItsFile: a body being read stays whole when its entry
// is replaced, deleted or evicted meanwhile.
func TestDirReaderKeepsItsFile(t *testing.T) {
	d, _ := newTestDir(t, t.TempDir(), 1<<20)
	old := strings.Repeat("old ", 64<<10)
	for _, change := range []func(){
		func() { putEntry(t, d, "k", "new", "new body", time.Hour) },
		func() { _ = d.Delete(context.Background(), "k") },
	} {
		putEntry(t, d, "k", "m", old, time.Hour)
		_, rc, err := d.Open(context.Background(), "k")
		if err != nil {
			t.Fatal(err)
		}
		head := make([]byte, 10)
		if _, err := io.ReadFull(rc, head); err != nil {
			t.Fatal(err)
		}
		change()
		rest, err := io.ReadAll(rc)
		rc.Close()
		if got := string(head) + string(rest); err != nil || got != old {
			t.Errorf("read %d bytes, %v, of a body replaced meanwhile; want the old %d", len(got), err, len(old))
		}
	}
}

// TestDirForeignFilesLeftAlone: a scan removes only relay's files, even
// when the directory holds others.
func TestDirForeignFilesLeftAlone(t *testing.T) {
	root := t.TempDir()
	d, _ := newTestDir(t, root, 4<<10)
	foreign := []string{
		filepath.Join(root, "notes.txt"),
		filepath.Join(root, "ab", "cd", "abcd"),
		filepath.Join(root, "ab", "cd", strings.Repeat("0", 64)), // a key name in the wrong folder
		filepath.Join(root, "ab", "cd", ".x.tmp-1"),
	}
	for _, p := range foreign {
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.Repeat("z", 8<<10)), 0o600); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-time.Hour)
		_ = os.Chtimes(p, old, old)
	}
	putEntry(t, d, "k", "m", strings.Repeat("b", 3<<10), time.Hour)
	d.scan()
	for _, p := range foreign {
		if !exists(p) {
			t.Errorf("the scan removed %s, which is not the store's", p)
		}
	}
	if !exists(d.pathOf(name("k"))) {
		t.Error("the scan removed an entry within the bound: it counted the foreign files")
	}
}

func TestDirScanCorrectsTheCount(t *testing.T) {
	root := t.TempDir()
	d, clock := newTestDir(t, root, 1<<20)
	putEntry(t, d, "a", "m", "body", time.Hour)
	d.counter(func(int64, time.Time) (int64, time.Time) { return 12345, clock.now() }) // drift
	clock.advance(scanEvery)
	putEntry(t, d, "b", "m", "body", time.Hour) // a day after the last scan: scans
	var want int64
	for _, size := range keyFiles(t, root) {
		want += size
	}
	if got, _, _ := d.counter(func(n int64, l time.Time) (int64, time.Time) { return n, l }); got != want {
		t.Errorf("after the daily scan the count is %d, the files add up to %d", got, want)
	}
	_ = os.WriteFile(filepath.Join(root, sizeFile), []byte("garbage"), 0o600)
	putEntry(t, d, "c", "m", "body", time.Hour) // an unreadable count: scans
	want = 0
	for _, size := range keyFiles(t, root) {
		want += size
	}
	if got, _, _ := d.counter(func(n int64, l time.Time) (int64, time.Time) { return n, l }); got != want {
		t.Errorf("after a corrupt size file the count is %d, the files add up to %d", got, want)
	}
}
