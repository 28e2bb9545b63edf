package cache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"
)

// Dir returns a Store that keeps its entries and values in files under the
// directory path (created with mode 0700 if missing), at most maxBytes of
// them, the least recently used removed first. maxBytes <= 0 means 1 GiB.
// Several processes may share one directory, and several Dir stores in one
// process too.
//
// Each key is one file, named by the SHA-256 of the key, in two levels of
// folders (path/ab/cd/abcd…), mode 0600. An entry is written to a temporary
// file in its folder, flushed to disk, and renamed over its name on Commit,
// so a crash never leaves a torn entry, and a reader that opened the old
// file goes on reading it whole. A file that is not whole (a disk error, an
// edit) is treated as missing and removed. Expired files are removed when
// they are next read, and by the scans below.
//
// Update and the other writes to a key are serialised across processes by
// flock(2) locks on files in path/locks. flock was chosen over lock files
// created with O_EXCL because the kernel releases it when its process
// dies: there is no stale lock to detect, and detecting one (by age, by a
// process id) cannot tell a slow holder from a dead one, which breaks the
// atomicity Update promises. Dir therefore works on Linux, macOS and the
// BSDs, on local file systems (and on NFS only where flock is emulated by
// NFS locks, as Linux does); elsewhere it returns an error. Windows also
// refuses to rename over a file that a reader holds open.
//
// The size of the directory (the key files, headers included) is kept in a
// counter file that every writer updates. When a write takes it over
// maxBytes, or a day after the last scan, the writer scans the directory:
// it removes expired and corrupt files and temporary files that no live
// writer holds (a crashed writer's), then, if still over, the least
// recently used files down to seven eighths of maxBytes. Reads keep a
// file's modification time as its last use (to the second).
func Dir(path string, maxBytes int64) (Store, error) {
	if !dirSupported {
		return nil, fmt.Errorf("cache: Dir: %w on %s", errNoFlockHere, runtime.GOOS)
	}
	if path == "" {
		return nil, errors.New("cache: Dir: empty path")
	}
	if maxBytes <= 0 {
		maxBytes = 1 << 30
	}
	if err := os.MkdirAll(filepath.Join(path, "locks"), 0o700); err != nil {
		return nil, fmt.Errorf("cache: Dir: %w", err)
	}
	return &dir{root: path, max: maxBytes, now: time.Now}, nil
}

// errNoFlockHere is the error of Dir on a system without flock.
var errNoFlockHere = errors.New("flock(2) file locks are not available")

const (
	// touchEvery is how stale a file's modification time must be before a
	// read updates it: LRU order is kept to the second, and a hot entry
	// costs no metadata write per read.
	touchEvery = time.Second
	// scanEvery is how often a scan runs even when the size is within
	// bounds, so leftover temporary files and expired entries go.
	scanEvery = 24 * time.Hour
	// tempGrace is how old an unlocked temporary file must be before a scan
	// removes it: a writer locks its file right after creating it.
	tempGrace = time.Minute
)

type dir struct {
	root    string
	max     int64
	now     func() time.Time
	stripes [256]sync.Mutex // in front of the flock of each locks/xx file
	sizeMu  sync.Mutex      // in front of the flock of the size file
}

