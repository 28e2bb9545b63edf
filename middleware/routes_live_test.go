package middleware_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/relayhttp/relay/middleware"
)

// BenchmarkRoutesFromProxyKeys measures the route middleware of a session
// whose Proxies map holds n keys for other hosts, for a request that goes
// direct: what a request pays to notice that the map did not change. The
// cost should not grow with n.
func BenchmarkRoutesFromProxyKeys(b *testing.B) {
	for _, name := range proxyEnvVars {
		b.Setenv(name, "")
	}
	ok := &http.Response{StatusCode: http.StatusOK, Body: http.NoBody}
	next := middleware.RoundTripperFunc(func(*http.Request) (*http.Response, error) { return ok, nil })
	for _, n := range []int{1, 100, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			proxies := make(map[string]string, n)
			for i := range n {
				proxies[fmt.Sprintf("http://p%d.example.test", i)] = "http://127.0.0.1:9"
			}
			mw, err := middleware.RoutesFrom(func() middleware.RouteOptions {
				return middleware.RouteOptions{Proxies: proxies, TrustEnv: true, Name: "Session"}
			})
			if err != nil {
				b.Fatal(err)
			}
			rt := mw(next)
			req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:8080/small", nil)
			b.ReportAllocs()
			for b.Loop() {
				_, _ = rt.RoundTrip(req)
			}
		})
	}
}
