package cache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

func (d *dir) Update(_ context.Context, key string, ttl time.Duration, fn func([]byte) []byte) error {
	n := name(key)
	unlock, err := d.lock(n)
	if err != nil {
		return err
	}
	var old []byte
	f, _, h, v, err := d.readFile(n)
	switch {
	case err == nil:
		f.Close()
		if h.kind == kindValue && d.now().Before(h.expires) {
			old = v
		}
	case errors.Is(err, ErrNotFound), errors.Is(err, errCorrupt), errors.Is(err, errNewerFormat):
		// nothing to read: what fn returns replaces it
	default:
		unlock()
		return err
	}
	if v = fn(old); v == nil {
		delta, err := d.removeLocked(n)
		unlock()
		d.addSize(delta)
		return err
	}
	if len(v) > maxMeta {
		unlock()
		return fmt.Errorf("cache: a value of %d bytes, more than %d", len(v), maxMeta)
	}
	f, delta, err := d.writeLocked(n, &fileHeader{kind: kindValue, expires: d.now().Add(ttl)}, v, nil)
	unlock()
	if err != nil {
		return err
	}
	return d.installed(n, f, delta)
}

func (d *dir) SetMeta(_ context.Context, key string, meta []byte, ttl time.Duration) error {
	if len(meta) > maxMeta {
		return fmt.Errorf("cache: metadata of %d bytes, more than %d", len(meta), maxMeta)
	}
	n := name(key)
	unlock, err := d.lock(n)
	if err != nil {
		return err
	}
	f, delta, err := d.setMetaLocked(n, meta, ttl)
	unlock()
	if f == nil {
		d.addSize(delta)
		return err
	}
	return d.installed(n, f, delta)
}

// setMetaLocked writes a copy of the entry of name n with meta and ttl;
// the caller holds the lock of n. A missing, corrupt or expired entry is
// ErrNotFound (and removed, unless it is of a newer format).
func (d *dir) setMetaLocked(n string, meta []byte, ttl time.Duration) (*os.File, int64, error) {
	old, _, h, _, err := d.readFile(n)
	switch {
	case errors.Is(err, errCorrupt):
		delta, _ := d.removeLocked(n)
		return nil, delta, ErrNotFound
	case errors.Is(err, errNewerFormat):
		return nil, 0, ErrNotFound
	case err != nil:
		return nil, 0, err
	}
	defer old.Close()
	if !d.now().Before(h.expires) {
		delta, _ := d.removeLocked(n)
		return nil, delta, ErrNotFound
	}
	if h.kind != kindEntry {
		return nil, 0, ErrNotFound
	}
	if _, err := old.Seek(h.bodyOffset(), io.SeekStart); err != nil {
		return nil, 0, fmt.Errorf("cache: %w", err)
	}
	nh := &fileHeader{kind: kindEntry, expires: d.now().Add(ttl), bodyLen: h.bodyLen, bodyCRC: h.bodyCRC}
	return d.writeLocked(n, nh, meta, &io.LimitedReader{R: old, N: h.bodyLen})
}
