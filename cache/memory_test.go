package cache_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/cache/storetest"
)

func TestMemoryStore(t *testing.T) {
	storetest.Run(t, func(*testing.T) cache.Store { return cache.Memory(16 << 20) })
}

// TestMemoryIsBounded: the store never holds more than its bytes, the
// least recently used entries leave first, and an entry larger than the
// whole store is not stored.
func TestMemoryIsBounded(t *testing.T) {
	ctx := context.Background()
	s := cache.Memory(10 << 10)
	body := strings.Repeat("x", 3<<10)
	put := func(key string) error {
		w, _ := s.Create(ctx, key, []byte("m"), time.Minute)
		_, _ = io.WriteString(w, body)
		return w.Commit()
	}
	for _, k := range []string{"a", "b", "c"} {
		if err := put(k); err != nil {
			t.Fatal(err)
		}
	}
	if _, rc, err := s.Open(ctx, "a"); err == nil { // a is now the most recent
		rc.Close()
	}
	if err := put("d"); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true} {
		_, rc, err := s.Open(ctx, k)
		if got := err == nil; got != want {
			t.Errorf("%s present = %v, want %v", k, got, want)
		}
		if rc != nil {
			rc.Close()
		}
	}
	w, _ := s.Create(ctx, "huge", []byte("m"), time.Minute)
	_, _ = io.WriteString(w, strings.Repeat("y", 20<<10))
	if err := w.Commit(); err == nil {
		t.Error("an entry larger than the store was committed")
	}
	if _, _, err := s.Open(ctx, "huge"); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("huge: %v", err)
	}
}
