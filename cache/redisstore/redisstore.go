package redisstore

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/relayhttp/relay/cache"
)

const (
	// chunkSize is the most of a body one Redis command carries, written or
	// read: a body is streamed in these, never held whole.
	chunkSize = 256 << 10
	// readerGrace is how long the body of a replaced or deleted entry stays
	// for the readers that opened it before, and how much longer than its
	// entry a body lives, for a reader that opened it just before expiry.
	readerGrace = 5 * time.Minute
	// pendingTTL is how long the chunks of a body being written stay after
	// the last one arrived: a crashed writer's go by themselves.
	pendingTTL = 15 * time.Minute
	// maxAttempts bounds the optimistic retries of an Update that other
	// writers keep beating.
	maxAttempts = 1000
)

// New returns a Store that keeps entries and values in the Redis database
// rdb talks to, under keys that start with prefix (for instance
// "myapp:http:"), so several processes and machines share one cache. The
// caller keeps rdb and closes it; the store never does.
//
// Every key the store writes has a TTL (PEXPIRE), so Redis's volatile-*
// maxmemory policies can evict them: give the database a maxmemory and a
// policy, for the store sets no bound of its own. A body evicted under its
// entry is a miss, never a torn read.
//
// An entry is a hash holding its metadata, length and, for a body of at
// most 256 KiB, the body itself; a larger body is written as it arrives, in
// chunks of 256 KiB, into a hash of its own under a fresh random name, and
// Commit makes it the entry's in one Lua script (atomic on the server)
// that writes the metadata, the body's name and both TTLs. Readers stream
// the body chunk by chunk. A body is never changed once written: a reader
// keeps reading the one it opened after a replacement, for readerGrace
// (five minutes) at least.
//
// Update is optimistic: WATCH of the value's key, GET, fn, then SET in
// MULTI/EXEC, retried when another writer changed the value meanwhile.
//
// The keys of one cache key (entry, bodies, value) share a Redis Cluster
// hash tag, so a *redis.ClusterClient works as well as a *redis.Client.
func New(rdb redis.UniversalClient, prefix string) cache.Store {
	return &store{rdb: rdb, prefix: prefix}
}

type store struct {
	rdb    redis.UniversalClient
	prefix string
}

// tag returns the start of the Redis keys of key; the braces make it the
// hash tag of all of them.
func (s *store) tag(key string) string { return s.prefix + "{" + key + "}" }

func (s *store) entryKey(key string) string    { return s.tag(key) + ":e" }
func (s *store) valueKey(key string) string    { return s.tag(key) + ":v" }
func (s *store) bodyKey(key, id string) string { return s.tag(key) + ":b:" + id }
func (s *store) expireBody(ctx context.Context, key, id string) {
	if id != "" { // a reader may be on it: it goes after the grace, not now
		s.rdb.PExpire(context.WithoutCancel(ctx), s.bodyKey(key, id), readerGrace)
	}
}

// ms returns d in whole milliseconds, rounded up, for PEXPIRE: a TTL <= 0
// makes Redis delete the key, as an entry with it is expired at once.
func ms(d time.Duration) int64 { return int64((d + time.Millisecond - 1) / time.Millisecond) }

func newID() string {
	b := make([]byte, 16)
	_, _ = crand.Read(b)
	return hex.EncodeToString(b)
}

// The fields of an entry's hash.
const (
	fMeta   = "m" // metadata
	fLen    = "l" // body length
	fChunks = "n" // number of chunks in the body's hash
	fBody   = "b" // name of the body's hash, "" when the body is inline
	fData   = "d" // the body, when inline
)

func (s *store) Open(ctx context.Context, key string) ([]byte, io.ReadCloser, error) {
	vals, err := s.rdb.HMGet(ctx, s.entryKey(key), fMeta, fLen, fChunks, fBody, fData).Result()
	if err != nil {
		return nil, nil, fmt.Errorf("redisstore: %w", err)
	}
	meta, ok0 := vals[0].(string)
	length, err1 := strconv.ParseInt(str(vals[1]), 10, 64)
	chunks, err2 := strconv.Atoi(str(vals[2]))
	id := str(vals[3])
	if !ok0 || err1 != nil || err2 != nil || length < 0 || chunks < 0 {
		return nil, nil, cache.ErrNotFound // missing, or not written by this store
	}
	r := &reader{ctx: ctx, rdb: s.rdb, remaining: length}
	if id == "" {
		r.buf = []byte(str(vals[4]))
		return []byte(meta), r, nil
	}
	r.key, r.chunks = s.bodyKey(key, id), chunks
	if err := r.fetch(); err != nil {
		if errors.Is(err, errBodyGone) { // evicted, or expired before its entry: drop the entry
			_ = dropDangling.Run(ctx, s.rdb, []string{s.entryKey(key)}, id).Err()
			return nil, nil, cache.ErrNotFound
		}
		return nil, nil, err
	}
	return []byte(meta), r, nil
}

