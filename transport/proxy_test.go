package transport

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/relayhttp/relay/internal/proxytest"
	"github.com/relayhttp/relay/middleware"
)

// TestProxyConnectRefused checks that a transport from New reports a
// refused CONNECT as a *middleware.ProxyError naming the proxy without its
// password, and that credentials in the proxy URL open the tunnel.
func TestProxyConnectRefused(t *testing.T) {
	origin := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v := r.Header.Get("Proxy-Authorization"); v != "" {
			t.Errorf("origin saw Proxy-Authorization %q inside the tunnel", v)
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer origin.Close()
	roots := x509.NewCertPool()
	roots.AddCert(origin.Certificate())

	proxy := proxytest.New(t, proxytest.Options{User: "u", Password: "s3cret"})
	tr := Pools(mustNew(t, IgnoreEnvironment(), Proxy(nil), TLSConfig(&tls.Config{RootCAs: roots})))

	send := func(p *url.URL) (string, error) {
		ctx := middleware.WithProxy(t.Context(), p)
		req, _ := http.NewRequestWithContext(ctx, "GET", origin.URL+"/", nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}

	for _, p := range []*url.URL{proxy.URL, proxy.URLWithAuth("u", "wrong-pass")} {
		_, err := send(p)
		var pe *middleware.ProxyError
		if !errors.As(err, &pe) || !errors.Is(err, middleware.ErrProxyAuthRequired) {
			t.Fatalf("through %s: err = %v (%T), want a *middleware.ProxyError matching ErrProxyAuthRequired", p.Redacted(), err, err)
		}
		if pe.StatusCode != http.StatusProxyAuthRequired || pe.Proxy != p.Redacted() {
			t.Errorf("ProxyError = %+v, want 407 from %s", pe, p.Redacted())
		}
		if strings.Contains(err.Error(), "wrong-pass") {
			t.Errorf("error %q holds the password", err)
		}
	}
	if body, err := send(proxy.URLWithAuth("u", "s3cret")); err != nil || body != "ok" {
		t.Fatalf("with credentials: %q, %v", body, err)
	}
	want := []string{"", proxytest.BasicAuth("u", "wrong-pass"), proxytest.BasicAuth("u", "s3cret")}
	if got := proxy.ProxyAuthorizations(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("proxy saw Proxy-Authorization %q, want %q", got, want)
	}
	if proxy.Connects() != 3 || proxy.Requests() != 0 {
		t.Errorf("proxy saw %d CONNECTs and %d requests, want 3 and 0", proxy.Connects(), proxy.Requests())
	}
}
