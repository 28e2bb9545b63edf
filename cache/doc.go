// Package cache is a private HTTP cache (RFC 9111) for relay, built as a
// middleware in each mount's stack, per redirect hop, below cookies and
// auth and above retry.
//
// # Why this package exists
//
// API clients fetch the same resources again and again. The Go caches
// that exist keep one slot per URL (so Vary variants evict each other),
// compute age from Date alone, bound no memory, collapse no concurrent
// misses, and cannot know where a request's credentials came from. Inside
// relay's stack the cache sees the headers really sent (Vary, credential
// partitioning), sits above retries (a fresh hit costs no attempt), and
// stores bodies as they came off the wire.
//
// Use it through a Session:
//
//	s.Cache = cache.New(cache.Options{Store: cache.Memory(64 << 20)})
//	r, err := s.Get(ctx, url)
//	cache.StatusOf(r.Response) // Hit, Miss, Revalidated, Stale or Bypass
//
// What it does (RFC 9111, private cache): freshness from max-age, Expires
// and Age with the response delay, a heuristic for the statuses that allow
// one; validation with ETag and Last-Modified, a 304 freshening the stored
// headers (never Content-Length or Content-Encoding); Vary variants per
// URL; invalidation by unsafe methods; request directives (max-age,
// max-stale, min-fresh, no-cache, no-store, only-if-cached); responses to
// credentials stored only when they say so, and keyed by a hash of the
// credentials; bodies stored while the caller reads them, never when read
// only in part or larger than the cap; stale-if-error (after retries have
// failed) and stale-while-revalidate (one background revalidation per
// entry, bounded by RevalidateTimeout); identical concurrent misses
// collapsed into one origin request.
//
// The caller's own conditional requests get a 304 from a fresh stored
// response, and one byte range a 206; Options.StaleIfError serves stale
// when the origin fails, as requests-cache's stale_if_error does.
//
// Stores: Memory (one process, a byte-bounded LRU), Dir (the processes of
// one machine: one file per hashed key, written to a temporary file and
// renamed, writes serialised by flock) and, in the nested module
// cache/redisstore, Redis (a fleet). cache/storetest is the Store
// contract's conformance suite.
//
// The cache-tests suite (cache-tests.fyi) judges it over each store: every
// required test that applies to a private cache in a client library
// passes; docs/cache.md has the tables.
package cache
