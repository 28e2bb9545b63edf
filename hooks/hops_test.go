package hooks_test

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/hooks"
	"github.com/relayhttp/relay/middleware"
)

// event is what a hook saw, for comparing sequences.
type event struct {
	Kind, Path string
	Status     int
}

type recorder struct {
	mu     sync.Mutex
	events []event
}

func (r *recorder) add(e event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

func (r *recorder) register(reg *hooks.Registry) {
	reg.OnRequest(func(req *http.Request) error {
		r.add(event{"request", req.URL.Path, 0})
		return nil
	})
	reg.OnResponse(func(resp *http.Response) (*http.Response, error) {
		r.add(event{"response", resp.Request.URL.Path, resp.StatusCode})
		return nil, nil
	})
	reg.OnError(func(req *http.Request, err error) {
		r.add(event{"error", req.URL.Path, 0})
	})
}

func TestHops(t *testing.T) {
	srv := newServer(t)
	base := srv.Client().Transport
	asked := hooks.WithHops(context.Background())
	final := []event{{"request", "/redirect/2", 0}, {"response", "/final", 200}}
	every := []event{
		{"request", "/redirect/2", 0}, {"response", "/redirect/2", 302},
		{"request", "/redirect/1", 0}, {"response", "/redirect/1", 302},
		{"request", "/final", 0}, {"response", "/final", 200},
	}
	tests := []struct {
		name string
		ctx  context.Context
		path string
		// stack builds the chain over base, as a session would.
		stack func(reg *hooks.Registry) http.RoundTripper
		want  []event
	}{
		{
			name: "default: final response only",
			ctx:  context.Background(),
			path: "/redirect/2",
			stack: func(reg *hooks.Registry) http.RoundTripper {
				return middleware.Chain(base, hooks.Middleware(reg), middleware.Redirects(middleware.RedirectOptions{}), hooks.HopMiddleware(reg))
			},
			want: final,
		},
		{
			name: "asked: every hop, none twice",
			ctx:  asked,
			path: "/redirect/2",
			stack: func(reg *hooks.Registry) http.RoundTripper {
				return middleware.Chain(base, hooks.Middleware(reg), middleware.Redirects(middleware.RedirectOptions{}), hooks.HopMiddleware(reg))
			},
			want: every,
		},
		{
			name: "asked, no hop middleware: final only",
			ctx:  asked,
			path: "/redirect/2",
			stack: func(reg *hooks.Registry) http.RoundTripper {
				return middleware.Chain(base, hooks.Middleware(reg), middleware.Redirects(middleware.RedirectOptions{}))
			},
			want: final,
		},
		{
			name: "asked, hop middleware alone",
			ctx:  asked,
			path: "/redirect/2",
			stack: func(reg *hooks.Registry) http.RoundTripper {
				return middleware.Chain(base, middleware.Redirects(middleware.RedirectOptions{}), hooks.HopMiddleware(reg))
			},
			want: every,
		},
		{
			name: "asked: a redirect error after hooked hops is hooked once",
			ctx:  asked,
			path: "/redirect/3",
			stack: func(reg *hooks.Registry) http.RoundTripper {
				return middleware.Chain(base, hooks.Middleware(reg), middleware.Redirects(middleware.RedirectOptions{Max: 1}), hooks.HopMiddleware(reg))
			},
			want: []event{
				{"request", "/redirect/3", 0}, {"response", "/redirect/3", 302},
				{"request", "/redirect/2", 0}, {"response", "/redirect/2", 302},
				{"error", "/redirect/3", 0},
			},
		},
		{
			name: "asked: a transport error is hooked once",
			ctx:  asked,
			path: "/redirect/1",
			stack: func(reg *hooks.Registry) http.RoundTripper {
				failFinal := middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
					if req.URL.Path == "/final" {
						return nil, errHook
					}
					return base.RoundTrip(req)
				})
				return middleware.Chain(failFinal, hooks.Middleware(reg), middleware.Redirects(middleware.RedirectOptions{}), hooks.HopMiddleware(reg))
			},
			want: []event{
				{"request", "/redirect/1", 0}, {"response", "/redirect/1", 302},
				{"request", "/final", 0}, {"error", "/final", 0},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var reg hooks.Registry
			var rec recorder
			rec.register(&reg)
			resp, err := get(t, tc.stack(&reg), tc.ctx, srv.URL+tc.path)
			if err == nil {
				readAll(t, resp)
			}
			if diff := cmp.Diff(tc.want, rec.events); diff != "" {
				t.Errorf("events mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHopsRetry has a toy retry middleware under Redirects: each attempt is
// hooked when asked, and the final response once otherwise.
func TestHopsRetry(t *testing.T) {
	srv := newServer(t)
	base := srv.Client().Transport
	var attempts atomic.Int32
	flaky := middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		if attempts.Add(1)%2 == 1 {
			return nil, errHook
		}
		return base.RoundTrip(req)
	})
	retry := func(next http.RoundTripper) http.RoundTripper {
		return middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			if resp, err := next.RoundTrip(req); err == nil {
				return resp, nil
			}
			return next.RoundTrip(req.Clone(req.Context()))
		})
	}
	for _, tc := range []struct {
		ctx  context.Context
		want []event
	}{
		{context.Background(), []event{{"request", "/x", 0}, {"response", "/x", 200}}},
		{hooks.WithHops(context.Background()), []event{
			{"request", "/x", 0}, {"error", "/x", 0},
			{"request", "/x", 0}, {"response", "/x", 200},
		}},
	} {
		var reg hooks.Registry
		var rec recorder
		rec.register(&reg)
		rt := middleware.Chain(flaky, hooks.Middleware(&reg), middleware.Redirects(middleware.RedirectOptions{}), retry, hooks.HopMiddleware(&reg))
		resp, err := get(t, rt, tc.ctx, srv.URL+"/x")
		if err != nil {
			t.Fatal(err)
		}
		readAll(t, resp)
		if diff := cmp.Diff(tc.want, rec.events); diff != "" {
			t.Errorf("hops=%v: events mismatch (-want +got):\n%s", hooks.Hops(tc.ctx), diff)
		}
	}
}
