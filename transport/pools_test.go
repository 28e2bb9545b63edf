package transport

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/relayhttp/relay/internal/pkitest"
	"github.com/relayhttp/relay/internal/proxytest"
	"github.com/relayhttp/relay/middleware"
)

var fromTest = middleware.Source{Level: middleware.FromSession, Name: "test"}

func verifyWith(ca string) middleware.Route {
	return middleware.Route{TLS: TLSSettings{CABundle: ca}, VerifySource: fromTest}
}

func insecure() middleware.Route {
	return middleware.Route{TLS: TLSSettings{InsecureSkipVerify: true}, VerifySource: fromTest}
}

func withCert(r middleware.Route, cert, key string) middleware.Route {
	r.TLS.CertFile, r.TLS.KeyFile, r.CertSource = cert, key, fromTest
	return r
}

func viaProxy(u *url.URL) middleware.Route {
	return proxied(middleware.Route{}, u)
}

func proxied(r middleware.Route, u *url.URL) middleware.Route {
	r.Proxy, r.ProxySource = u, fromTest
	return r
}

// getRouted sends a GET for url through rt with route r in its context.
func getRouted(t testing.TB, rt http.RoundTripper, r middleware.Route, url string) (proto int, body string, err error) {
	t.Helper()
	return getWith(t, middleware.WithRoute(t.Context(), r), rt, url)
}

// newPools routes base, and closes its connections when the test ends.
func newPools(t testing.TB, base *http.Transport, o PoolsOptions) *pools {
	t.Helper()
	p := PoolsWithOptions(base, o).(*pools)
	t.Cleanup(p.CloseIdleConnections)
	return p
}

// TestPoolsKeepRoutesApart checks SECURITY.md's TLS line for HTTP/1.1 and
// HTTP/2: a connection made without verification, or with a client
// certificate, is never reused by a route that verifies, or presents no
// certificate; each route reuses its own.
func TestPoolsKeepRoutesApart(t *testing.T) {
	clearEnv(t)
	for _, h2 := range []bool{false, true} {
		t.Run(fmt.Sprintf("HTTP/2=%v", h2), func(t *testing.T) {
			p := pkitest.New(t, "apart")
			srv := p.NewServer(t, pkitest.ServerOptions{HTTP2: h2, VerifyClientCert: true})
			rt := newPools(t, mustNew(t, IgnoreEnvironment(), Proxy(nil)), PoolsOptions{})
			wantProto := 1
			if h2 {
				wantProto = 2
			}
			for i, step := range []struct {
				name      string
				route     middleware.Route
				wantBody  string
				wantConns int64
			}{
				{"verified", verifyWith(p.CAFile), "anonymous", 1},
				{"verified again", verifyWith(p.CAFile), "anonymous", 1},
				{"insecure", insecure(), "anonymous", 2},
				{"verified after insecure", verifyWith(p.CAFile), "anonymous", 2},
				{"client certificate", withCert(verifyWith(p.CAFile), p.ClientCertFile, p.ClientKeyFile), p.ClientCN, 3},
				{"combined file", withCert(verifyWith(p.CAFile), p.ClientPEMFile, ""), p.ClientCN, 4},
				{"verified after the certificates", verifyWith(p.CAFile), "anonymous", 4},
				{"insecure again", insecure(), "anonymous", 4},
			} {
				proto, body, err := getRouted(t, rt, step.route, srv.URL)
				if err != nil || body != step.wantBody || proto != wantProto {
					t.Fatalf("step %d (%s): HTTP/%d %q, %v; want HTTP/%d %q", i, step.name, proto, body, err, wantProto, step.wantBody)
				}
				if got := srv.Conns.Load(); got != step.wantConns {
					t.Fatalf("step %d (%s): the server accepted %d connections, want %d", i, step.name, got, step.wantConns)
				}
			}
			// The base itself verifies against the system roots, untouched by
			// the clones: the test CA is unknown to it.
			if _, _, err := get(t, rt, srv.URL); err == nil {
				t.Error("a request without a route was accepted by a server the system roots do not know")
			}
		})
	}
}

