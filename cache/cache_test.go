package cache_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/middleware"
)

// clock is a fake clock the tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// origin is a loopback server whose handler a test sets, counting the
// requests that reach it.
type origin struct {
	*httptest.Server
	hits atomic.Int32
	last atomic.Pointer[http.Request]
}

func newOrigin(t *testing.T, clk *clock, h func(w http.ResponseWriter, r *http.Request)) *origin {
	o := &origin{}
	o.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.hits.Add(1)
		o.last.Store(r)
		w.Header().Set("Date", clk.now().Format(http.TimeFormat))
		h(w, r)
	}))
	t.Cleanup(o.Close)
	return o
}

// client returns a RoundTripper with a cache over a transport to o.
func client(t *testing.T, clk *clock, o cache.Options) http.RoundTripper {
	rt, _ := clientAndCache(t, clk, o)
	return rt
}

func clientAndCache(t *testing.T, clk *clock, o cache.Options) (http.RoundTripper, *cache.Cache) {
	o.Now = clk.now
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	c := cache.New(o)
	t.Cleanup(c.Wait)
	return middleware.Chain(tr, c.Middleware()), c
}

type result struct {
	status cache.Status
	code   int
	body   string
	header http.Header
}

func do(t *testing.T, rt http.RoundTripper, method, url string, header ...string) result {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return result{cache.StatusOf(resp), resp.StatusCode, string(b), resp.Header}
}

func newClock() *clock { return &clock{t: time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)} }

func TestFreshHitAndExpiry(t *testing.T) {
	clk := newClock()
	n := 0
	o := newOrigin(t, clk, func(w http.ResponseWriter, _ *http.Request) {
		n++
		w.Header().Set("Cache-Control", "max-age=60")
		fmt.Fprintf(w, "version %d", n)
	})
	rt := client(t, clk, cache.Options{})
	if r := do(t, rt, "GET", o.URL); r.status != cache.Miss || r.body != "version 1" {
		t.Fatalf("first: %+v", r)
	}
	clk.advance(30 * time.Second)
	r := do(t, rt, "GET", o.URL)
	if r.status != cache.Hit || r.body != "version 1" || r.header.Get("Age") != "30" || o.hits.Load() != 1 {
		t.Fatalf("within max-age: %v %q Age=%q, origin hits %d", r.status, r.body, r.header.Get("Age"), o.hits.Load())
	}
	if r := do(t, rt, "HEAD", o.URL); r.status != cache.Hit || r.body != "" || o.hits.Load() != 1 {
		t.Errorf("HEAD from the stored GET: %+v, hits %d", r, o.hits.Load())
	}
	clk.advance(31 * time.Second)
	if r := do(t, rt, "GET", o.URL); r.status != cache.Miss || r.body != "version 2" {
		t.Errorf("after max-age: %+v", r)
	}
}

func TestRevalidationWithETag(t *testing.T) {
	clk := newClock()
	o := newOrigin(t, clk, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=0")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("X-Seen", r.Header.Get("If-None-Match"))
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "the body")
	})
	rt := client(t, clk, cache.Options{})
	do(t, rt, "GET", o.URL)
	r := do(t, rt, "GET", o.URL)
	if r.status != cache.Revalidated || r.body != "the body" || r.header.Get("X-Seen") != `"v1"` ||
		r.header.Get("Content-Length") != "8" || o.hits.Load() != 2 {
		t.Errorf("revalidated: %v %q X-Seen=%q Content-Length=%q hits %d", r.status, r.body, r.header.Get("X-Seen"),
			r.header.Get("Content-Length"), o.hits.Load())
	}
}

func TestVariants(t *testing.T) {
	clk := newClock()
	o := newOrigin(t, clk, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		w.Header().Set("Vary", "Accept-Language")
		if r.URL.Path == "/star" {
			w.Header().Set("Vary", "*")
		}
		io.WriteString(w, "lang="+r.Header.Get("Accept-Language"))
	})
	rt := client(t, clk, cache.Options{})
	do(t, rt, "GET", o.URL, "Accept-Language", "en")
	do(t, rt, "GET", o.URL, "Accept-Language", "fr")
	for _, lang := range []string{"en", "fr"} {
		if r := do(t, rt, "GET", o.URL, "Accept-Language", lang); r.status != cache.Hit || r.body != "lang="+lang {
			t.Errorf("%s: %+v", lang, r)
		}
	}
	if r := do(t, rt, "GET", o.URL, "Accept-Language", "de"); r.status != cache.Miss {
		t.Errorf("a third language: %v, want a miss", r.status)
	}
	do(t, rt, "GET", o.URL+"/star")
	if r := do(t, rt, "GET", o.URL+"/star"); r.status != cache.Miss {
		t.Errorf("Vary: * was served from the cache: %v", r.status)
	}
}

