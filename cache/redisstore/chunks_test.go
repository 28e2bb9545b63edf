package redisstore_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/cache/redisstore"
)

const chunk = 256 << 10

// put writes an entry whose body arrives in pieces of 10 000 bytes.
func put(t *testing.T, s cache.Store, key, meta string, body []byte, ttl time.Duration) {
	t.Helper()
	w, err := s.Create(context.Background(), key, []byte(meta), ttl)
	if err != nil {
		t.Fatal(err)
	}
	for p := body; len(p) > 0; p = p[min(len(p), 10000):] {
		if _, err := w.Write(p[:min(len(p), 10000)]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i%251)
	}
	return b
}

// keysOf returns the Redis keys under prefix.
func keysOf(t *testing.T, rdb *redis.Client, prefix string) []string {
	t.Helper()
	keys, err := rdb.Keys(context.Background(), prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// bodyKeys returns the keys of bodies under prefix.
func bodyKeys(t *testing.T, rdb *redis.Client, prefix string) []string {
	var out []string
	for _, k := range keysOf(t, rdb, prefix) {
		if strings.Contains(k, "}:b:") {
			out = append(out, k)
		}
	}
	return out
}

// testChunksAndTTLs: a small body lives inline in its entry's hash; a large
// one in chunks of 256 KiB at most in a hash of its own; every key has a
// TTL, the body's longer than its entry's.
func testChunksAndTTLs(t *testing.T, rdb *redis.Client) {
	ctx := context.Background()
	s := redisstore.New(rdb, "p:")
	put(t, s, "small", "m", pattern(chunk, 1), time.Hour) // exactly one chunk: inline
	if keys := keysOf(t, rdb, "p:"); len(keys) != 1 || keys[0] != "p:{small}:e" {
		t.Errorf("keys of a one-chunk entry: %q, want the entry's hash alone", keys)
	}
	body := pattern(4*chunk+5, 2)
	put(t, s, "big", "m", body, time.Hour)
	bks := bodyKeys(t, rdb, "p:{big}")
	if len(bks) != 1 {
		t.Fatalf("body keys: %q, want one", bks)
	}
	fields, err := rdb.HGetAll(ctx, bks[0]).Result()
	if err != nil || len(fields) != 5 {
		t.Fatalf("the body's hash has %d fields (%v), want 5 chunks", len(fields), err)
	}
	var joined []byte
	for i := range 5 {
		c := fields[strconv.Itoa(i)]
		if len(c) > chunk || len(c) == 0 {
			t.Errorf("chunk %d is %d bytes", i, len(c))
		}
		joined = append(joined, c...)
	}
	if !bytes.Equal(joined, body) {
		t.Error("the chunks do not make the body")
	}
	entryTTL := rdb.PTTL(ctx, "p:{big}:e").Val()
	bodyTTL := rdb.PTTL(ctx, bks[0]).Val()
	if entryTTL <= 59*time.Minute || entryTTL > time.Hour {
		t.Errorf("entry TTL %v, want an hour", entryTTL)
	}
	if bodyTTL <= entryTTL || bodyTTL > time.Hour+5*time.Minute {
		t.Errorf("body TTL %v, want the entry's (%v) and the readers' grace", bodyTTL, entryTTL)
	}
	if err := s.Update(ctx, "v", 2*time.Minute, func([]byte) []byte { return []byte("x") }); err != nil {
		t.Fatal(err)
	}
	if ttl := rdb.PTTL(ctx, "p:{v}:v").Val(); ttl <= time.Minute || ttl > 2*time.Minute {
		t.Errorf("value TTL %v, want 2m", ttl)
	}
	if err := s.SetMeta(ctx, "big", []byte("m2"), 3*time.Hour); err != nil {
		t.Fatal(err)
	}
	if ttl := rdb.PTTL(ctx, bks[0]).Val(); ttl <= 3*time.Hour {
		t.Errorf("after SetMeta the body's TTL is %v, shorter than its entry's 3h", ttl)
	}
}

// testStreamsChunkByChunk: a reader holds one chunk at a time and fetches
// the next when it needs it; a body gone meanwhile is an error, never a
// short body read as whole.
func testStreamsChunkByChunk(t *testing.T, rdb *redis.Client) {
	s := redisstore.New(rdb, "p:")
	put(t, s, "k", "m", pattern(3*chunk, 3), time.Hour)
	_, rc, err := s.Open(context.Background(), "k")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	head := make([]byte, 10)
	if _, err := io.ReadFull(rc, head); err != nil {
		t.Fatal(err)
	}
	rdb.Del(context.Background(), bodyKeys(t, rdb, "p:")...) // evicted, say
	rest, err := io.ReadAll(rc)
	if got := len(head) + len(rest); got != chunk || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("read %d bytes then %v; want the first chunk (%d), then io.ErrUnexpectedEOF", got, err, chunk)
	}
	if _, _, err := s.Open(context.Background(), "k"); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("Open of an entry whose body is gone: %v, want ErrNotFound", err)
	}
	if keys := keysOf(t, rdb, "p:"); len(keys) != 0 {
		t.Errorf("the entry without a body stayed: %q", keys)
	}
}