// TestPoolsLeaveBaseUnchanged: a route's settings go to a clone, never to
// the transport given.
func TestPoolsLeaveBaseUnchanged(t *testing.T) {
	clearEnv(t)
	p := pkitest.New(t, "base")
	srv := p.NewServer(t, pkitest.ServerOptions{HTTP2: true, VerifyClientCert: true})
	proxy := proxytest.New(t, proxytest.Options{})
	base := mustNew(t, IgnoreEnvironment(), Proxy(nil))
	tc, roots := base.TLSClientConfig, base.TLSClientConfig.RootCAs
	rt := newPools(t, base, PoolsOptions{})
	for _, r := range []middleware.Route{
		insecure(), withCert(verifyWith(p.CAFile), p.ClientCertFile, p.ClientKeyFile), proxied(verifyWith(p.CAFile), proxy.URL),
	} {
		if _, _, err := getRouted(t, rt, r, srv.URL); err != nil {
			t.Fatal(err)
		}
	}
	if base.Proxy != nil || base.TLSClientConfig != tc || tc.RootCAs != roots || tc.InsecureSkipVerify ||
		len(tc.Certificates) != 0 || tc.GetClientCertificate != nil || tc.VerifyConnection != nil {
		t.Errorf("the base transport was changed: Proxy set %v, TLS config %+v", base.Proxy != nil, tc)
	}
	if proxy.Connects() != 1 {
		t.Errorf("the proxied route made %d CONNECTs, want 1", proxy.Connects())
	}
}

// TestPoolsDirectOnDirectBase: a route that only says "direct" changes
// nothing for a base that sends everything direct, and gets no pool.
func TestPoolsDirectOnDirectBase(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	t.Cleanup(srv.Close)
	rt := newPools(t, mustNew(t, IgnoreEnvironment(), Proxy(nil)), PoolsOptions{})
	if _, body, err := getRouted(t, rt, viaProxy(nil), srv.URL); err != nil || body != "ok" {
		t.Fatalf("%q, %v", body, err)
	}
	if n := len(*rt.routes.Load()); n != 0 {
		t.Errorf("%d pools for a direct route on a direct transport, want 0", n)
	}
}

// waitGoroutines waits until at most n goroutines run, and reports how
// many there were at the end.
func waitGoroutines(n int) int {
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	return runtime.NumGoroutine()
}

// TestPoolsAreBounded rotates through many proxy routes (one proxy, other
// credentials each time: each its own route) and checks that only
// MaxRoutes pools, with their connections and goroutines, stay; a request
// in flight on a dropped pool finishes, and its connection is closed after.
func TestPoolsAreBounded(t *testing.T) {
	release := make(chan struct{})
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			w.(http.Flusher).Flush()
			<-release
		}
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(origin.Close)
	proxy := proxytest.New(t, proxytest.Options{})
	rt := newPools(t, mustNew(t, IgnoreEnvironment(), Proxy(nil)), PoolsOptions{MaxRoutes: 4})
	user := func(i int) middleware.Route {
		u := *proxy.URL
		u.User = url.UserPassword(fmt.Sprintf("user%d", i), "p")
		return viaProxy(&u)
	}
	// Warm up one route, so that the goroutines every connection needs on
	// both ends are counted once.
	if _, _, err := getRouted(t, rt, user(-1), origin.URL); err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()

	// A request in flight on the route that will be dropped first.
	req, _ := http.NewRequestWithContext(middleware.WithRoute(t.Context(), user(0)), http.MethodGet, origin.URL+"/slow", nil)
	slow, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 200; i++ {
		if _, body, err := getRouted(t, rt, user(i), origin.URL); err != nil || body != "ok" {
			t.Fatalf("route %d: %q, %v", i, body, err)
		}
	}
	if n := len(*rt.routes.Load()); n != 4 {
		t.Errorf("%d pools after 201 routes, want MaxRoutes = 4", n)
	}
	rt.mu.Lock()
	inFlight := len(rt.retired)
	rt.mu.Unlock()
	if inFlight != 1 {
		t.Errorf("%d dropped pools kept for requests in flight, want 1", inFlight)
	}
	close(release)
	if b, err := io.ReadAll(slow.Body); err != nil || string(b) != "ok" {
		t.Errorf("the request in flight on a dropped pool: %q, %v", b, err)
	}
	slow.Body.Close()
	rt.mu.Lock()
	inFlight = len(rt.retired)
	rt.mu.Unlock()
	if inFlight != 0 {
		t.Errorf("%d dropped pools kept after their last request, want 0", inFlight)
	}
	// Four pools with one connection each, as the warm-up route had: a few
	// goroutines per connection on each end, no more.
	if n := waitGoroutines(before + 4*6); n > before+4*6 {
		t.Errorf("%d goroutines after rotating through 201 routes, started with %d: connections of dropped pools stay open", n, before)
	}
	if c := proxy.Requests(); c != 202 {
		t.Errorf("the proxy forwarded %d requests, want 202", c)
	}
}