// name returns the hex SHA-256 of key, which names its file.
func name(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// pathOf returns the file of the key whose name is n.
func (d *dir) pathOf(n string) string { return filepath.Join(d.root, n[:2], n[2:4], n) }

// lock takes the lock of the stripe of keys whose names start as n does,
// in this process and across processes, and returns its release.
func (d *dir) lock(n string) (unlock func(), err error) {
	mu := &d.stripes[stripeOf(n)]
	mu.Lock()
	f, err := os.OpenFile(filepath.Join(d.root, "locks", n[:2]), os.O_RDWR|os.O_CREATE, 0o600)
	if err == nil {
		if err = flock(f); err != nil {
			f.Close()
		}
	}
	if err != nil {
		mu.Unlock()
		return nil, fmt.Errorf("cache: locking %s: %w", n[:2], err)
	}
	return func() { f.Close(); mu.Unlock() }, nil
}

func stripeOf(n string) int {
	b, _ := hex.DecodeString(n[:2])
	return int(b[0])
}

// readFile opens the file of name n and checks its header and metadata.
// It returns ErrNotFound for a missing file, errCorrupt (with the file's
// info) for a corrupt one and errNewerFormat for a newer one, without
// removing anything: its callers may hold the lock of n, or not. The caller
// closes f.
func (d *dir) readFile(n string) (f *os.File, fi fs.FileInfo, h *fileHeader, meta []byte, err error) {
	f, err = os.Open(d.pathOf(n))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("cache: %w", err)
	}
	if fi, err = f.Stat(); err == nil {
		h, meta, err = readHead(f, fi.Size())
	}
	if err != nil {
		f.Close()
		if !errors.Is(err, errCorrupt) && !errors.Is(err, errNewerFormat) {
			err = fmt.Errorf("cache: %w", err)
		}
		return nil, fi, nil, nil, err
	}
	return f, fi, h, meta, nil
}

// openFile is readFile for a caller without the lock: a corrupt file is
// removed, and it and a newer-format file are ErrNotFound.
func (d *dir) openFile(n string) (*os.File, fs.FileInfo, *fileHeader, []byte, error) {
	f, fi, h, meta, err := d.readFile(n)
	switch {
	case errors.Is(err, errCorrupt):
		d.removeIfSame(n, fi, true)
		return nil, nil, nil, nil, ErrNotFound
	case errors.Is(err, errNewerFormat):
		return nil, nil, nil, nil, ErrNotFound
	}
	return f, fi, h, meta, err
}

// live checks that the opened file is of kind and unexpired; an expired
// one is removed.
func (d *dir) live(n string, fi fs.FileInfo, h *fileHeader, kind byte) bool {
	if !d.now().Before(h.expires) {
		d.removeIfSame(n, fi, true)
		return false
	}
	return h.kind == kind
}

// removeIfSame removes the file of name n if it still is the file fi
// describes (no writer has replaced it since), and if account counts it out
// of the size. Errors are dropped: the next reader or scan tries again.
func (d *dir) removeIfSame(n string, fi fs.FileInfo, account bool) bool {
	unlock, err := d.lock(n)
	if err != nil {
		return false
	}
	defer unlock()
	p := d.pathOf(n)
	cur, err := os.Lstat(p)
	if err != nil || !os.SameFile(cur, fi) || !cur.ModTime().Equal(fi.ModTime()) || cur.Size() != fi.Size() {
		return false
	}
	if os.Remove(p) != nil {
		return false
	}
	if account {
		d.addSize(-cur.Size())
	}
	return true
}

// touch records a read of the file as its last use.
func (d *dir) touch(n string, fi fs.FileInfo) {
	now := d.now()
	if now.Sub(fi.ModTime()) >= touchEvery {
		_ = os.Chtimes(d.pathOf(n), now, now) // it may have been replaced or removed: no matter
	}
}

func (d *dir) Open(_ context.Context, key string) ([]byte, io.ReadCloser, error) {
	n := name(key)
	f, fi, h, meta, err := d.openFile(n)
	if err != nil {
		return nil, nil, err
	}
	if !d.live(n, fi, h, kindEntry) {
		f.Close()
		return nil, nil, ErrNotFound
	}
	d.touch(n, fi)
	return meta, newDirBody(f, h, func() { d.removeIfSame(n, fi, true) }), nil
}

func (d *dir) Load(_ context.Context, key string) ([]byte, error) {
	n := name(key)
	f, fi, h, v, err := d.openFile(n)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if !d.live(n, fi, h, kindValue) {
		return nil, ErrNotFound
	}
	d.touch(n, fi)
	return v, nil
}

func (d *dir) Delete(_ context.Context, key string) error { return d.deleteName(name(key)) }

func (d *dir) deleteName(n string) error {
	unlock, err := d.lock(n)
	if err != nil {
		return err
	}
	delta, err := d.removeLocked(n)
	unlock()
	if err != nil {
		return fmt.Errorf("cache: deleting: %w", err)
	}
	if delta != 0 {
		d.addSize(delta)
	}
	return nil
}
