//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package cache_test

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/cache/storetest"
)

func TestDirStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) cache.Store {
		s, err := cache.Dir(filepath.Join(t.TempDir(), "cache"), 64<<20)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestDirSharedByTwoStores: two stores on one directory, as two processes
// would open it, see each other's writes.
func TestDirSharedByTwoStores(t *testing.T) {
	storetest.Run(t, func(t *testing.T) cache.Store {
		path := filepath.Join(t.TempDir(), "cache")
		a, err := cache.Dir(path, 64<<20)
		if err != nil {
			t.Fatal(err)
		}
		b, err := cache.Dir(path, 64<<20)
		if err != nil {
			t.Fatal(err)
		}
		return alternate{a, b, new(atomic.Int64)}
	})
}

// alternate sends each call to the next of two stores.
type alternate struct {
	a, b cache.Store
	n    *atomic.Int64
}

func (s alternate) next() cache.Store {
	if s.n.Add(1)%2 == 0 {
		return s.a
	}
	return s.b
}

func (s alternate) Open(ctx context.Context, key string) ([]byte, io.ReadCloser, error) {
	return s.next().Open(ctx, key)
}

func (s alternate) Create(ctx context.Context, key string, meta []byte, ttl time.Duration) (cache.EntryWriter, error) {
	return s.next().Create(ctx, key, meta, ttl)
}

func (s alternate) SetMeta(ctx context.Context, key string, meta []byte, ttl time.Duration) error {
	return s.next().SetMeta(ctx, key, meta, ttl)
}

func (s alternate) Delete(ctx context.Context, key string) error { return s.next().Delete(ctx, key) }

func (s alternate) Load(ctx context.Context, key string) ([]byte, error) {
	return s.next().Load(ctx, key)
}

func (s alternate) Update(ctx context.Context, key string, ttl time.Duration, fn func([]byte) []byte) error {
	return s.next().Update(ctx, key, ttl, fn)
}

// TestDirModes: what the store creates is readable by its owner alone.
func TestDirModes(t *testing.T) {
	ctx := context.Background()
	root := filepath.Join(t.TempDir(), "cache")
	s, err := cache.Dir(root, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.Create(ctx, "k", []byte("m"), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(w, "body")
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, "v", time.Minute, func([]byte) []byte { return []byte("x") }); err != nil {
		t.Fatal(err)
	}
	var files, dirs int
	err = filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := e.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if e.IsDir() {
			want = fs.ModeDir | 0o700
			dirs++
		} else {
			files++
		}
		if fi.Mode() != want {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 4 || dirs < 4 { // two key files, lock and size files; root, locks, fan-out folders
		t.Errorf("walked %d files and %d folders: the store wrote less than it should have", files, dirs)
	}
}

func TestDirBadPath(t *testing.T) {
	if _, err := cache.Dir("", 1); err == nil {
		t.Error(`Dir("") did not fail`)
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := cache.Dir(file, 1); err == nil {
		t.Error("Dir on a file did not fail")
	}
}
