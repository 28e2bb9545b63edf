//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package cache

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDirCorruptFile: a file damaged in any way is missing to readers and
// removed, and never returned as an entry; a body damaged past its header
// fails the read at its end. A file of a newer format is missing, and
// left for the relay that wrote it.
func TestDirCorruptFile(t *testing.T) {
	body := strings.Repeat("body ", 100)
	for _, c := range []struct {
		name   string
		damage func([]byte) []byte
	}{
		{"empty", func(b []byte) []byte { return b[:0] }},
		{"truncated header", func(b []byte) []byte { return b[:20] }},
		{"truncated meta", func(b []byte) []byte { return b[:headerSize+2] }},
		{"truncated body", func(b []byte) []byte { return b[:len(b)-1] }},
		{"a byte more", func(b []byte) []byte { return append(b, 'x') }},
		{"magic", func(b []byte) []byte { b[0] = 'X'; return b }},
		{"version 0", func(b []byte) []byte { b[4] = 0; return b }},
		{"kind", func(b []byte) []byte { b[5] = 9; return b }},
		{"expiry", func(b []byte) []byte { b[8] ^= 1; return b }},
		{"huge meta length", func(b []byte) []byte { copy(b[24:], []byte{0xff, 0xff, 0xff, 0xff}); return b }},
		{"meta", func(b []byte) []byte { b[headerSize] ^= 1; return b }},
		{"header checksum", func(b []byte) []byte { b[33] ^= 1; return b }},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, _ := newTestDir(t, t.TempDir(), 1<<20)
			putEntry(t, d, "k", "meta", body, time.Hour)
			p := d.pathOf(name("k"))
			damage(t, p, c.damage)
			if _, _, err := readEntry(d, "k"); !errors.Is(err, ErrNotFound) {
				t.Errorf("Open: %v, want ErrNotFound", err)
			}
			if exists(p) {
				t.Error("the corrupt file is still there")
			}

			putEntry(t, d, "k", "meta", body, time.Hour)
			damage(t, p, c.damage)
			if err := d.SetMeta(context.Background(), "k", []byte("m2"), time.Hour); !errors.Is(err, ErrNotFound) {
				t.Errorf("SetMeta: %v, want ErrNotFound", err)
			}
			if exists(p) {
				t.Error("SetMeta left the corrupt file")
			}

			putEntry(t, d, "k", "meta", body, time.Hour)
			damage(t, p, c.damage)
			d.scan()
			if exists(p) {
				t.Error("the scan left the corrupt file")
			}
		})
	}
}

func TestDirCorruptBody(t *testing.T) {
	d, _ := newTestDir(t, t.TempDir(), 1<<20)
	body := strings.Repeat("body ", 100)
	putEntry(t, d, "k", "meta", body, time.Hour)
	p := d.pathOf(name("k"))
	damage(t, p, func(b []byte) []byte { b[len(b)-1] ^= 1; return b })
	meta, got, err := readEntry(d, "k")
	if !errors.Is(err, errCorrupt) || meta != "meta" {
		t.Errorf("reading a damaged body: meta %q, %d bytes, %v; want the meta, then errCorrupt at the end", meta, len(got), err)
	}
	if exists(p) {
		t.Error("the file with a damaged body is still there")
	}
}

func TestDirCorruptValue(t *testing.T) {
	d, _ := newTestDir(t, t.TempDir(), 1<<20)
	ctx := context.Background()
	set := func(v string) func([]byte) []byte { return func([]byte) []byte { return []byte(v) } }
	if err := d.Update(ctx, "v", time.Hour, set("value")); err != nil {
		t.Fatal(err)
	}
	p := d.pathOf(name("v"))
	damage(t, p, func(b []byte) []byte { b[headerSize] ^= 1; return b })
	if _, err := d.Load(ctx, "v"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Load: %v, want ErrNotFound", err)
	}
	if exists(p) {
		t.Error("Load left the corrupt file")
	}
	_ = d.Update(ctx, "v", time.Hour, set("value"))
	damage(t, p, func(b []byte) []byte { b[headerSize] ^= 1; return b })
	var seen []byte
	err := d.Update(ctx, "v", time.Hour, func(old []byte) []byte { seen = old; return []byte("new") })
	if err != nil || seen != nil {
		t.Errorf("Update over a corrupt value: fn got %q, err %v; want nil, nil", seen, err)
	}
	if v, err := d.Load(ctx, "v"); string(v) != "new" || err != nil {
		t.Errorf("Load after Update = %q, %v", v, err)
	}
}

func TestDirNewerFormatKept(t *testing.T) {
	d, _ := newTestDir(t, t.TempDir(), 1<<20)
	putEntry(t, d, "k", "meta", "body", time.Hour)
	p := d.pathOf(name("k"))
	damage(t, p, func(b []byte) []byte { b[4] = fileFormat + 1; return b })
	if _, _, err := readEntry(d, "k"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Open of a newer format: %v, want ErrNotFound", err)
	}
	d.scan()
	if !exists(p) {
		t.Error("a file of a newer format was removed")
	}
}

func damage(t *testing.T, path string, fn func([]byte) []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, fn(b), 0o600); err != nil {
		t.Fatal(err)
	}
}

// FuzzDirFile: whatever a key file holds, reading it never panics, and
// what it accepts is consistent with the file's size.
func FuzzDirFile(f *testing.F) {
	h := &fileHeader{kind: kindEntry, expires: time.Unix(1e9, 0), bodyLen: 4}
	f.Add(append(h.encode([]byte("meta")), "metabody"...))
	v := &fileHeader{kind: kindValue, expires: time.Unix(1e9, 0)}
	f.Add(append(v.encode([]byte("value")), "value"...))
	f.Add([]byte("RLYC"))
	f.Add([]byte{})
	path := filepath.Join(f.TempDir(), "file")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		file, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer file.Close()
		h, meta, err := readHead(file, int64(len(data)))
		if err != nil {
			return
		}
		if headerSize+int64(len(meta))+h.bodyLen != int64(len(data)) || !bytes.Equal(meta, data[headerSize:headerSize+len(meta)]) {
			t.Fatalf("accepted a header that does not match the file: %+v", h)
		}
		_, _ = io.Copy(io.Discard, newDirBody(file, h, func() {}))
	})
}
