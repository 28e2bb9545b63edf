package cache

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

func (d *dir) Create(_ context.Context, key string, meta []byte, ttl time.Duration) (EntryWriter, error) {
	if len(meta) > maxMeta {
		return nil, fmt.Errorf("cache: metadata of %d bytes, more than %d", len(meta), maxMeta)
	}
	n := name(key)
	f, err := d.createTemp(n)
	if err != nil {
		return nil, err
	}
	w := &dirWriter{d: d, n: n, f: f, buf: bufio.NewWriterSize(f, 32<<10), meta: bytes.Clone(meta), ttl: ttl}
	// The header is written at Commit, when the body's length and CRC are
	// known; until then the file is not whole, and not under its name.
	_, _ = w.buf.Write(make([]byte, headerSize))
	_, _ = w.buf.Write(w.meta)
	return w, nil
}

// createTemp creates a temporary file beside the file of name n, locked for
// as long as it is open, so that no scan takes it for a crashed writer's.
func (d *dir) createTemp(n string) (*os.File, error) {
	folder := filepath.Dir(d.pathOf(n))
	if err := os.MkdirAll(folder, 0o700); err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	f, err := os.CreateTemp(folder, "."+n+".tmp-*") // mode 0600
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	if err := flock(f); err != nil {
		discard(f)
		return nil, fmt.Errorf("cache: %w", err)
	}
	return f, nil
}

// discard closes and removes a temporary file.
func discard(f *os.File) {
	f.Close()
	_ = os.Remove(f.Name())
}

// install flushes the finished temporary file f to disk and renames it over
// the file of name n; the caller holds the lock of n. It returns how much
// the size of the store changed. The file's modification time, its last
// use, is set by the store's clock.
func (d *dir) install(n string, f *os.File) (delta int64, err error) {
	if err := f.Sync(); err != nil {
		return 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	now := d.now()
	if err := os.Chtimes(f.Name(), now, now); err != nil {
		return 0, err
	}
	p := d.pathOf(n)
	var old int64
	if ofi, err := os.Lstat(p); err == nil {
		old = ofi.Size()
	}
	if err := os.Rename(f.Name(), p); err != nil {
		return 0, err
	}
	return fi.Size() - old, nil
}

// installed finishes an install outside the lock: it closes f, flushes the
// folder so that the rename survives a crash, counts the size, and scans if
// that is due.
func (d *dir) installed(n string, f *os.File, delta int64) error {
	f.Close()
	err := syncDir(filepath.Dir(d.pathOf(n)))
	if d.addSize(delta) {
		d.scan()
	}
	return err
}

// removeLocked removes the file of name n, whose lock the caller holds,
// and returns how much the size changed.
func (d *dir) removeLocked(n string) (int64, error) {
	fi, err := os.Lstat(d.pathOf(n))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err == nil {
		err = os.Remove(d.pathOf(n))
	}
	if err != nil {
		return 0, err
	}
	return -fi.Size(), nil
}

// dirWriter writes an entry to its temporary file.
type dirWriter struct {
	d    *dir
	n    string
	f    *os.File // nil once discarded
	buf  *bufio.Writer
	meta []byte
	ttl  time.Duration
	size int64 // of the body so far
	crc  uint32
	err  error // the first write error
	over bool  // larger than the store: dropped
	done bool
}

func (w *dirWriter) Write(p []byte) (int, error) {
	switch {
	case w.done:
		return 0, errors.New("cache: write after Commit or Abort")
	case w.err != nil:
		return 0, w.err
	case w.over:
		return len(p), nil
	}
	if headerSize+int64(len(w.meta))+w.size+int64(len(p)) > w.d.max {
		w.over = true
		discard(w.f)
		w.f = nil
		return len(p), nil
	}
	n, err := w.buf.Write(p)
	w.size += int64(n)
	w.crc = crc32.Update(w.crc, crcTable, p[:n])
	if err != nil {
		w.err = fmt.Errorf("cache: writing an entry: %w", err)
		return n, w.err
	}
	return n, nil
}

func (w *dirWriter) Commit() error {
	if w.done {
		return errors.New("cache: Commit after Commit or Abort")
	}
	w.done = true
	if w.over {
		_ = w.d.deleteName(w.n) // the old entry is outdated all the same
		return errTooLarge
	}
	if w.err != nil {
		discard(w.f)
		return w.err
	}
	h := &fileHeader{kind: kindEntry, expires: w.d.now().Add(w.ttl), bodyLen: w.size, bodyCRC: w.crc}
	err := w.buf.Flush()
	if err == nil {
		_, err = w.f.WriteAt(h.encode(w.meta), 0)
	}
	var delta int64
	if err == nil {
		var unlock func()
		if unlock, err = w.d.lock(w.n); err == nil {
			delta, err = w.d.install(w.n, w.f)
			unlock()
		}
	}
	if err != nil {
		discard(w.f)
		return fmt.Errorf("cache: committing an entry: %w", err)
	}
	return w.d.installed(w.n, w.f, delta)
}

func (w *dirWriter) Abort() {
	if w.done {
		return
	}
	w.done = true
	if w.f != nil {
		discard(w.f)
	}
}

// writeLocked writes a file of kind for name n, with meta and (for an entry)
// the body read from src, and installs it; the caller holds the lock of n.
// It returns the installed file, for installed, and the change in size.
func (d *dir) writeLocked(n string, h *fileHeader, meta []byte, src io.Reader) (*os.File, int64, error) {
	f, err := d.createTemp(n)
	if err != nil {
		return nil, 0, err
	}
	_, err = f.Write(append(h.encode(meta), meta...))
	if err == nil && src != nil {
		var copied int64
		copied, err = io.Copy(f, src) // copy_file_range from a file, where the system has it
		if err == nil && copied != h.bodyLen {
			err = errCorrupt
		}
	}
	var delta int64
	if err == nil {
		delta, err = d.install(n, f)
	}
	if err != nil {
		discard(f)
		return nil, 0, fmt.Errorf("cache: writing: %w", err)
	}
	return f, delta, nil
}

// syncDir flushes a folder's entries (a rename) to disk.
func syncDir(folder string) error {
	d, err := os.Open(folder)
	if err != nil {
		return fmt.Errorf("cache: syncing %s: %w", folder, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("cache: syncing %s: %w", folder, err)
	}
	return nil
}
