// Package storetest checks that a cache.Store keeps the contract the
// cache relies on, as testing/fstest does for file systems. The stores in
// relay (Memory, Dir, the Redis store) run it, and so can yours:
//
//	func TestMyStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) cache.Store { return newMyStore(t) })
//	}
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/relayhttp/relay/cache"
)

// Run runs the conformance tests against stores newStore makes, one fresh
// store per subtest.
func Run(t *testing.T, newStore func(t *testing.T) cache.Store) {
	for _, c := range []struct {
		name string
		fn   func(*testing.T, cache.Store)
	}{
		{"Missing", testMissing},
		{"CommitMakesVisible", testCommit},
		{"AbortDropsTheEntry", testAbort},
		{"CommitReplaces", testReplace},
		{"SetMetaKeepsTheBody", testSetMeta},
		{"Delete", testDelete},
		{"TTL", testTTL},
		{"LargeBody", testLargeBody},
		{"UpdateIsAtomic", testUpdate},
		{"ReadersDuringReplace", testReadersDuringReplace},
	} {
		t.Run(c.name, func(t *testing.T) { c.fn(t, newStore(t)) })
	}
}

// put stores an entry whole.
func put(t *testing.T, s cache.Store, key, meta, body string, ttl time.Duration) {
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

// open returns an entry's meta and body, or the error.
func open(t *testing.T, s cache.Store, key string) (meta, body string, err error) {
	t.Helper()
	m, rc, err := s.Open(context.Background(), key)
	if err != nil {
		return "", "", err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("reading %s: %v", key, err)
	}
	return string(m), string(b), nil
}

func wantEntry(t *testing.T, s cache.Store, key, meta, body string) {
	t.Helper()
	m, b, err := open(t, s, key)
	if err != nil || m != meta || b != body {
		t.Fatalf("Open(%q) = %q, %q, %v; want %q, %q", key, m, b, err, meta, body)
	}
}

func wantMissing(t *testing.T, s cache.Store, key string) {
	t.Helper()
	if _, _, err := open(t, s, key); !errors.Is(err, cache.ErrNotFound) {
		t.Fatalf("Open(%q): err = %v, want ErrNotFound", key, err)
	}
}

func testMissing(t *testing.T, s cache.Store) {
	wantMissing(t, s, "nothing")
	if _, err := s.Load(context.Background(), "nothing"); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("Load: err = %v, want ErrNotFound", err)
	}
	if err := s.SetMeta(context.Background(), "nothing", []byte("m"), time.Minute); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("SetMeta: err = %v, want ErrNotFound", err)
	}
	if err := s.Delete(context.Background(), "nothing"); err != nil {
		t.Errorf("Delete of a missing key: %v", err)
	}
}

func testCommit(t *testing.T, s cache.Store) {
	w, err := s.Create(context.Background(), "k", []byte("meta"), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(w, "hello, ")
	wantMissing(t, s, "k") // not before Commit
	_, _ = io.WriteString(w, "world")
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	wantEntry(t, s, "k", "meta", "hello, world")
	put(t, s, "empty", "m", "", time.Minute)
	wantEntry(t, s, "empty", "m", "")
}

func testAbort(t *testing.T, s cache.Store) {
	w, err := s.Create(context.Background(), "k", []byte("meta"), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(w, "half a bo")
	w.Abort()
	wantMissing(t, s, "k")
}

func testReplace(t *testing.T, s cache.Store) {
	put(t, s, "k", "old", "old body", time.Minute)
	w, err := s.Create(context.Background(), "k", []byte("new"), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(w, "new body")
	wantEntry(t, s, "k", "old", "old body") // until Commit
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	wantEntry(t, s, "k", "new", "new body")
	w, _ = s.Create(context.Background(), "k", []byte("aborted"), time.Minute)
	_, _ = io.WriteString(w, "x")
	w.Abort()
	wantEntry(t, s, "k", "new", "new body") // an aborted replacement changes nothing
}

func testSetMeta(t *testing.T, s cache.Store) {
	put(t, s, "k", "old", "the body", time.Minute)
	if err := s.SetMeta(context.Background(), "k", []byte("fresher"), time.Minute); err != nil {
		t.Fatal(err)
	}
	wantEntry(t, s, "k", "fresher", "the body")
}

func testDelete(t *testing.T, s cache.Store) {
	put(t, s, "k", "m", "b", time.Minute)
	if err := s.Update(context.Background(), "v", time.Minute, func([]byte) []byte { return []byte("x") }); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"k", "v"} {
		if err := s.Delete(context.Background(), k); err != nil {
			t.Fatal(err)
		}
	}
	wantMissing(t, s, "k")
	if _, err := s.Load(context.Background(), "v"); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("Load after Delete: %v", err)
	}
}

func testTTL(t *testing.T, s cache.Store) {
	const ttl = 300 * time.Millisecond
	put(t, s, "short", "m", "b", ttl)
	put(t, s, "long", "m", "b", time.Minute)
	_ = s.Update(context.Background(), "value", ttl, func([]byte) []byte { return []byte("x") })
	wantEntry(t, s, "short", "m", "b")
	time.Sleep(ttl + 700*time.Millisecond)
	wantMissing(t, s, "short")
	wantEntry(t, s, "long", "m", "b")
	if _, err := s.Load(context.Background(), "value"); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("a value past its TTL: err = %v, want ErrNotFound", err)
	}
}

func testLargeBody(t *testing.T, s cache.Store) {
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 4096) // 64 KiB
	w, err := s.Create(context.Background(), "big", []byte("m"), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for range 64 { // 4 MiB, in pieces, as a response arrives
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	_, rc, err := s.Open(context.Background(), "big")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	n, err := io.Copy(io.Discard, rc)
	if err != nil || n != 64*int64(len(chunk)) {
		t.Errorf("read back %d bytes, %v; want %d", n, err, 64*len(chunk))
	}
}

func testUpdate(t *testing.T, s cache.Store) {
	const writers, each = 8, 25
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for range each {
				err := s.Update(context.Background(), "counter", time.Minute, func(old []byte) []byte {
					n, _ := strconv.Atoi(string(old))
					return []byte(strconv.Itoa(n + 1))
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	v, err := s.Load(context.Background(), "counter")
	if err != nil || string(v) != strconv.Itoa(writers*each) {
		t.Errorf("counter = %q, %v; want %d: Update is not atomic", v, err, writers*each)
	}
	if err := s.Update(context.Background(), "counter", time.Minute, func([]byte) []byte { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(context.Background(), "counter"); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("Update returning nil should delete: %v", err)
	}
}

func testReadersDuringReplace(t *testing.T, s cache.Store) {
	body := func(i int) string {
		return fmt.Sprintf("%08d", i) + string(bytes.Repeat([]byte{byte('a' + i%26)}, 32<<10))
	}
	put(t, s, "k", "0", body(0), time.Minute)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				m, b, err := open(t, s, "k")
				n, _ := strconv.Atoi(m)
				if err != nil || b != body(n) {
					t.Errorf("a reader saw meta %q with a body of %d bytes (%v): a torn entry", m, len(b), err)
					return
				}
			}
		})
	}
	for i := 1; i <= 20; i++ {
		put(t, s, "k", strconv.Itoa(i), body(i), time.Minute)
	}
	close(stop)
	wg.Wait()
}
