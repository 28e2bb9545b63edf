package redisstore_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/cache/redisstore"
	"github.com/relayhttp/relay/cache/storetest"
)

func TestStore(t *testing.T) {
	rdb := startRedis(t)
	var n atomic.Int64
	storetest.Run(t, func(*testing.T) cache.Store {
		return redisstore.New(rdb, fmt.Sprintf("test%d:", n.Add(1)))
	})
}
