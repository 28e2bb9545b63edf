package cache_test

import (
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/relayhttp/relay/cache"
)

func TestStaleIfError(t *testing.T) {
	clk := newClock()
	var failing atomic.Bool
	o := newOrigin(t, clk, func(w http.ResponseWriter, _ *http.Request) {
		if failing.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Cache-Control", "max-age=1, stale-if-error=60")
		w.Header().Set("ETag", `"a"`)
		io.WriteString(w, "kept")
	})
	rt := client(t, clk, cache.Options{})
	do(t, rt, "GET", o.URL)
	clk.advance(5 * time.Second)
	failing.Store(true)
	if r := do(t, rt, "GET", o.URL); r.status != cache.Stale || r.body != "kept" || r.code != 200 {
		t.Errorf("origin answering 503: %+v, want the stale response", r)
	}
	o.Close() // the origin is gone: a connection error
	if r := do(t, rt, "GET", o.URL); r.status != cache.Stale || r.body != "kept" {
		t.Errorf("origin down: %+v, want the stale response", r)
	}
	clk.advance(2 * time.Minute)
	req, _ := http.NewRequest("GET", o.URL, nil)
	if resp, err := rt.RoundTrip(req); err == nil {
		resp.Body.Close()
		t.Errorf("past stale-if-error: %v, want the origin's failure", cache.StatusOf(resp))
	}
}

func TestStaleWhileRevalidate(t *testing.T) {
	clk := newClock()
	n := 0
	var mu sync.Mutex
	o := newOrigin(t, clk, func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		n++
		v := n
		mu.Unlock()
		w.Header().Set("Cache-Control", "max-age=1, stale-while-revalidate=60")
		fmt.Fprintf(w, "version %d", v)
	})
	rt, c := clientAndCache(t, clk, cache.Options{})
	do(t, rt, "GET", o.URL)
	clk.advance(5 * time.Second)
	if r := do(t, rt, "GET", o.URL); r.status != cache.Stale || r.body != "version 1" {
		t.Fatalf("within stale-while-revalidate: %+v, want the stale response at once", r)
	}
	c.Wait()
	if h := o.hits.Load(); h != 2 {
		t.Errorf("origin saw %d requests, want the first and one background revalidation", h)
	}
	if r := do(t, rt, "GET", o.URL); r.status != cache.Hit || r.body != "version 2" {
		t.Errorf("after the background revalidation: %+v, want a fresh hit of version 2", r)
	}
}

func TestRequestCollapsing(t *testing.T) {
	for _, c := range []struct {
		name      string
		cc        string
		wantHits  int32
		wantFresh int
	}{
		{"cacheable: one origin request", "max-age=60", 1, 9},
		{"uncacheable: everyone goes to the origin", "no-store", 10, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			clk := newClock()
			release := make(chan struct{})
			o := newOrigin(t, clk, func(w http.ResponseWriter, _ *http.Request) {
				<-release
				w.Header().Set("Cache-Control", c.cc)
				io.WriteString(w, "shared")
			})
			rt := client(t, clk, cache.Options{})
			var wg sync.WaitGroup
			results := make([]result, 10)
			for i := range results {
				wg.Go(func() { results[i] = do(t, rt, "GET", o.URL) })
			}
			for o.hits.Load() == 0 {
				time.Sleep(time.Millisecond)
			}
			time.Sleep(50 * time.Millisecond) // let the others join the flight
			close(release)
			wg.Wait()
			hits := 0
			for _, r := range results {
				if r.body != "shared" {
					t.Errorf("a caller got %q", r.body)
				}
				if r.status == cache.Hit {
					hits++
				}
			}
			if o.hits.Load() != c.wantHits || hits != c.wantFresh {
				t.Errorf("origin saw %d requests, %d callers were served from the cache; want %d and %d",
					o.hits.Load(), hits, c.wantHits, c.wantFresh)
			}
		})
	}
}
