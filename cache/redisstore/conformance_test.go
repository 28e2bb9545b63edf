package redisstore_test

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/cache/redisstore"
	"github.com/relayhttp/relay/internal/cachetests"
)

// The cache-tests suite judges the cache over a Redis store as over the
// others (cache's TestConformanceMemory): every required test passes but
// those the suite's DefaultSkips lists, and the two that rest on serving
// stale when the origin is gone, which relay does only when asked
// (Options.StaleIfError, set in the second run).

func TestConformanceRedisServer(t *testing.T) { conformance(t, startRedis(t)) }

func TestConformanceMiniredis(t *testing.T) {
	m := miniredis.RunT(t)
	m.ClockTTL(true)
	rdb := redis.NewClient(&redis.Options{Addr: m.Addr()})
	t.Cleanup(func() { rdb.Close() })
	conformance(t, rdb)
}

var staleOnDisconnect = []string{"stale-close-must-revalidate", "stale-close-no-cache"}

func conformance(t *testing.T, rdb *redis.Client) {
	var n atomic.Int64
	subject := func(o cache.Options) cachetests.Subject {
		return func(base http.RoundTripper, clock cachetests.Clock) http.RoundTripper {
			o.Store = redisstore.New(rdb, fmt.Sprintf("conformance%d:", n.Add(1))) // a store of its own per test
			o.Now = clock.Now
			c := cache.New(o)
			return waited{c.Middleware()(base), c}
		}
	}
	t.Run("Defaults", func(t *testing.T) {
		rep := cachetests.Run(t, subject(cache.Options{}), cachetests.Options{Name: "relay (Redis)"})
		var unpassed []string
		for _, res := range rep.Unpassed(cachetests.Required) {
			unpassed = append(unpassed, res.ID)
		}
		if fmt.Sprint(unpassed) != fmt.Sprint(staleOnDisconnect) {
			t.Errorf("required tests not counted as passed: %v; want only %v", unpassed, staleOnDisconnect)
		}
	})
	t.Run("StaleIfError", func(t *testing.T) {
		rep := cachetests.Run(t, subject(cache.Options{StaleIfError: time.Hour}), cachetests.Options{Name: "relay (Redis), StaleIfError"})
		for _, res := range rep.Unpassed(cachetests.Required) {
			t.Errorf("required test %s counts as %s", res.ID, rep.Counted(res.ID))
		}
	})
}

// waited is the subject's RoundTripper: closing it waits for the cache's
// background revalidations.
type waited struct {
	http.RoundTripper
	c *cache.Cache
}

func (w waited) Close() error { w.c.Wait(); return nil }