func str(v any) string { s, _ := v.(string); return s }

// dropDangling deletes an entry whose body is gone, unless it was replaced
// meanwhile. KEYS: entry. ARGV: body name.
var dropDangling = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'b') == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0`)

func (s *store) Create(ctx context.Context, key string, meta []byte, ttl time.Duration) (cache.EntryWriter, error) {
	return &writer{s: s, ctx: ctx, key: key, meta: bytes.Clone(meta), ttl: ttl, id: newID()}, nil
}

// setMeta replaces the metadata and TTL of an entry whose body is still
// the one named ARGV[1], and extends the body's TTL with it. It returns 0
// for a missing entry, -1 for one whose body changed (read again), 1 when
// done. KEYS: entry, body (the entry again when inline). ARGV: body name,
// meta, TTL in ms, grace in ms.
var setMeta = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if (redis.call('HGET', KEYS[1], 'b') or '') ~= ARGV[1] then return -1 end
redis.call('HSET', KEYS[1], 'm', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if ARGV[1] ~= '' then redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[3]) + tonumber(ARGV[4])) end
return 1`)

func (s *store) SetMeta(ctx context.Context, key string, meta []byte, ttl time.Duration) error {
	ek := s.entryKey(key)
	for range maxAttempts {
		id, err := s.rdb.HGet(ctx, ek, fBody).Result()
		if errors.Is(err, redis.Nil) {
			return cache.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("redisstore: %w", err)
		}
		bk := ek
		if id != "" {
			bk = s.bodyKey(key, id)
		}
		done, err := setMeta.Run(ctx, s.rdb, []string{ek, bk}, id, meta, ms(ttl), ms(readerGrace)).Int()
		switch {
		case err != nil:
			return fmt.Errorf("redisstore: %w", err)
		case done == 0:
			return cache.ErrNotFound
		case done == 1:
			return nil
		}
	}
	return errors.New("redisstore: SetMeta: the entry kept being replaced")
}

// del deletes the entry and the value of a key and returns the name of the
// entry's body. KEYS: entry, value.
var del = redis.NewScript(`
local id = redis.call('HGET', KEYS[1], 'b')
redis.call('DEL', KEYS[1], KEYS[2])
return id or ''`)

func (s *store) Delete(ctx context.Context, key string) error {
	id, err := del.Run(ctx, s.rdb, []string{s.entryKey(key), s.valueKey(key)}).Text()
	if err != nil {
		return fmt.Errorf("redisstore: %w", err)
	}
	s.expireBody(ctx, key, id)
	return nil
}

func (s *store) Load(ctx context.Context, key string) ([]byte, error) {
	v, err := s.rdb.Get(ctx, s.valueKey(key)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, cache.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("redisstore: %w", err)
	}
	return v, nil
}

func (s *store) Update(ctx context.Context, key string, ttl time.Duration, fn func([]byte) []byte) error {
	vk := s.valueKey(key)
	txf := func(tx *redis.Tx) error {
		old, err := tx.Get(ctx, vk).Bytes()
		if errors.Is(err, redis.Nil) {
			old = nil
		} else if err != nil {
			return err
		}
		v := fn(old)
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			if v == nil || ms(ttl) <= 0 {
				p.Del(ctx, vk)
			} else {
				p.Set(ctx, vk, v, time.Duration(ms(ttl))*time.Millisecond)
			}
			return nil
		})
		return err
	}
	for attempt := range maxAttempts {
		err := s.rdb.Watch(ctx, txf, vk)
		if !errors.Is(err, redis.TxFailedErr) {
			if err != nil {
				return fmt.Errorf("redisstore: %w", err)
			}
			return nil
		}
		if attempt > 2 { // contended: spread the retries out
			select {
			case <-ctx.Done():
				return fmt.Errorf("redisstore: %w", ctx.Err())
			case <-time.After(rand.N(time.Duration(min(attempt, 50)) * 100 * time.Microsecond)):
			}
		}
	}
	return errors.New("redisstore: Update: the value kept changing under it")
}
