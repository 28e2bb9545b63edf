// Package cachetests scores relay's cache and the Go caches it is compared
// with on the same runner of the cache-tests suite (relay's
// internal/cachetests), and keeps the table in docs/cache.md current. It
// lives in the bench module so that the other caches never become
// dependencies of relay.
package cachetests