// testReaderKeepsTheOldBody: a body being read stays whole when its entry
// is replaced or deleted meanwhile, and goes after the grace.
func testReaderKeepsTheOldBody(t *testing.T, rdb *redis.Client) {
	s := redisstore.New(rdb, "p:")
	ctx := context.Background()
	old := pattern(2*chunk+7, 4)
	for _, change := range []func(){
		func() { put(t, s, "k", "new", pattern(2*chunk, 5), time.Hour) },
		func() { _ = s.Delete(ctx, "k") },
	} {
		put(t, s, "k", "old", old, time.Hour)
		oldKey := bodyKeys(t, rdb, "p:")
		_, rc, err := s.Open(ctx, "k")
		if err != nil {
			t.Fatal(err)
		}
		change()
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !bytes.Equal(got, old) {
			t.Errorf("read %d bytes, %v; want the old body of %d", len(got), err, len(old))
		}
		if ttl := rdb.PTTL(ctx, oldKey[0]).Val(); ttl <= 0 || ttl > 5*time.Minute {
			t.Errorf("the replaced body's TTL is %v, want the grace of 5m", ttl)
		}
		rdb.Del(ctx, keysOf(t, rdb, "p:")...)
	}
}

// testAbortLeavesNothing: an aborted entry leaves no key; one whose writer
// vanished leaves chunks that expire by themselves.
func testAbortLeavesNothing(t *testing.T, rdb *redis.Client) {
	s := redisstore.New(rdb, "p:")
	ctx := context.Background()
	w, _ := s.Create(ctx, "k", []byte("m"), time.Hour)
	_, _ = w.Write(pattern(3*chunk, 6))
	if len(bodyKeys(t, rdb, "p:")) != 1 {
		t.Fatal("no chunks were sent while the body was written")
	}
	w.Abort()
	if keys := keysOf(t, rdb, "p:"); len(keys) != 0 {
		t.Errorf("keys after Abort: %q", keys)
	}
	w, _ = s.Create(ctx, "k", []byte("m"), time.Hour)
	_, _ = w.Write(pattern(3*chunk, 6)) // and never committed nor aborted
	bks := bodyKeys(t, rdb, "p:")
	if len(bks) != 1 {
		t.Fatalf("body keys %q", bks)
	}
	if ttl := rdb.PTTL(ctx, bks[0]).Val(); ttl <= 0 || ttl > 15*time.Minute {
		t.Errorf("an unfinished body's TTL is %v, want at most 15m", ttl)
	}
	if _, _, err := s.Open(ctx, "k"); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("an unfinished entry: %v, want ErrNotFound", err)
	}
	w.Abort()
}

// testUpdateFromTwoClients: two clients, as two machines, incrementing one
// counter at once lose no increment.
func testUpdateFromTwoClients(t *testing.T, rdb *redis.Client) {
	other := redis.NewClient(&redis.Options{Addr: rdb.Options().Addr})
	defer other.Close()
	stores := []cache.Store{redisstore.New(rdb, "p:"), redisstore.New(other, "p:")}
	const each = 50
	var wg sync.WaitGroup
	for i := range 6 {
		s := stores[i%2]
		wg.Go(func() {
			for range each {
				err := s.Update(context.Background(), "n", time.Minute, func(old []byte) []byte {
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
	if v, err := stores[1].Load(context.Background(), "n"); string(v) != strconv.Itoa(6*each) || err != nil {
		t.Errorf("counter = %q, %v; want %d", v, err, 6*each)
	}
}

// testCommitOfAGoneBodyFails: chunks lost while the body was written (their
// TTL ran out, or eviction) fail the Commit, which leaves the old entry.
func testCommitOfAGoneBodyFails(t *testing.T, rdb *redis.Client) {
	s := redisstore.New(rdb, "p:")
	ctx := context.Background()
	put(t, s, "k", "old", []byte("old body"), time.Hour)
	w, _ := s.Create(ctx, "k", []byte("new"), time.Hour)
	_, _ = w.Write(pattern(3*chunk, 7))
	rdb.Del(ctx, bodyKeys(t, rdb, "p:")...)
	if err := w.Commit(); err == nil {
		t.Fatal("Commit of a body whose chunks are gone succeeded")
	}
	m, rc, err := s.Open(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if b, _ := io.ReadAll(rc); string(m) != "old" || string(b) != "old body" {
		t.Errorf("after a failed Commit: %q, %q; want the old entry", m, b)
	}
}
