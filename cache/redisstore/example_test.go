package redisstore_test

import (
	"github.com/redis/go-redis/v9"

	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/cache/redisstore"
)

// The machines of a fleet share one cache through one Redis database; the
// prefix keeps it apart from other data there.
func ExampleNew() {
	rdb := redis.NewClient(&redis.Options{Addr: "cache.internal:6379"})
	defer rdb.Close()
	var st cache.Store = redisstore.New(rdb, "myapp:http:")
	_ = st // cache.New(cache.Options{Store: st}), once the cache middleware lands
}
