package redisstore_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/cache/redisstore"
	"github.com/relayhttp/relay/cache/storetest"
)

// The store's tests run against a real redis-server (TestWithRedisServer,
// skipped where it is missing) and against miniredis, an in-process Redis
// with its own command parser and Lua interpreter (TestWithMiniredis, its
// twin, which always runs).
var storeTests = []struct {
	name string
	fn   func(*testing.T, *redis.Client)
}{
	{"Conformance", testConformance},
	{"ChunksAndTTLs", testChunksAndTTLs},
	{"StreamsChunkByChunk", testStreamsChunkByChunk},
	{"ReaderKeepsTheOldBody", testReaderKeepsTheOldBody},
	{"AbortLeavesNothing", testAbortLeavesNothing},
	{"UpdateFromTwoClients", testUpdateFromTwoClients},
	{"CommitOfAGoneBodyFails", testCommitOfAGoneBodyFails},
}

func TestWithRedisServer(t *testing.T) { runAll(t, startRedis(t)) }

func TestWithMiniredis(t *testing.T) {
	m := miniredis.RunT(t) // closed when the test ends
	m.ClockTTL(true)       // TTLs run on the wall clock, as in Redis
	rdb := redis.NewClient(&redis.Options{Addr: m.Addr()})
	t.Cleanup(func() { rdb.Close() })
	runAll(t, rdb)
}

// runAll runs every test of the store against the database of rdb, emptied
// before each.
func runAll(t *testing.T, rdb *redis.Client) {
	for _, c := range storeTests {
		t.Run(c.name, func(t *testing.T) {
			if err := rdb.FlushDB(context.Background()).Err(); err != nil {
				t.Fatal(err)
			}
			c.fn(t, rdb)
		})
	}
}

func testConformance(t *testing.T, rdb *redis.Client) {
	var n atomic.Int64
	storetest.Run(t, func(*testing.T) cache.Store {
		return redisstore.New(rdb, fmt.Sprintf("test%d:", n.Add(1)))
	})
}