// rotate replaces the file at path with data, as rotation tools do: a new
// file renamed into place.
func rotate(t *testing.T, path string, data []byte) {
	t.Helper()
	tmp := path + ".new"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPoolsFollowFileRotation: a CA bundle and a client certificate that
// change on disk are read again for new connections; a bundle that
// disappears fails new connections with an error naming it, and one that
// comes back works again. The check interval is shortened to every
// request.
func TestPoolsFollowFileRotation(t *testing.T) {
	clearEnv(t)
	one, two := pkitest.New(t, "one"), pkitest.New(t, "two")
	srvOne := one.NewServer(t, pkitest.ServerOptions{HTTP2: true})
	srvTwo := two.NewServer(t, pkitest.ServerOptions{HTTP2: true})
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	rotate(t, ca, read(t, one.CAFile))
	rt := newPools(t, mustNew(t, IgnoreEnvironment(), Proxy(nil)), PoolsOptions{})
	rt.checkEvery = 0

	check := func(step string, srv *pkitest.Server, wantOK bool) {
		t.Helper()
		_, _, err := getRouted(t, rt, verifyWith(ca), srv.URL)
		if (err == nil) != wantOK {
			t.Fatalf("%s: err = %v, want success %v", step, err, wantOK)
		}
	}
	check("CA one", srvOne, true)
	check("CA one, server two", srvTwo, false)
	rotate(t, ca, read(t, two.CAFile))
	check("rotated to CA two", srvTwo, true)
	check("rotated to CA two, server one", srvOne, false)

	if err := os.Remove(ca); err != nil {
		t.Fatal(err)
	}
	_, _, err := getRouted(t, rt, verifyWith(ca), srvTwo.URL)
	if err == nil || !strings.Contains(err.Error(), ca) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("bundle removed: err = %v, want an error naming %s", err, ca)
	}
	rotate(t, ca, read(t, two.CAFile))
	check("bundle back", srvTwo, true)

	// Client certificates: the server sees the new one on the next
	// connection.
	srvCert := one.NewServer(t, pkitest.ServerOptions{RequireClientCert: true})
	certA, keyA, _ := one.IssueClient(t, "alice", "alice")
	certB, keyB, _ := one.IssueClient(t, "bob", "bob")
	cert, key := filepath.Join(dir, "client.pem"), filepath.Join(dir, "client-key.pem")
	rotate(t, cert, read(t, certA))
	rotate(t, key, read(t, keyA))
	route := withCert(verifyWith(one.CAFile), cert, key)
	if _, body, err := getRouted(t, rt, route, srvCert.URL); err != nil || body != "alice" {
		t.Fatalf("first certificate: %q, %v", body, err)
	}
	rotate(t, cert, read(t, certB))
	rotate(t, key, read(t, keyB))
	if _, body, err := getRouted(t, rt, route, srvCert.URL); err != nil || body != "bob" {
		t.Fatalf("rotated certificate: %q, %v; want bob", body, err)
	}
}

