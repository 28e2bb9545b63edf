package hooks_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/relayhttp/relay/hooks"
	"github.com/relayhttp/relay/middleware"
)

func benchmarkHooks(b *testing.B, reg *hooks.Registry, ctx context.Context) {
	resp := &http.Response{StatusCode: 200, Body: http.NoBody}
	next := middleware.RoundTripperFunc(func(*http.Request) (*http.Response, error) { return resp, nil })
	rt := middleware.Chain(next, hooks.Middleware(reg), hooks.HopMiddleware(reg))
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://example.test/", nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rt.RoundTrip(req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNoHooks measures both middlewares with nothing registered.
func BenchmarkNoHooks(b *testing.B) {
	benchmarkHooks(b, &hooks.Registry{}, context.Background())
}

// BenchmarkResponseHook measures one session response hook that keeps the
// response.
func BenchmarkResponseHook(b *testing.B) {
	var reg hooks.Registry
	reg.OnResponse(func(*http.Response) (*http.Response, error) { return nil, nil })
	benchmarkHooks(b, &reg, context.Background())
}

// BenchmarkRequestHook measures one request hook, which costs a clone of
// the request.
func BenchmarkRequestHook(b *testing.B) {
	var reg hooks.Registry
	reg.OnRequest(func(*http.Request) error { return nil })
	benchmarkHooks(b, &reg, context.Background())
}
