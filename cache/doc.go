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
// This package is being built in steps (issue 12); so far it holds the
// Cache-Control parser and the freshness and age computations of RFC 9111
// §4.2.
package cache
