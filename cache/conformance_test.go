package cache_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/internal/cachetests"
)

// The cache-tests suite (internal/cachetests) judges the cache over each
// of its stores: every required test passes, but those DefaultSkips lists
// as not applying to a private cache in a client library, and the two
// below.

// dependsOnStaleOnDisconnect are the required tests that pass themselves
// but rest on stale-close, a check ("does the cache serve a stale response
// when the origin closes the connection?") that RFC 9111 §4.2.4 permits and
// does not require. By default relay answers no: an unreachable origin is
// an error the caller sees, as without a cache, unless stale-if-error or
// Options.StaleIfError allows it; with Options.StaleIfError they count as
// passed (TestConformanceStaleIfError).
var dependsOnStaleOnDisconnect = map[string]bool{
	"stale-close-must-revalidate": true,
	"stale-close-no-cache":        true,
}

// subject is a Cache as the runner wants it: fresh per test, on the
// test's clock, waited for when the test ends so that no background
// revalidation outlives it.
type subject struct {
	http.RoundTripper
	c *cache.Cache
}

func (s subject) Close() error { s.c.Wait(); return nil }

// relay returns the runner's subject: a Cache configured by o over a store
// from newStore.
func relay(newStore func() cache.Store, o cache.Options) cachetests.Subject {
	return func(base http.RoundTripper, clock cachetests.Clock) http.RoundTripper {
		o.Store, o.Now = newStore(), clock.Now
		c := cache.New(o)
		return subject{c.Middleware()(base), c}
	}
}

// requirePassed fails t for each required test rep does not count as
// passed, but those allowed.
func requirePassed(t *testing.T, rep *cachetests.Report, allowed map[string]bool) {
	t.Helper()
	for _, res := range rep.Unpassed(cachetests.Required) {
		if !allowed[res.ID] {
			t.Errorf("required test %s counts as %s (it rests on %v)", res.ID, rep.Counted(res.ID), rep.Unmet(res.ID))
		}
	}
	for id := range allowed {
		if rep.Counted(id) == cachetests.Passed {
			t.Errorf("%s now counts as passed: take it off the list", id)
		}
	}
}

func memory() cache.Store { return cache.Memory(8 << 20) }

func TestConformanceMemory(t *testing.T) {
	rep := cachetests.Run(t, relay(memory, cache.Options{}), cachetests.Options{Name: "relay"})
	requirePassed(t, rep, dependsOnStaleOnDisconnect)
}

func TestConformanceStaleIfError(t *testing.T) {
	rep := cachetests.Run(t, relay(memory, cache.Options{StaleIfError: time.Hour}), cachetests.Options{Name: "relay, StaleIfError"})
	requirePassed(t, rep, nil)
	for _, id := range []string{"stale-close", "stale-503"} {
		if got := rep.Counted(id); got != cachetests.Passed {
			t.Errorf("with StaleIfError, %s counts as %s", id, got)
		}
	}
}

func TestConformanceDir(t *testing.T) {
	newDir := func() cache.Store {
		d, err := cache.Dir(t.TempDir(), 8<<20)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	rep := cachetests.Run(t, relay(newDir, cache.Options{}), cachetests.Options{Name: "relay (Dir)"})
	requirePassed(t, rep, dependsOnStaleOnDisconnect)
}
