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
// This package is being built in steps (issue 12): the directory and Redis
// stores and the cache-tests conformance run come next.
package cache
