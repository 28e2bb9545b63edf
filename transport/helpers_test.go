package transport

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"

	"github.com/relayhttp/relay/middleware"
)

// dialTo returns a dial function that connects every address to addr, the
// way tests make made-up host names such as a.test reach a loopback server.
func dialTo(addr string) func(ctx context.Context, network, _ string) (net.Conn, error) {
	var d net.Dialer
	return func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}
}

// mustNew calls New and fails the test on error. The transport's idle
// connections are closed when the test ends.
func mustNew(t testing.TB, opts ...Option) *http.Transport {
	t.Helper()
	rt, err := New(opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	tr, ok := rt.(*http.Transport)
	if !ok {
		t.Fatalf("New returned %T, want *http.Transport", rt)
	}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// get sends a GET for url through rt and returns the response's protocol
// major version and body.
func get(t testing.TB, rt http.RoundTripper, url string) (proto int, body string, err error) {
	t.Helper()
	return getWith(t, t.Context(), rt, url)
}

// getWith is get with the request's context.
func getWith(t testing.TB, ctx context.Context, rt http.RoundTripper, url string) (proto int, body string, err error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.ProtoMajor, string(b), err
}

// clearEnv unsets the CA bundle variables for the test.
func clearEnv(t *testing.T) {
	t.Setenv(middleware.EnvCABundle, "")
	t.Setenv(middleware.EnvSSLCertFile, "")
}
