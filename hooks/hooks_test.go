package hooks_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/hooks"
	"github.com/relayhttp/relay/middleware"
)

// recordingBody is a body that records whether it was closed.
type recordingBody struct {
	io.Reader
	closed atomic.Bool
}

func newBody(s string) *recordingBody { return &recordingBody{Reader: strings.NewReader(s)} }

func (b *recordingBody) Close() error {
	b.closed.Store(true)
	return nil
}

// bodyRecorder wraps next and swaps each response body for a recordingBody,
// so a test can tell whether the middleware above closed it.
type bodyRecorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen []*recordingBody
}

func (b *bodyRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := b.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	rb := newBody(string(data))
	b.mu.Lock()
	b.seen = append(b.seen, rb)
	b.mu.Unlock()
	resp.Body = rb
	return resp, nil
}

func (b *bodyRecorder) closed() []bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	var c []bool
	for _, rb := range b.seen {
		c = append(c, rb.closed.Load())
	}
	return c
}

// newServer answers /redirect/N with a 302 to /redirect/N-1 (/final at 0),
// /status/N with N, and anything else with 200 and the path as body.
func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int
		switch {
		case strings.HasPrefix(r.URL.Path, "/redirect/"):
			fmt.Sscanf(r.URL.Path, "/redirect/%d", &n)
			if n <= 1 {
				http.Redirect(w, r, "/final", http.StatusFound)
				return
			}
			http.Redirect(w, r, fmt.Sprintf("/redirect/%d", n-1), http.StatusFound)
		case strings.HasPrefix(r.URL.Path, "/status/"):
			fmt.Sscanf(r.URL.Path, "/status/%d", &n)
			w.WriteHeader(n)
			io.WriteString(w, r.URL.Path)
		default:
			io.WriteString(w, r.URL.Path+" "+r.Header.Get("X-Hook"))
		}
	}))
	t.Cleanup(func() {
		srv.Client().CloseIdleConnections()
		srv.Close()
	})
	return srv
}

func get(t *testing.T, rt http.RoundTripper, ctx context.Context, url string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rt.RoundTrip(req)
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestOrder(t *testing.T) {
	srv := newServer(t)
	var mu sync.Mutex
	var got []string
	note := func(s string) {
		mu.Lock()
		got = append(got, s)
		mu.Unlock()
	}
	reqHook := func(name string) hooks.RequestHook {
		return func(*http.Request) error { note("request " + name); return nil }
	}
	respHook := func(name string) hooks.ResponseHook {
		return func(*http.Response) (*http.Response, error) { note("response " + name); return nil, nil }
	}
	errHook := func(name string) hooks.ErrorHook {
		return func(*http.Request, error) { note("error " + name) }
	}
	var reg hooks.Registry
	reg.OnRequest(reqHook("s1"))
	reg.OnResponse(respHook("s1"))
	reg.OnError(errHook("s1"))
	reg.OnRequest(reqHook("s2"))
	reg.OnResponse(respHook("s2"))
	reg.OnError(errHook("s2"))
	ctx := context.Background()
	ctx = hooks.WithErrorHook(ctx, errHook("r1"))
	ctx = hooks.WithResponseHook(ctx, respHook("r1"))
	ctx = hooks.WithRequestHook(ctx, reqHook("r1"))
	ctx = hooks.WithRequestHook(ctx, reqHook("r2"))
	ctx = hooks.WithResponseHook(ctx, respHook("r2"))
	ctx = hooks.WithErrorHook(ctx, errHook("r2"))

	failing := middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		return nil, errors.New("dial refused")
	})
	for _, tc := range []struct {
		name string
		next http.RoundTripper
		want []string
	}{
		{"response", srv.Client().Transport, []string{
			"request s1", "request s2", "request r1", "request r2",
			"response s1", "response s2", "response r1", "response r2",
		}},
		{"error", failing, []string{
			"request s1", "request s2", "request r1", "request r2",
			"error s1", "error s2", "error r1", "error r2",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got = nil
			resp, err := get(t, hooks.Middleware(&reg)(tc.next), ctx, srv.URL)
			if err == nil {
				resp.Body.Close()
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("hook order mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestContextHooksDoNotLeakIntoParent(t *testing.T) {
	var calls []string
	parent := hooks.WithRequestHook(context.Background(), func(*http.Request) error { calls = append(calls, "parent"); return nil })
	_ = hooks.WithRequestHook(parent, func(*http.Request) error { calls = append(calls, "child"); return nil })
	next := middleware.RoundTripperFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	})
	if _, err := get(t, hooks.Middleware(nil)(next), parent, "http://example.test/"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"parent"}, calls); diff != "" {
		t.Errorf("hooks run mismatch (-want +got):\n%s", diff)
	}
}

func TestConcurrent(t *testing.T) {
	srv := newServer(t)
	var reg hooks.Registry
	var responses atomic.Int64
	reg.OnResponse(func(*http.Response) (*http.Response, error) { responses.Add(1); return nil, nil })
	rt := middleware.Chain(srv.Client().Transport, hooks.Middleware(&reg), middleware.Redirects(middleware.RedirectOptions{}), hooks.HopMiddleware(&reg))
	const n = 64
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ctx := context.Background()
			if i%2 == 0 {
				ctx = hooks.WithHops(ctx)
			}
			ctx = hooks.WithRequestHook(ctx, func(r *http.Request) error {
				r.Header.Set("X-Hook", fmt.Sprint(i))
				return nil
			})
			resp, err := get(t, rt, ctx, srv.URL+"/redirect/1")
			if err != nil {
				t.Error(err)
				return
			}
			if got, want := readAll(t, resp), fmt.Sprintf("/final %d", i); got != want {
				t.Errorf("body %q, want %q", got, want)
			}
		})
		if i%8 == 0 {
			reg.OnRequest(func(*http.Request) error { return nil }) // registering while requests run
		}
	}
	wg.Wait()
	// Odd requests: the final response; even ones: the 302 and the final.
	if got, want := responses.Load(), int64(n/2+n); got < want {
		t.Errorf("%d responses hooked, want at least %d", got, want)
	}
}

func TestNoHooksNoAllocations(t *testing.T) {
	resp := &http.Response{StatusCode: 200, Body: http.NoBody}
	next := middleware.RoundTripperFunc(func(*http.Request) (*http.Response, error) { return resp, nil })
	var reg hooks.Registry
	rt := middleware.Chain(next, hooks.Middleware(&reg), hooks.HopMiddleware(&reg))
	req, _ := http.NewRequest(http.MethodGet, "http://example.test/", nil)
	if n := testing.AllocsPerRun(100, func() { _, _ = rt.RoundTrip(req) }); n != 0 {
		t.Errorf("%v allocations per request without hooks, want 0", n)
	}
}

func TestCloseIdleConnectionsForwarded(t *testing.T) {
	var n atomic.Int32
	base := closeCounter{&n}
	middleware.CloseIdleConnections(middleware.Chain(base, hooks.Middleware(nil), hooks.HopMiddleware(nil)))
	if n.Load() != 1 {
		t.Errorf("CloseIdleConnections reached the base %d times, want 1", n.Load())
	}
}

type closeCounter struct{ n *atomic.Int32 }

func (c closeCounter) RoundTrip(*http.Request) (*http.Response, error) { return nil, errHook }
func (c closeCounter) CloseIdleConnections()                           { c.n.Add(1) }