// TestPoolsRejectBadFiles: a file that cannot be used fails the request
// before any connection, naming the file and where it came from; the
// failure is not remembered, and other routes keep working.
func TestPoolsRejectBadFiles(t *testing.T) {
	clearEnv(t)
	p := pkitest.New(t, "bad")
	srv := p.NewServer(t, pkitest.ServerOptions{})
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.pem")
	noCert := filepath.Join(dir, "empty.pem")
	if err := os.WriteFile(noCert, []byte("no certificates here\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rt := newPools(t, mustNew(t, IgnoreEnvironment(), Proxy(nil)), PoolsOptions{})
	fromOption := middleware.Source{Level: middleware.FromRequest, Name: "client.CABundle"}
	certOption := middleware.Source{Level: middleware.FromRequest, Name: "client.ClientCert"}
	for _, c := range []struct {
		name  string
		route middleware.Route
		want  []string
	}{
		{"missing CA bundle", middleware.Route{TLS: TLSSettings{CABundle: missing}, VerifySource: fromOption},
			[]string{missing, "client.CABundle option", "no such file"}},
		{"CA bundle without certificates", middleware.Route{TLS: TLSSettings{CABundle: noCert}, VerifySource: fromOption},
			[]string{noCert, "client.CABundle option", "no PEM certificates"}},
		{"key of another certificate", middleware.Route{TLS: TLSSettings{CertFile: p.ClientCertFile, KeyFile: p.OtherKeyFile}, CertSource: certOption},
			[]string{p.ClientCertFile, p.OtherKeyFile, "client.ClientCert option"}},
		{"missing client certificate", middleware.Route{TLS: TLSSettings{CertFile: missing}, CertSource: certOption},
			[]string{missing, "client.ClientCert option"}},
	} {
		for range 2 { // not remembered: the second time fails the same way
			_, _, err := getRouted(t, rt, c.route, srv.URL)
			for _, w := range c.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("%s: err = %v, want it to mention %q", c.name, err, w)
				}
			}
		}
	}
	if n := srv.Conns.Load(); n != 0 {
		t.Errorf("bad files let %d connections be made, want 0", n)
	}
	if _, _, err := getRouted(t, rt, verifyWith(p.CAFile), srv.URL); err != nil {
		t.Errorf("a good route after bad ones: %v", err)
	}
}

// fakeRT is a RoundTripper that is not an *http.Transport.
type fakeRT struct{ calls int }

func (f *fakeRT) RoundTrip(req *http.Request) (*http.Response, error) {
	f.calls++
	return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: req}, nil
}

type selfRouted struct {
	fakeRT
	seen middleware.Route
}

func (s *selfRouted) RoutesItself() {}

func (s *selfRouted) RoundTrip(req *http.Request) (*http.Response, error) {
	s.seen, _ = middleware.RouteFromContext(req.Context())
	return s.fakeRT.RoundTrip(req)
}