func TestCredentialsPartition(t *testing.T) {
	clk := newClock()
	o := newOrigin(t, clk, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/explicit" {
			w.Header().Set("Cache-Control", "private, max-age=60")
		} else {
			w.Header().Set("Last-Modified", clk.now().Add(-time.Hour).Format(http.TimeFormat)) // heuristic only
		}
		io.WriteString(w, "for "+r.Header.Get("Authorization"))
	})
	rt := client(t, clk, cache.Options{})
	do(t, rt, "GET", o.URL+"/explicit", "Authorization", "Bearer alice")
	if r := do(t, rt, "GET", o.URL+"/explicit", "Authorization", "Bearer alice"); r.status != cache.Hit {
		t.Errorf("alice again: %v", r.status)
	}
	if r := do(t, rt, "GET", o.URL+"/explicit", "Authorization", "Bearer bob"); r.status != cache.Miss || r.body != "for Bearer bob" {
		t.Errorf("bob got %+v: another user's response", r)
	}
	if r := do(t, rt, "GET", o.URL+"/explicit"); r.status != cache.Miss {
		t.Errorf("no credentials got %v", r.status)
	}
	do(t, rt, "GET", o.URL+"/heuristic", "Authorization", "Bearer alice")
	if r := do(t, rt, "GET", o.URL+"/heuristic", "Authorization", "Bearer alice"); r.status == cache.Hit {
		t.Error("a credentialed response was stored on a heuristic")
	}
	do(t, rt, "GET", o.URL+"/heuristic")
	if r := do(t, rt, "GET", o.URL+"/heuristic"); r.status != cache.Hit {
		t.Errorf("without credentials the heuristic applies: %v", r.status)
	}
}

func TestUnsafeMethodInvalidates(t *testing.T) {
	clk := newClock()
	o := newOrigin(t, clk, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		if r.Method == "POST" {
			w.Header().Set("Location", "/other")
			w.WriteHeader(http.StatusCreated)
		}
	})
	rt := client(t, clk, cache.Options{})
	do(t, rt, "GET", o.URL+"/thing")
	do(t, rt, "GET", o.URL+"/other")
	if r := do(t, rt, "POST", o.URL+"/thing"); r.status != cache.Bypass {
		t.Errorf("POST: %v", r.status)
	}
	for _, p := range []string{"/thing", "/other"} {
		if r := do(t, rt, "GET", o.URL+p); r.status != cache.Miss {
			t.Errorf("%s after the POST: %v, want a miss", p, r.status)
		}
	}
}

func TestWhatIsNotStored(t *testing.T) {
	clk := newClock()
	o := newOrigin(t, clk, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/no-store":
			w.Header().Set("Cache-Control", "no-store, max-age=60")
		case "/big":
			w.Header().Set("Cache-Control", "max-age=60")
			io.WriteString(w, strings.Repeat("x", 2048))
			return
		default:
			w.Header().Set("Cache-Control", "max-age=60")
		}
		io.WriteString(w, "body")
	})
	rt := client(t, clk, cache.Options{MaxEntryBytes: 1024})
	for _, p := range []string{"/no-store", "/big"} {
		do(t, rt, "GET", o.URL+p)
		if r := do(t, rt, "GET", o.URL+p); r.status != cache.Miss {
			t.Errorf("%s was stored: %v", p, r.status)
		}
	}
	// A body closed before its end is not stored as if whole.
	req, _ := http.NewRequest("GET", o.URL+"/half", nil)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Read(make([]byte, 2))
	resp.Body.Close()
	if r := do(t, rt, "GET", o.URL+"/half"); r.status != cache.Miss || r.body != "body" {
		t.Errorf("after a half-read body: %+v", r)
	}
	// Request directives: no-cache goes to the origin, only-if-cached does not.
	if r := do(t, rt, "GET", o.URL+"/half", "Cache-Control", "no-cache"); r.status == cache.Hit {
		t.Errorf("request no-cache: %v", r.status)
	}
	if r := do(t, rt, "GET", o.URL+"/nowhere", "Cache-Control", "only-if-cached"); r.code != http.StatusGatewayTimeout {
		t.Errorf("only-if-cached on a miss: %d, want 504", r.code)
	}
}

// TestHeadFreshensTheStoredGet: a HEAD answered with the same validator
// updates the stored GET's headers (RFC 9111 §4.3.5).
func TestHeadFreshensTheStoredGet(t *testing.T) {
	clk := newClock()
	version := "1"
	o := newOrigin(t, clk, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"same"`)
		w.Header().Set("X-Version", version)
		w.Header().Set("Cache-Control", "max-age=0")
		if r.Method == "HEAD" {
			w.Header().Set("Cache-Control", "max-age=60")
			return
		}
		io.WriteString(w, "body")
	})
	rt := client(t, clk, cache.Options{})
	do(t, rt, "GET", o.URL)
	version = "2"
	if r := do(t, rt, "HEAD", o.URL); r.status != cache.Miss {
		t.Fatalf("HEAD of a stale entry: %v", r.status)
	}
	r := do(t, rt, "GET", o.URL)
	if r.status != cache.Hit || r.header.Get("X-Version") != "2" || r.body != "body" {
		t.Errorf("after the HEAD: %v X-Version=%q %q; want a hit with the HEAD's headers", r.status, r.header.Get("X-Version"), r.body)
	}
}
