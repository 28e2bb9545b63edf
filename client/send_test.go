package client_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/httpbintest"
	"github.com/relayhttp/relay/middleware"
)

// sendLog is a UseSend middleware that notes each send it sees.
type sendLog struct {
	mu    sync.Mutex
	sends []string
}

func (l *sendLog) middleware(next http.RoundTripper) http.RoundTripper {
	return middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(req)
		l.mu.Lock()
		defer l.mu.Unlock()
		line := req.Method + " " + req.URL.Path
		if req.Header.Get("Authorization") != "" {
			line += " +auth"
		}
		if err == nil {
			line += " " + resp.Status[:3]
		}
		l.sends = append(l.sends, line)
		return resp, err
	})
}

func (l *sendLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.sends, "; ")
}

// TestUseSendSeesEverySend: a redirect hop, a retried attempt and an
// authentication round are each a send; a per-call middleware sees the
// call once; a cache hit sends nothing.
func TestUseSendSeesEverySend(t *testing.T) {
	var flakes atomic.Int32
	bin := httpbintest.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/start":
			http.Redirect(w, r, "/flaky", http.StatusFound)
		case "/flaky":
			if flakes.Add(1) == 1 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			http.Redirect(w, r, "/digest-auth/auth/u/p/MD5", http.StatusFound)
		default:
			bin.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)

	s := newSession(t, client.WithRetry(client.RetryOptions{MaxAttempts: 2}))
	var perCall atomic.Int32
	s.Use(func(next http.RoundTripper) http.RoundTripper {
		return middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			perCall.Add(1)
			return next.RoundTrip(req)
		})
	})
	sends := &sendLog{}
	s.UseSend(sends.middleware)
	s.Auth = auth.Digest("u", "p") // it answers a challenge: a round of its own

	r := mustDo(t, s, "GET", srv.URL+"/start")
	if r.StatusCode != 200 {
		t.Fatalf("status %d", r.StatusCode)
	}
	want := "GET /start 302; GET /flaky 503; GET /flaky 302; GET /digest-auth/auth/u/p/MD5 401; GET /digest-auth/auth/u/p/MD5 +auth 200"
	if got := sends.String(); got != want {
		t.Errorf("sends:\n got %s\nwant %s", got, want)
	}
	if perCall.Load() != 1 {
		t.Errorf("the per-call middleware saw %d calls, want 1", perCall.Load())
	}

}

// TestUseSendNotOnCacheHit: an answer from the cache's store is no send.
func TestUseSendNotOnCacheHit(t *testing.T) {
	srv := httpbintest.New()
	t.Cleanup(srv.Close)
	s := newSession(t)
	s.Cache = cache.New(cache.Options{})
	sends := &sendLog{}
	s.UseSend(sends.middleware)
	for range 2 {
		r := mustDo(t, s, "GET", srv.URL+"/cache/60")
		if _, err := r.Bytes(); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := sends.String(), "GET /cache/60 200"; got != want {
		t.Errorf("sends %q, want %q: the second GET is a cache hit", got, want)
	}
}

// TestUseSendAppliesToEveryMount: middlewares added after a mount apply to
// it, and one added later joins those already there, outer first.
func TestUseSendAppliesToEveryMount(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(strings.Join(r.Header.Values("X-Order"), "")))
	}))
	t.Cleanup(srv.Close)
	s := newSession(t)
	if err := s.Mount(srv.URL+"/mounted", http.DefaultTransport); err != nil {
		t.Fatal(err)
	}
	tag := func(v string) middleware.Middleware {
		return func(next http.RoundTripper) http.RoundTripper {
			return middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
				req = req.Clone(req.Context())
				req.Header.Add("X-Order", v)
				return next.RoundTrip(req)
			})
		}
	}
	for _, path := range []string{"/", "/mounted"} {
		if got, _ := mustDo(t, s, "GET", srv.URL+path).Text(); got != "" {
			t.Errorf("%s without send middlewares: %q", path, got)
		}
	}
	s.UseSend(tag("a"))
	s.UseSend(tag("b"))
	for _, path := range []string{"/", "/mounted"} {
		if got, _ := mustDo(t, s, "GET", srv.URL+path).Text(); got != "ab" {
			t.Errorf("%s: X-Order %q", path, got)
		}
	}
}