// TestRoutedRefusesWhatItCannotTake: a transport that cannot be routed
// fails an explicit choice before it is called, naming the mount and the
// setting; it still takes the environment's choices and direct ones; a
// SelfRouting transport gets every route.
func TestRoutedRefusesWhatItCannotTake(t *testing.T) {
	fake := &fakeRT{}
	rt := Routed(fake, PoolsOptions{Name: `mount "https://api.test"`})
	proxy, _ := url.Parse("http://user:secret@proxy.test:3128")
	for _, r := range []middleware.Route{
		{Proxy: proxy, ProxySource: middleware.Source{Level: middleware.FromSession, Name: `Session.Proxies["https"]`}},
		{TLS: TLSSettings{InsecureSkipVerify: true}, VerifySource: middleware.Source{Level: middleware.FromRequest, Name: "client.InsecureSkipVerify"}},
		{TLS: TLSSettings{CertFile: "c.pem"}, CertSource: middleware.Source{Level: middleware.FromSession, Name: "Session.TLS"}},
	} {
		body := &bodyCloses{}
		req, _ := http.NewRequestWithContext(middleware.WithRoute(context.Background(), r), "POST", "https://api.test/", body)
		_, err := rt.RoundTrip(req)
		var re *RouteError
		if !errors.As(err, &re) || !errors.Is(err, ErrUnroutable) {
			t.Fatalf("route %+v: err = %v, want a *RouteError", r, err)
		}
		msg := err.Error()
		if !strings.Contains(msg, `mount "https://api.test"`) || !strings.Contains(msg, "*transport.fakeRT") ||
			!strings.Contains(msg, r.Explicit()) || strings.Contains(msg, "secret") || strings.Contains(msg, "user") {
			t.Errorf("error %q should name the mount, the transport and %q, without credentials", msg, r.Explicit())
		}
		if body.closed != 1 {
			t.Errorf("request body closed %d times, want 1", body.closed)
		}
	}
	if fake.calls != 0 {
		t.Fatalf("the transport was called %d times for routes it cannot take", fake.calls)
	}
	for _, r := range []middleware.Route{
		{Proxy: proxy, ProxySource: middleware.Source{Level: middleware.FromEnvironment, Name: "HTTPS_PROXY"}},
		{TLS: TLSSettings{CABundle: "/etc/ca.pem"}, VerifySource: middleware.Source{Level: middleware.FromEnvironment, Name: "SSL_CERT_FILE"}},
		{ProxySource: middleware.Source{Level: middleware.FromSession, Name: `Session.Proxies["all://api.test"]`}}, // direct
	} {
		if _, _, err := getRouted(t, rt, r, "https://api.test/"); err != nil {
			t.Errorf("route %+v: %v, want it left to the transport", r, err)
		}
	}
	if fake.calls != 3 {
		t.Errorf("the transport was called %d times, want 3", fake.calls)
	}

	self := &selfRouted{}
	if got := Routed(self, PoolsOptions{}); got != self {
		t.Fatalf("Routed(SelfRouting) = %T, want the transport itself", got)
	}
	r := insecure()
	if _, _, err := getRouted(t, self, r, "https://api.test/"); err != nil || !self.seen.TLS.InsecureSkipVerify {
		t.Errorf("self-routing transport: %v, saw %+v", err, self.seen)
	}
	if _, ok := Routed(&http.Transport{}, PoolsOptions{}).(*pools); !ok {
		t.Error("Routed(*http.Transport) is not pooled")
	}
}

type bodyCloses struct {
	strings.Reader
	closed int
}

func (c *bodyCloses) Close() error { c.closed++; return nil }

// TestPoolsRefuseWhatACloneCannotFollow: HTTP/2 set up through TLSNextProto
// and a custom TLS dialer cannot be carried into a clone safely.
func TestPoolsRefuseWhatACloneCannotFollow(t *testing.T) {
	custom := &http.Transport{TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{
		"h2": func(string, *tls.Conn) http.RoundTripper { return nil },
	}}
	rt := newPools(t, custom, PoolsOptions{Name: "the base transport"})
	_, _, err := getRouted(t, rt, insecure(), "https://127.0.0.1:1/")
	if !errors.Is(err, ErrUnroutable) || !strings.Contains(err.Error(), "TLSNextProto") || !strings.Contains(err.Error(), "the base transport") {
		t.Errorf("TLSNextProto h2: err = %v, want a RouteError naming TLSNextProto", err)
	}

	dialTLS := &http.Transport{DialTLSContext: dialTo("127.0.0.1:1")}
	rt = newPools(t, dialTLS, PoolsOptions{})
	if _, _, err := getRouted(t, rt, insecure(), "https://127.0.0.1:1/"); !errors.Is(err, ErrUnroutable) ||
		!strings.Contains(err.Error(), "DialTLSContext") {
		t.Errorf("custom DialTLSContext with a TLS route: err = %v, want a RouteError", err)
	}
	// A proxy route does not need the TLS dialer (net/http uses it only
	// for direct connections).
	proxy := proxytest.New(t, proxytest.Options{})
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	t.Cleanup(origin.Close)
	if _, body, err := getRouted(t, rt, viaProxy(proxy.URL), origin.URL); err != nil || body != "ok" {
		t.Errorf("custom DialTLSContext with a proxy route: %q, %v", body, err)
	}
}
