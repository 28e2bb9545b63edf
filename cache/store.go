package cache

import (
	"context"
	"errors"
	"io"
	"time"
)

// ErrNotFound is returned by a Store for a key it does not hold, or holds
// no longer (its TTL ran out).
var ErrNotFound = errors.New("cache: not found")

// A Store keeps a cache's entries: Memory (the default), Dir, or the Redis
// store of the nested module cache/redisstore. The cache encodes what it
// stores; a store keeps bytes.
//
// An entry is a small metadata value and a body, which may be large and
// is streamed in and out. A value is a small record on its own (the cache
// keeps the variant list of a URL in one), updated atomically. Keys are
// short printable ASCII strings made by the cache (hashes); they never
// contain a secret.
//
// A Store must be safe for concurrent use, and a store shared by several
// processes (Dir, Redis) must keep its operations atomic across them: an
// entry is seen whole or not at all, and Update is a read-modify-write no
// other writer interleaves with.
type Store interface {
	// Open returns the metadata and a reader of the body of the entry under
	// key, or ErrNotFound. The caller closes the body, and does not modify
	// the metadata (a store may return the bytes it keeps).
	Open(ctx context.Context, key string) (meta []byte, body io.ReadCloser, err error)

	// Create starts an entry under key, to expire after ttl. Its body is
	// written to the EntryWriter; nothing is visible until Commit, which
	// replaces an entry already under key atomically.
	Create(ctx context.Context, key string, meta []byte, ttl time.Duration) (EntryWriter, error)

	// SetMeta replaces the metadata and TTL of the entry under key and
	// keeps its body (a 304 freshening a stored response), or returns
	// ErrNotFound.
	SetMeta(ctx context.Context, key string, meta []byte, ttl time.Duration) error

	// Delete removes the entry or value under key; a missing key is not an
	// error.
	Delete(ctx context.Context, key string) error

	// Load returns the value under key, or ErrNotFound. The caller does not
	// modify it.
	Load(ctx context.Context, key string) ([]byte, error)

	// Update replaces the value under key by what fn returns for the
	// current one (nil when there is none), atomically, to expire after
	// ttl; a nil result deletes it. fn may be called more than once (a
	// store that retries on a conflict) and must not keep its argument.
	Update(ctx context.Context, key string, ttl time.Duration, fn func(old []byte) []byte) error
}

// EntryWriter receives the body of an entry a Store is creating.
type EntryWriter interface {
	io.Writer
	// Commit makes the entry visible, whole. After it, and after Abort,
	// the writer is not used again.
	Commit() error
	// Abort drops the entry: a body the caller did not read to its end is
	// never stored as if whole.
	Abort()
}
