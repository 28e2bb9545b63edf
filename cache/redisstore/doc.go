// Package redisstore is a cache.Store kept in Redis, so that a fleet of
// machines shares one HTTP cache.
package redisstore
