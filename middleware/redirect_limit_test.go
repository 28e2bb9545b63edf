package middleware_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/middleware"
)

// bodyWatch is a transport that remembers every response body it hands out,
// so a test can ask which of them were never closed.
type bodyWatch struct {
	next   http.RoundTripper
	mu     sync.Mutex
	bodies []*watchedBody
}

type watchedBody struct {
	io.ReadCloser
	uri    string
	closed atomic.Bool
}

func (b *watchedBody) Close() error { b.closed.Store(true); return b.ReadCloser.Close() }

func (w *bodyWatch) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := w.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	b := &watchedBody{ReadCloser: resp.Body, uri: req.URL.RequestURI()}
	resp.Body = b
	w.mu.Lock()
	w.bodies = append(w.bodies, b)
	w.mu.Unlock()
	return resp, nil
}

// sent is how many responses went through w.
func (w *bodyWatch) sent() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.bodies)
}

// open lists the request URIs whose response bodies are still open.
func (w *bodyWatch) open() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var open []string
	for _, b := range w.bodies {
		if !b.closed.Load() {
			open = append(open, b.uri)
		}
	}
	return open
}

// watchedClient is redirectingClient with a bodyWatch under the middleware.
func watchedClient(t *testing.T, o middleware.RedirectOptions) (*http.Client, *bodyWatch) {
	base := &http.Transport{}
	t.Cleanup(base.CloseIdleConnections)
	w := &bodyWatch{next: base}
	return &http.Client{
		Transport:     middleware.Chain(w, middleware.Redirects(o)),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}, w
}

// loopServer redirects /N to /N+1, with a body to drain, until N reaches the
// ?end= parameter; without one the chain never ends.
func loopServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(strings.TrimPrefix(r.URL.Path, "/"), &n)
		if end := r.URL.Query().Get("end"); end != "" && end == fmt.Sprint(n) {
			io.WriteString(w, "done")
			return
		}
		next := fmt.Sprintf("/%d", n+1)
		if r.URL.RawQuery != "" {
			next += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, next, http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func hopPaths(hops []*http.Response) []string {
	var p []string
	for _, h := range hops {
		p = append(p, h.Request.URL.Path)
	}
	return p
}

func firstPaths(n int) []string {
	var p []string
	for i := range n {
		p = append(p, fmt.Sprintf("/%d", i))
	}
	return p
}

// TestRedirectLimits checks every way of setting the limit: a chain of
// exactly limit redirects is followed; an endless one makes limit+1 requests
// and fails with a history of limit responses (Requests'
// TooManyRedirects.response.history), every dropped body closed.
func TestRedirectLimits(t *testing.T) {
	srv := loopServer(t)
	cases := []struct {
		name  string
		max   int // RedirectOptions.Max
		ctx   func(context.Context) context.Context
		limit int // the redirects a chain may follow
	}{
		{"default", 0, nil, middleware.DefaultMaxRedirects},
		{"Max 3", 3, nil, 3},
		{"Max 1", 1, nil, 1},
		{"Max negative allows none", -1, nil, 0},
		{"WithMaxRedirects 2 over Max 5", 5, func(c context.Context) context.Context { return middleware.WithMaxRedirects(c, 2) }, 2},
		{"WithMaxRedirects 40 over the default", 0, func(c context.Context) context.Context { return middleware.WithMaxRedirects(c, 40) }, 40},
		{"WithMaxRedirects 0 allows none", 5, func(c context.Context) context.Context { return middleware.WithMaxRedirects(c, 0) }, 0},
		{"WithMaxRedirects -3 allows none", 0, func(c context.Context) context.Context { return middleware.WithMaxRedirects(c, -3) }, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.ctx != nil {
				ctx = tc.ctx(ctx)
			}
			c, watch := watchedClient(t, middleware.RedirectOptions{Max: tc.max})

			req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/0?end=%d", srv.URL, tc.limit), nil)
			resp, err := c.Do(req)
			if err != nil {
				t.Fatalf("a chain of exactly %d redirects: %v", tc.limit, err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(body) != "done" || len(middleware.Hops(resp)) != tc.limit {
				t.Errorf("a chain of exactly %d redirects ended with %q after %d hops", tc.limit, body, len(middleware.Hops(resp)))
			}

			before := watch.sent()
			req, _ = http.NewRequestWithContext(ctx, "GET", srv.URL+"/0", nil)
			resp, err = c.Do(req)
			var re *middleware.RedirectError
			if !errors.Is(err, middleware.ErrTooManyRedirects) || !errors.As(err, &re) {
				if resp != nil {
					resp.Body.Close()
				}
				t.Fatalf("endless chain: err = %v, want a *RedirectError matching ErrTooManyRedirects", err)
			}
			if n := watch.sent() - before; n != tc.limit+1 {
				t.Errorf("endless chain: %d requests, want %d", n, tc.limit+1)
			}
			if diff := cmp.Diff(firstPaths(tc.limit), hopPaths(re.History)); diff != "" {
				t.Errorf("History (-want +got):\n%s", diff)
			}
			if r := re.Response; r == nil || r.StatusCode != http.StatusFound || r.Request.URL.Path != fmt.Sprintf("/%d", tc.limit) {
				t.Errorf("Response = %v, want the 302 of /%d, the redirect not followed", r, tc.limit)
			} else if !slices.Equal(middleware.Hops(r), re.History) {
				t.Errorf("Hops(Response) = %q, want History", hopPaths(middleware.Hops(r)))
			}
			if want := fmt.Sprintf("after %d redirects", tc.limit); !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
			if open := watch.open(); len(open) != 0 {
				t.Errorf("bodies left open: %q", open)
			}
		})
	}
}
