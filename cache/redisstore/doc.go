// Package redisstore is a cache.Store kept in Redis, so that a fleet of
// machines shares one HTTP cache: what one machine fetched, the others
// serve, and an unsafe request made on one invalidates the entry for all.
//
// It is a module of its own (github.com/relayhttp/relay/cache/redisstore)
// so that relay's core never requires a Redis client. It takes the
// go-redis client the program already has.
package redisstore
