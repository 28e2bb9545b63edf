//go:build !race

package transport

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestPoolsAllocations: a request without a route costs what it costs on
// the base transport alone. (Allocation counts are exact only without the
// race detector; scripts/test.sh runs this without it.)
func TestPoolsAllocations(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	t.Cleanup(srv.Close)
	base := mustNew(t, IgnoreEnvironment(), Proxy(nil))
	pooled := newPools(t, base, PoolsOptions{})
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	send := func(rt http.RoundTripper) func() {
		return func() {
			resp, err := rt.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	send(base)() // a connection to reuse
	bare := testing.AllocsPerRun(200, send(base))
	routed := testing.AllocsPerRun(200, send(pooled))
	if routed > bare {
		t.Errorf("a request without a route: %v allocations through Pools, %v through the base alone", routed, bare)
	}
}
