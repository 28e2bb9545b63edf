package middleware_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/internal/proxytest"
	"github.com/relayhttp/relay/middleware"
)

// TestProxyGoproxy is TestProxyTinyproxy's in-process twin, run on every
// machine: plain HTTP and HTTPS through a real forward proxy library
// (elazarl/goproxy), open and with Basic proxy authentication.
func TestProxyGoproxy(t *testing.T) {
	setProxyEnv(t)
	w := newWorld(t)
	check := func(t *testing.T, g *proxytest.GoproxyServer, proxyURL *url.URL) {
		rt := middleware.Chain(w.base(t), mustProxy(t, middleware.RouteOptions{
			// goproxy resolves names itself: use the origins' addresses.
			Proxies: map[string]string{"all": proxyURL.String()},
		}))
		before := len(g.Targets())
		body, err := fetch(t.Context(), rt, w.plain.URL+"/")
		if err != nil || body != "host="+w.plain.Listener.Addr().String()+" via=1.1 relay-goproxy (goproxy)" {
			t.Errorf("plain HTTP: %q, %v; want goproxy's Via", body, err)
		}
		// Inside a tunnel the proxy sees nothing: no Via reaches the origin.
		body, err = fetch(t.Context(), rt, w.tls.URL+"/")
		if err != nil || body != "host="+w.tls.Listener.Addr().String()+" via=" {
			t.Errorf("HTTPS through CONNECT: %q, %v", body, err)
		}
		want := []string{"GET " + w.plain.URL + "/", "CONNECT " + w.tls.Listener.Addr().String()}
		if diff := cmp.Diff(want, g.Targets()[before:]); diff != "" {
			t.Errorf("what goproxy handled (-want +got):\n%s", diff)
		}
	}
	t.Run("open", func(t *testing.T) {
		g := proxytest.Goproxy(t, proxytest.GoproxyOptions{})
		check(t, g, g.URL)
	})
	t.Run("BasicAuth", func(t *testing.T) {
		g := proxytest.Goproxy(t, proxytest.GoproxyOptions{User: "alice", Password: "s3cret"})
		check(t, g, g.URLWithAuth("alice", "s3cret"))
		for _, u := range []*url.URL{g.URL, g.URLWithAuth("alice", "wrong")} {
			rt := middleware.Chain(w.base(t), mustProxy(t, middleware.RouteOptions{
				Proxies: map[string]string{"all": u.String()},
			}))
			for _, target := range []string{w.plain.URL + "/", w.tls.URL + "/"} {
				if _, err := fetch(t.Context(), rt, target); !errors.Is(err, middleware.ErrProxyAuthRequired) {
					t.Errorf("%s through %s: err = %v, want ErrProxyAuthRequired", target, u.Redacted(), err)
				}
			}
		}
		if got := g.Targets(); len(got) != 6 || !strings.HasPrefix(got[5], "CONNECT ") {
			t.Errorf("goproxy handled %q; want 2 accepted and 4 refused", got)
		}
	})
	// The refused requests reached goproxy and went no further.
	w.mu.Lock()
	reached := len(w.seen)
	w.mu.Unlock()
	if reached != 4 {
		t.Errorf("the origins saw %d requests, want 4 (2 per subtest)", reached)
	}
	if got := w.originSawProxyAuth(); len(got) != 0 {
		t.Errorf("origins saw Proxy-Authorization %q", got)
	}
}
