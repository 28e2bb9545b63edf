package middleware_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/internal/proxytest"
	"github.com/relayhttp/relay/middleware"
	"github.com/relayhttp/relay/transport"
)

// proxyEnvVars are every variable ProxyEnvFromEnvironment reads.
var proxyEnvVars = []string{
	"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
	"all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY", "REQUEST_METHOD",
	"RELAY_CA_BUNDLE", "SSL_CERT_FILE",
}

// setProxyEnv clears the proxy (and CA bundle) variables for the test and sets kv
// (name, value, name, value, …).
func setProxyEnv(t *testing.T, kv ...string) {
	t.Helper()
	for _, name := range proxyEnvVars {
		t.Setenv(name, "")
	}
	for i := 0; i+1 < len(kv); i += 2 {
		t.Setenv(kv[i], kv[i+1])
	}
}

type selectCase struct {
	name    string
	proxies map[string]string
	env     *middleware.ProxyEnv
	url     string
	want    string // proxy URL, "" for direct
}

func (c selectCase) String() string {
	env := "no env"
	if c.env != nil {
		env = fmt.Sprintf("env %+v", *c.env)
	}
	return fmt.Sprintf("%s: %s with %v, %s", c.name, c.url, c.proxies, env)
}

func TestProxySelector(t *testing.T) {
	all := map[string]string{
		"all":                    "http://all:1",
		"http":                   "http://http:1",
		"https":                  "http://https:1",
		"all://api.test":         "http://all-host:1",
		"all://api.test:8443":    "http://all-host-port:1",
		"https://api.test":       "http://https-host:1",
		"https://api.test:443":   "http://https-host-443:1",
		"http://api.test":        "http://http-host:1",
		"http://[2001:db8::1]":   "http://v6:1",
		"HTTP://Upper.Test":      "http://upper:1",
		"http://direct.api.test": "",
	}
	env := &middleware.ProxyEnv{
		HTTPProxy:  "http://env-http:1",
		HTTPSProxy: "http://env-https:1",
		NoProxy:    "skip.test,.sub.test,10.0.0.0/8,2001:db8::2,port.test:8080",
	}
	allOnly := &middleware.ProxyEnv{AllProxy: "socks5h://env-all:1080", NoProxy: "skip.test"}
	for _, c := range []selectCase{
		{"scheme://host:port beats scheme://host", all, nil, "https://api.test/x", "http://https-host-443:1"},
		{"default port matches host:port key", all, nil, "https://API.test:443/", "http://https-host-443:1"},
		{"scheme://host beats all://host", all, nil, "http://api.test/", "http://http-host:1"},
		{"scheme://host beats all://host:port", all, nil, "https://api.test:8443/", "http://https-host:1"},
		{"all://host:port beats all://host", map[string]string{"all://api.test": "http://h:1", "all://api.test:8443": "http://hp:1"}, nil, "https://api.test:8443/", "http://hp:1"},
		{"all://host beats scheme", all, nil, "http://api.test:8080/", "http://http-host:1"},
		{"all://host, other scheme's port", map[string]string{"all://api.test": "http://h:1", "http": "http://s:1"}, nil, "http://api.test:9/", "http://h:1"},
		{"scheme beats all", all, nil, "https://other.test/", "http://https:1"},
		{"all for an unlisted scheme key", map[string]string{"all": "http://all:1", "http": "http://http:1"}, nil, "https://other.test/", "http://all:1"},
		{"host keys match exactly, not subdomains", all, nil, "https://x.api.test/", "http://https:1"},
		{"IPv6 host key", all, nil, "http://[2001:DB8::1]:8080/", "http://v6:1"},
		{"keys are case-insensitive", all, nil, "http://upper.test/", "http://upper:1"},
		{"empty value sends direct", all, env, "http://direct.api.test/", ""},
		{"map beats environment", map[string]string{"https": "http://map:1"}, env, "https://a.test/", "http://map:1"},
		{"environment after the map", map[string]string{"https://x.test": "http://x:1"}, env, "https://a.test/", "http://env-https:1"},
		{"HTTP_PROXY for http", nil, env, "http://a.test/", "http://env-http:1"},
		{"nothing without env", map[string]string{"https": "http://map:1"}, nil, "http://a.test/", ""},
		{"NO_PROXY domain and subdomains", nil, env, "http://www.skip.test/", ""},
		{"NO_PROXY domain itself", nil, env, "https://skip.test/", ""},
		{"NO_PROXY leading dot: subdomains only", nil, env, "https://sub.test/", "http://env-https:1"},
		{"NO_PROXY leading dot matches subdomain", nil, env, "https://a.sub.test/", ""},
		{"NO_PROXY CIDR", nil, env, "http://10.1.2.3/", ""},
		{"NO_PROXY CIDR, outside", nil, env, "http://11.1.2.3/", "http://env-http:1"},
		{"NO_PROXY IPv6", nil, env, "http://[2001:db8::2]/", ""},
		{"NO_PROXY with port", nil, env, "http://port.test:8080/", ""},
		{"NO_PROXY with other port", nil, env, "http://port.test/", "http://env-http:1"},
		{"NO_PROXY never applies to the map", map[string]string{"http": "http://map:1"}, env, "http://skip.test/", "http://map:1"},
		{"no_proxy key replaces NO_PROXY", map[string]string{"no_proxy": "a.test"}, env, "http://skip.test/", "http://env-http:1"},
		{"no_proxy key applies to env", map[string]string{"no_proxy": "a.test"}, env, "http://a.test/", ""},
		{"env never proxies loopback", nil, env, "http://127.0.0.1:8080/", ""},
		{"env never proxies localhost", nil, env, "http://localhost/", ""},
		{"map proxies loopback", map[string]string{"http": "http://map:1"}, env, "http://127.0.0.1/", "http://map:1"},
		{"ALL_PROXY for http", nil, allOnly, "http://a.test/", "socks5h://env-all:1080"},
		{"ALL_PROXY for https", nil, allOnly, "https://a.test/", "socks5h://env-all:1080"},
		{"NO_PROXY applies to ALL_PROXY", nil, allOnly, "https://skip.test/", ""},
		{"scheme variable beats ALL_PROXY", nil, &middleware.ProxyEnv{HTTPProxy: "h:3128", AllProxy: "http://all:1"}, "http://a.test/", "http://h:3128"},
		{"ALL_PROXY fills the other scheme", nil, &middleware.ProxyEnv{HTTPProxy: "h:3128", AllProxy: "http://all:1"}, "https://a.test/", "http://all:1"},
		{"NO_PROXY star", nil, &middleware.ProxyEnv{AllProxy: "http://all:1", NoProxy: "*"}, "https://a.test/", ""},
		{"value without scheme is http", map[string]string{"all": "proxy.test:3128"}, nil, "https://a.test/", "http://proxy.test:3128"},
		{"credentials kept", map[string]string{"all": "http://u:p%40ss@proxy.test:3128"}, nil, "https://a.test/", "http://u:p%40ss@proxy.test:3128"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := middleware.NewProxySelector(middleware.ProxyConfig{Proxies: c.proxies, Env: c.env})
			if err != nil {
				t.Fatalf("%v: %v", c, err)
			}
			u, err := url.Parse(c.url)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if p := s.Proxy(u); p != nil {
				got = p.String()
			}
			if got != c.want {
				t.Errorf("%v\ngot %q, want %q", c, got, c.want)
			}
		})
	}
}

type badConfigCase struct {
	proxies map[string]string
	env     *middleware.ProxyEnv
	want    string // in the error
}

func (c badConfigCase) String() string { return fmt.Sprintf("%v %+v", c.proxies, c.env) }

func TestProxySelectorRejects(t *testing.T) {
	for _, c := range []badConfigCase{
		{map[string]string{"ftp": "http://p:1"}, nil, `proxy key "ftp"`},
		{map[string]string{"ftp://host": "http://p:1"}, nil, `scheme "ftp"`},
		{map[string]string{"http://host/path": "http://p:1"}, nil, "without path"},
		{map[string]string{"http://user@host": "http://p:1"}, nil, "without path"},
		{map[string]string{"http://host:99999": "http://p:1"}, nil, "bad port"},
		{map[string]string{"http://host:": "http://p:1"}, nil, "bad port"},
		{map[string]string{"http://": "http://p:1"}, nil, "proxy key"},
		{map[string]string{"http://[::1": "http://p:1"}, nil, "unclosed"},
		{map[string]string{"http://[a.test]": "http://p:1"}, nil, "not an IPv6"},
		{map[string]string{"http": "http://p:1", "HTTP": "http://q:1"}, nil, "both given"},
		{map[string]string{"http": "ftp://p:1"}, nil, `scheme "ftp"`},
		{map[string]string{"http": "http://u:hunter2@p:1/path"}, nil, "no path"},
		{map[string]string{"http": "http://u:hunter2@:1"}, nil, "no host"},
		{map[string]string{"http": "http://u:hunter2@p:x1"}, nil, "does not parse"},
		{map[string]string{"http": "http://u:hunter2@p:70000"}, nil, "bad port"},
		{map[string]string{"http": " "}, nil, "empty"},
		{nil, &middleware.ProxyEnv{HTTPSProxy: "gopher://u:hunter2@p"}, "HTTPS_PROXY"},
		{nil, &middleware.ProxyEnv{AllProxy: "http://u:hunter2@p:bad"}, "ALL_PROXY"},
	} {
		_, err := middleware.NewProxySelector(middleware.ProxyConfig{Proxies: c.proxies, Env: c.env})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one containing %q", c, err, c.want)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%v: error %q shows the password", c, err)
		}
		if _, err := middleware.Routes(middleware.RouteOptions{Proxies: c.proxies}); c.env == nil && err == nil {
			t.Errorf("%v: Routes accepted it", c)
		}
	}
}

func TestProxyEnvFromEnvironment(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  []string
		want middleware.ProxyEnv
	}{
		{"upper-case", []string{"HTTP_PROXY", "h", "HTTPS_PROXY", "s", "ALL_PROXY", "a", "NO_PROXY", "n"},
			middleware.ProxyEnv{HTTPProxy: "h", HTTPSProxy: "s", AllProxy: "a", NoProxy: "n"}},
		{"lower-case wins", []string{"HTTP_PROXY", "H", "http_proxy", "h", "ALL_PROXY", "A", "all_proxy", "a", "no_proxy", "n", "NO_PROXY", "N"},
			middleware.ProxyEnv{HTTPProxy: "h", AllProxy: "a", NoProxy: "n"}},
		{"CGI: HTTP_PROXY is not trusted", []string{"REQUEST_METHOD", "GET", "HTTP_PROXY", "evil:1", "HTTPS_PROXY", "s"},
			middleware.ProxyEnv{HTTPSProxy: "s"}},
		{"CGI: http_proxy is", []string{"REQUEST_METHOD", "GET", "http_proxy", "h"},
			middleware.ProxyEnv{HTTPProxy: "h"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			setProxyEnv(t, tt.env...)
			if diff := cmp.Diff(tt.want, middleware.ProxyEnvFromEnvironment()); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseProxyURL(t *testing.T) {
	for in, want := range map[string]string{
		"proxy.test:3128":              "http://proxy.test:3128",
		"HTTPS://proxy.test":           "https://proxy.test",
		"socks5://127.0.0.1:1080/":     "socks5://127.0.0.1:1080",
		"socks5h://u:p@[::1]:1080":     "socks5h://u:p@[::1]:1080",
		" http://proxy.test:3128 ":     "http://proxy.test:3128",
		"http://us%40er:p%3Ass@p.test": "http://us%40er:p%3Ass@p.test",
	} {
		u, err := middleware.ParseProxyURL(in)
		if err != nil || u.String() != want {
			t.Errorf("ParseProxyURL(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
}

// FuzzProxyKey checks that any key is either rejected or, when it names a
// host, matches a URL for that host; and that nothing panics.
func FuzzProxyKey(f *testing.F) {
	for _, s := range []string{"http", "ALL", "no_proxy", "http://a.test", "all://a.test:8080",
		"https://[::1]:443", "http://[::1", "http://a:b:c", "https://a.test/", "all://xn--bcher-kva.test",
		"http://a.test:", "http://:80", "all://[fe80::1%25en0]", "http://\xaf0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		s, err := middleware.NewProxySelector(middleware.ProxyConfig{Proxies: map[string]string{key: "http://p.test:1"}})
		if err != nil {
			return
		}
		scheme, host, ok := strings.Cut(strings.TrimSpace(key), "://")
		if !ok {
			return
		}
		scheme = strings.ToLower(scheme)
		if scheme == "all" {
			scheme = "http"
		}
		u, err := url.Parse(scheme + "://" + strings.TrimSuffix(host, "/") + "/")
		if err != nil || u.Host != strings.TrimSuffix(host, "/") {
			return // a key url.Parse reads otherwise (escapes): no claim
		}
		if p := s.Proxy(u); p == nil || p.Host != "p.test:1" {
			t.Errorf("key %q accepted but %s does not match it (got %v)", key, u, p)
		}
	})
}

// world is an origin for plain HTTP and one for HTTPS, reachable as any
// made-up host name through dial, and a certificate pool that trusts the
// HTTPS origin (and any TLS proxy added to it).
type world struct {
	plain, tls *httptest.Server
	roots      *x509.CertPool

	mu   sync.Mutex
	seen []string // Proxy-Authorization headers the origins saw ("" for none)
}

func newWorld(t *testing.T) *world {
	w := &world{roots: x509.NewCertPool()}
	h := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		w.seen = append(w.seen, r.Header.Get("Proxy-Authorization"))
		w.mu.Unlock()
		if r.URL.Path == "/redirect" {
			http.Redirect(rw, r, r.URL.Query().Get("to"), http.StatusFound)
			return
		}
		fmt.Fprintf(rw, "host=%s via=%s", r.Host, r.Header.Get("Via"))
	})
	w.plain = httptest.NewServer(h)
	w.tls = httptest.NewTLSServer(h)
	t.Cleanup(w.plain.Close)
	t.Cleanup(w.tls.Close)
	w.roots.AddCert(w.tls.Certificate())
	return w
}

// dial sends every *.example.com name (the names httptest's certificate
// covers) to the origin for its port (443: the TLS
// origin, any other: the plain one), and any other address where it says.
func (w *world) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err == nil && strings.HasSuffix(host, ".example.com") {
		addr = w.plain.Listener.Addr().String()
		if port == "443" {
			addr = w.tls.Listener.Addr().String()
		}
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

// originSawProxyAuth reports the Proxy-Authorization values the origins saw,
// empty ones left out.
func (w *world) originSawProxyAuth() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, v := range w.seen {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// proxy starts a Go test proxy that reaches the world's origins.
func (w *world) proxy(t *testing.T, o proxytest.Options) *proxytest.Proxy {
	o.Dial = w.dial
	p := proxytest.New(t, o)
	if o.TLS {
		w.roots.AddCert(p.Server.Certificate())
	}
	return p
}

// base returns the transport the session would build: routed, direct unless a route says otherwise,
// the world's dialer, and trust in its certificates.
func (w *world) base(t *testing.T) http.RoundTripper {
	rt, err := transport.New(transport.IgnoreEnvironment(), transport.Proxy(nil),
		transport.DialContext(w.dial), transport.TLSConfig(&tls.Config{RootCAs: w.roots}))
	if err != nil {
		t.Fatal(err)
	}
	pools := transport.Pools(rt.(*http.Transport))
	t.Cleanup(func() { middleware.CloseIdleConnections(pools) })
	return pools
}

// baseOnlyTo is base with a dialer that reaches addr alone.
func (w *world) baseOnlyTo(t *testing.T, addr string) http.RoundTripper {
	var d net.Dialer
	rt, err := transport.New(transport.IgnoreEnvironment(), transport.Proxy(nil),
		transport.DialContext(func(ctx context.Context, network, a string) (net.Conn, error) {
			if a != addr {
				return nil, fmt.Errorf("test dialer: %s is not the proxy %s", a, addr)
			}
			return d.DialContext(ctx, network, a)
		}), transport.TLSConfig(&tls.Config{RootCAs: w.roots}))
	if err != nil {
		t.Fatal(err)
	}
	pools := transport.Pools(rt.(*http.Transport))
	t.Cleanup(func() { middleware.CloseIdleConnections(pools) })
	return pools
}

// fetch sends a GET for url through rt with ctx and returns the body.
func fetch(ctx context.Context, rt http.RoundTripper, url string, header ...string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return string(b), fmt.Errorf("status %s", resp.Status)
	}
	return string(b), err
}

func mustProxy(t *testing.T, o middleware.RouteOptions) middleware.Middleware {
	t.Helper()
	mw, err := middleware.Routes(o)
	if err != nil {
		t.Fatal(err)
	}
	return mw
}

// TestProxyCredentialsGoToTheProxyAlone checks SECURITY.md's line on proxy
// credentials for plain HTTP and for HTTPS through CONNECT: the proxy gets
// Proxy-Authorization, the origin never does (not even inside the tunnel).
func TestProxyCredentialsGoToTheProxyAlone(t *testing.T) {
	setProxyEnv(t)
	w := newWorld(t)
	p := w.proxy(t, proxytest.Options{User: "alice", Password: "s3cret", Name: "p1"})
	rt := middleware.Chain(w.base(t), mustProxy(t, middleware.RouteOptions{
		Proxies: map[string]string{"all": p.URLWithAuth("alice", "s3cret").String()},
	}))

	body, err := fetch(t.Context(), rt, "http://api.example.com/plain")
	if err != nil || body != "host=api.example.com via=1.1 p1" {
		t.Errorf("plain HTTP: %q, %v; want the origin's answer via p1", body, err)
	}
	body, err = fetch(t.Context(), rt, "https://api.example.com/tunnel")
	if err != nil || body != "host=api.example.com via=" {
		t.Errorf("HTTPS: %q, %v; want the origin's answer through a tunnel", body, err)
	}
	// A Proxy-Authorization header of the request itself would reach the
	// origin inside the tunnel: it is removed.
	body, err = fetch(t.Context(), rt, "https://api.example.com/tunnel", "Proxy-Authorization", "Basic bWFsbG9yeQ==")
	if err != nil {
		t.Errorf("HTTPS with a Proxy-Authorization header: %q, %v", body, err)
	}

	want := []string{
		"GET http://api.example.com/plain " + proxytest.BasicAuth("alice", "s3cret"),
		"CONNECT api.example.com:443 " + proxytest.BasicAuth("alice", "s3cret"), // one tunnel, reused
	}
	if diff := cmp.Diff(want, joinPairs(p.Targets(), p.ProxyAuthorizations())); diff != "" {
		t.Errorf("proxy saw (-want +got):\n%s", diff)
	}
	if got := w.originSawProxyAuth(); len(got) != 0 {
		t.Errorf("origin saw Proxy-Authorization %q", got)
	}
}

func joinPairs(a, b []string) []string {
	out := make([]string, len(a))
	for i := range a {
		out[i] = a[i] + " " + b[i]
	}
	return out
}

// TestProxyHeaderOfTheRequest checks where a Proxy-Authorization header the
// caller set goes: to an HTTP proxy forwarding plain HTTP, nowhere else.
func TestProxyHeaderOfTheRequest(t *testing.T) {
	setProxyEnv(t)
	w := newWorld(t)
	p := w.proxy(t, proxytest.Options{})
	rt := middleware.Chain(w.base(t), mustProxy(t, middleware.RouteOptions{
		Proxies: map[string]string{"http://via.example.com": p.URL.String(), "https://via.example.com": p.URL.String()},
	}))
	const token = "Bearer proxy-token"
	for _, u := range []string{"http://via.example.com/", "https://via.example.com/", "http://direct.example.com/", "https://direct.example.com/"} {
		if _, err := fetch(t.Context(), rt, u, "Proxy-Authorization", token); err != nil {
			t.Fatalf("%s: %v", u, err)
		}
	}
	if diff := cmp.Diff([]string{"GET http://via.example.com/ " + token, "CONNECT via.example.com:443 "},
		joinPairs(p.Targets(), p.ProxyAuthorizations())); diff != "" {
		t.Errorf("proxy saw (-want +got):\n%s", diff)
	}
	if got := w.originSawProxyAuth(); len(got) != 0 {
		t.Errorf("origins saw Proxy-Authorization %q", got)
	}
}

func TestProxyAuthRequired(t *testing.T) {
	setProxyEnv(t)
	w := newWorld(t)
	p := w.proxy(t, proxytest.Options{User: "alice", Password: "s3cret"})
	for _, proxyURL := range []*url.URL{p.URL, p.URLWithAuth("alice", "hunter2")} {
		rt := middleware.Chain(w.base(t), mustProxy(t, middleware.RouteOptions{
			Proxies: map[string]string{"all": proxyURL.String()},
		}))
		for _, target := range []string{"http://api.example.com/", "https://api.example.com/"} {
			_, err := fetch(t.Context(), rt, target)
			var pe *middleware.ProxyError
			if !errors.As(err, &pe) || !errors.Is(err, middleware.ErrProxyAuthRequired) {
				t.Errorf("%s via %s: err = %v (%T), want a *ProxyError matching ErrProxyAuthRequired",
					target, proxyURL.Redacted(), err, err)
				continue
			}
			if pe.StatusCode != http.StatusProxyAuthRequired || pe.Proxy != proxyURL.Redacted() {
				t.Errorf("%s: %+v, want 407 from %s", target, pe, proxyURL.Redacted())
			}
			if msg := err.Error(); strings.Contains(msg, "hunter2") || !strings.Contains(msg, p.URL.Host) {
				t.Errorf("%s: error %q: want the proxy's address and no password", target, msg)
			}
		}
	}
	if n := len(w.originSawProxyAuth()); n != 0 || p.Requests() != 2 || p.Connects() != 2 {
		t.Errorf("origin saw %d credentials; proxy saw %d requests and %d CONNECTs, want 0, 2, 2",
			n, p.Requests(), p.Connects())
	}
}

// TestProxyPerRequestChoice checks that a proxy named by the context wins
// over the map and the environment, and that WithProxy(nil) goes direct.
func TestProxyPerRequestChoice(t *testing.T) {
	w := newWorld(t)
	mapped := w.proxy(t, proxytest.Options{Name: "mapped"})
	chosen := w.proxy(t, proxytest.Options{Name: "chosen"})
	env := w.proxy(t, proxytest.Options{Name: "env"})
	setProxyEnv(t, "HTTP_PROXY", env.URL.String())
	rt := middleware.Chain(w.base(t), mustProxy(t, middleware.RouteOptions{
		Proxies: map[string]string{"http://mapped.example.com": mapped.URL.String()}, TrustEnv: true,
	}))
	for _, tt := range []struct {
		ctx       context.Context
		url, want string
	}{
		{t.Context(), "http://mapped.example.com/", "via=1.1 mapped"},
		{t.Context(), "http://other.example.com/", "via=1.1 env"},
		{middleware.WithProxy(t.Context(), chosen.URL), "http://mapped.example.com/", "via=1.1 chosen"},
		{middleware.WithProxy(t.Context(), chosen.URL), "http://other.example.com/", "via=1.1 chosen"},
		{middleware.WithProxy(t.Context(), nil), "http://mapped.example.com/", "via="},
	} {
		body, err := fetch(tt.ctx, rt, tt.url)
		if err != nil || !strings.HasSuffix(body, tt.want) {
			t.Errorf("%s: %q, %v; want %q", tt.url, body, err, tt.want)
		}
	}
}

// TestProxyEnvironment checks HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY
// with made-up host names (httpproxy never proxies loopback addresses),
// TrustEnv off, and reading the environment per request.
func TestProxyEnvironment(t *testing.T) {
	w := newWorld(t)
	hp := w.proxy(t, proxytest.Options{Name: "hp"})
	sp := w.proxy(t, proxytest.Options{Name: "sp"})
	ap := w.proxy(t, proxytest.Options{Name: "ap"})
	base := w.base(t)

	t.Run("HTTP_PROXY, HTTPS_PROXY, NO_PROXY", func(t *testing.T) {
		setProxyEnv(t, "HTTP_PROXY", hp.URL.String(), "https_proxy", sp.URL.String(), "NO_PROXY", "direct.example.com,10.0.0.0/8")
		rt := middleware.Chain(base, mustProxy(t, middleware.RouteOptions{TrustEnv: true}))
		before := sp.Connects()
		for url, want := range map[string]string{
			"http://api.example.com/":     "via=1.1 hp",
			"http://direct.example.com/":  "via=",
			"https://api.example.com/":    "via=", // tunnelled: no Via from the proxy
			"https://direct.example.com/": "via=",
		} {
			if body, err := fetch(t.Context(), rt, url); err != nil || !strings.HasSuffix(body, want) {
				t.Errorf("%s: %q, %v; want %q", url, body, err, want)
			}
		}
		if n := sp.Connects() - before; n != 1 {
			t.Errorf("HTTPS_PROXY saw %d CONNECTs, want 1", n)
		}
	})
	t.Run("ALL_PROXY for both schemes, NO_PROXY applies", func(t *testing.T) {
		setProxyEnv(t, "ALL_PROXY", ap.URL.String(), "no_proxy", "direct.example.com")
		rt := middleware.Chain(base, mustProxy(t, middleware.RouteOptions{TrustEnv: true}))
		before := ap.Targets()
		for _, u := range []string{"http://api.example.com/", "https://api.example.com/", "http://direct.example.com/", "https://direct.example.com/"} {
			if _, err := fetch(t.Context(), rt, u); err != nil {
				t.Errorf("%s: %v", u, err)
			}
		}
		got := ap.Targets()[len(before):]
		if diff := cmp.Diff([]string{"GET http://api.example.com/", "CONNECT api.example.com:443"}, got); diff != "" {
			t.Errorf("ALL_PROXY saw (-want +got):\n%s", diff)
		}
	})
	t.Run("TrustEnv off", func(t *testing.T) {
		setProxyEnv(t, "ALL_PROXY", ap.URL.String())
		rt := middleware.Chain(base, mustProxy(t, middleware.RouteOptions{}))
		before := ap.Requests()
		if body, err := fetch(t.Context(), rt, "http://api.example.com/"); err != nil || body != "host=api.example.com via=" {
			t.Errorf("%q, %v; want a direct answer", body, err)
		}
		if ap.Requests() != before {
			t.Error("the environment's proxy was used")
		}
	})
	t.Run("read when built, or per request", func(t *testing.T) {
		setProxyEnv(t, "HTTP_PROXY", hp.URL.String())
		once := middleware.Chain(base, mustProxy(t, middleware.RouteOptions{TrustEnv: true}))
		each := middleware.Chain(base, mustProxy(t, middleware.RouteOptions{TrustEnv: true, EnvPerRequest: true}))
		t.Setenv("HTTP_PROXY", ap.URL.String())
		for rt, want := range map[http.RoundTripper]string{once: "via=1.1 hp", each: "via=1.1 ap"} {
			if body, err := fetch(t.Context(), rt, "http://api.example.com/"); err != nil || !strings.HasSuffix(body, want) {
				t.Errorf("%q, %v; want %q", body, err, want)
			}
		}
	})
	t.Run("bad variable is an error when built", func(t *testing.T) {
		setProxyEnv(t, "HTTPS_PROXY", "ftp://u:hunter2@p.test")
		_, err := middleware.Routes(middleware.RouteOptions{TrustEnv: true})
		if err == nil || !strings.Contains(err.Error(), "HTTPS_PROXY") || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("err = %v", err)
		}
		if _, err := middleware.Routes(middleware.RouteOptions{}); err != nil {
			t.Errorf("without TrustEnv: %v", err)
		}
	})
}

// TestProxyRedirectHops checks that each hop of a redirect chain is matched
// by its own URL and that one proxy's credentials never reach another proxy.
func TestProxyRedirectHops(t *testing.T) {
	setProxyEnv(t)
	w := newWorld(t)
	pa := w.proxy(t, proxytest.Options{User: "a", Password: "pa", Name: "pa"})
	pb := w.proxy(t, proxytest.Options{Name: "pb"})
	rt := middleware.Chain(w.base(t),
		middleware.Redirects(middleware.RedirectOptions{}),
		mustProxy(t, middleware.RouteOptions{Proxies: map[string]string{
			"all://a.example.com": pa.URLWithAuth("a", "pa").String(),
			"all://b.example.com": pb.URL.String(),
		}}),
	)
	for _, start := range []string{
		"http://a.example.com/redirect?to=http://b.example.com/end",
		"https://a.example.com/redirect?to=https://b.example.com/end",
		"http://a.example.com/redirect?to=https://b.example.com/end",
	} {
		body, err := fetch(t.Context(), rt, start)
		if err != nil || !strings.HasPrefix(body, "host=b.example.com") {
			t.Errorf("%s: %q, %v", start, body, err)
		}
	}
	for _, v := range pb.ProxyAuthorizations() {
		if v != "" {
			t.Errorf("second proxy saw Proxy-Authorization %q", v)
		}
	}
	for p, host := range map[*proxytest.Proxy]string{pa: "a.example.com", pb: "b.example.com"} {
		for _, target := range p.Targets() {
			if !strings.Contains(target, host) {
				t.Errorf("proxy for %s carried %q", host, target)
			}
		}
		if p.Requests() == 0 || p.Connects() == 0 {
			t.Errorf("proxy for %s saw %v, want plain and tunnelled hops", host, p.Targets())
		}
	}
	if got := w.originSawProxyAuth(); len(got) != 0 {
		t.Errorf("origins saw %q", got)
	}
}

// TestRoutesFrom checks that a source's changes are seen, a bad change fails
// requests until it is fixed, and construction rejects a bad start.
func TestRoutesFrom(t *testing.T) {
	setProxyEnv(t)
	w := newWorld(t)
	p1 := w.proxy(t, proxytest.Options{Name: "p1"})
	p2 := w.proxy(t, proxytest.Options{Name: "p2"})
	var mu sync.Mutex
	proxies := map[string]string{"http": p1.URL.String()}
	mw, err := middleware.RoutesFrom(func() middleware.RouteOptions {
		mu.Lock()
		defer mu.Unlock()
		return middleware.RouteOptions{Proxies: proxies}
	})
	if err != nil {
		t.Fatal(err)
	}
	rt := middleware.Chain(w.base(t), mw)
	step := func(change func(), want string) {
		t.Helper()
		mu.Lock()
		change()
		mu.Unlock()
		body, err := fetch(t.Context(), rt, "http://api.example.com/")
		if got := fmt.Sprint(body, err); !strings.Contains(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	step(func() {}, "via=1.1 p1")
	step(func() { proxies["http"] = p2.URL.String() }, "via=1.1 p2")
	step(func() { proxies["gopher"] = "x" }, `proxy key "gopher"`)
	step(func() { delete(proxies, "gopher") }, "via=1.1 p2")
	step(func() { proxies = nil }, "via=")

	if _, err := middleware.RoutesFrom(func() middleware.RouteOptions {
		return middleware.RouteOptions{Proxies: map[string]string{"http": "ftp://x"}}
	}); err == nil {
		t.Error("RoutesFrom accepted a bad configuration")
	}
}

// TestProxyHTTPSProxy checks TLS to the proxy itself (an https:// proxy
// URL), verified with the transport's roots.
func TestProxyHTTPSProxy(t *testing.T) {
	setProxyEnv(t)
	w := newWorld(t)
	p := w.proxy(t, proxytest.Options{TLS: true, Name: "tls-proxy", User: "u", Password: "p"})
	if p.URL.Scheme != "https" {
		t.Fatalf("proxy URL %s", p.URL)
	}
	rt := middleware.Chain(w.base(t), mustProxy(t, middleware.RouteOptions{
		Proxies: map[string]string{"all": p.URLWithAuth("u", "p").String()},
	}))
	for url, want := range map[string]string{"http://api.example.com/": "via=1.1 tls-proxy", "https://api.example.com/": "via="} {
		if body, err := fetch(t.Context(), rt, url); err != nil || !strings.HasSuffix(body, want) {
			t.Errorf("%s: %q, %v; want %q", url, body, err, want)
		}
	}
	if p.Requests() != 1 || p.Connects() != 1 {
		t.Errorf("proxy saw %v", p.Targets())
	}
}

// TestProxyPoolsStayApart runs many goroutines over one transport and
// several proxies (and direct requests): every answer comes through the
// proxy its request was meant for, so no connection was shared. Run with
// -race.
func TestProxyPoolsStayApart(t *testing.T) {
	setProxyEnv(t)
	w := newWorld(t)
	names := []string{"p0", "p1", "p2"}
	proxies := map[string]string{}
	var ps []*proxytest.Proxy
	for i, n := range names {
		p := w.proxy(t, proxytest.Options{Name: n})
		ps = append(ps, p)
		proxies[fmt.Sprintf("all://h%d.example.com", i)] = p.URLWithAuth(n, "pw").String()
	}
	rt := middleware.Chain(w.base(t), mustProxy(t, middleware.RouteOptions{Proxies: proxies}))
	const goroutines, each = 24, 10
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				host := (g + i) % (len(names) + 1) // the last one is direct
				url := fmt.Sprintf("http://h%d.example.com/", host)
				want := "via="
				if host < len(names) {
					want = "via=1.1 " + names[host]
				}
				if (g+i)%2 == 1 {
					url = strings.Replace(url, "http:", "https:", 1)
					want = "via="
				}
				if body, err := fetch(t.Context(), rt, url); err != nil || !strings.HasSuffix(body, want) {
					t.Errorf("%s: %q, %v; want %q", url, body, err, want)
				}
			}
		})
	}
	wg.Wait()
	for i, p := range ps {
		want := proxytest.BasicAuth(names[i], "pw")
		for _, v := range p.ProxyAuthorizations() {
			if v != want {
				t.Fatalf("proxy %s saw credentials %q, want only its own", names[i], v)
			}
		}
		for _, target := range p.Targets() {
			if !strings.Contains(target, fmt.Sprintf("h%d.example.com", i)) {
				t.Fatalf("proxy %s carried %q", names[i], target)
			}
		}
	}
}

// TestProxyTinyproxy runs plain HTTP and HTTPS through a real forward proxy.
func TestProxyTinyproxy(t *testing.T) {
	setProxyEnv(t)
	w := newWorld(t)
	check := func(t *testing.T, proxyURL *url.URL) {
		// The transport can reach the proxy and nothing else: a request
		// that went direct would fail.
		rt := middleware.Chain(w.baseOnlyTo(t, proxyURL.Host), mustProxy(t, middleware.RouteOptions{
			// tinyproxy resolves names itself: use the origins' addresses.
			Proxies: map[string]string{"all": proxyURL.String()},
		}))
		body, err := fetch(t.Context(), rt, w.plain.URL+"/")
		if err != nil || !strings.Contains(body, "via=1.1 relay-tinyproxy (tinyproxy/") {
			t.Errorf("plain HTTP: %q, %v; want tinyproxy's Via", body, err)
		}
		body, err = fetch(t.Context(), rt, w.tls.URL+"/")
		if err != nil || !strings.HasPrefix(body, "host="+w.tls.Listener.Addr().String()) {
			t.Errorf("HTTPS through CONNECT: %q, %v", body, err)
		}
	}
	t.Run("open", func(t *testing.T) {
		check(t, proxytest.Tinyproxy(t, proxytest.TinyproxyOptions{}))
	})
	t.Run("BasicAuth", func(t *testing.T) {
		u := proxytest.Tinyproxy(t, proxytest.TinyproxyOptions{User: "alice", Password: "s3cret"})
		withAuth := *u
		withAuth.User = url.UserPassword("alice", "s3cret")
		check(t, &withAuth)
		rt := middleware.Chain(w.base(t), mustProxy(t, middleware.RouteOptions{
			Proxies: map[string]string{"all": u.String()},
		}))
		for _, target := range []string{w.plain.URL + "/", w.tls.URL + "/"} {
			if _, err := fetch(t.Context(), rt, target); !errors.Is(err, middleware.ErrProxyAuthRequired) {
				t.Errorf("%s without credentials: err = %v, want ErrProxyAuthRequired", target, err)
			}
		}
	})
	if got := w.originSawProxyAuth(); len(got) != 0 {
		t.Errorf("origins saw Proxy-Authorization %q", got)
	}
}

// TestProxyNoAllocationWhenDirect checks the middleware's cost for a request
// no proxy applies to: nothing.
func TestProxyNoAllocationWhenDirect(t *testing.T) {
	setProxyEnv(t, "HTTPS_PROXY", "http://env.test:3128")
	ok := &http.Response{StatusCode: http.StatusOK, Body: http.NoBody}
	next := middleware.RoundTripperFunc(func(*http.Request) (*http.Response, error) { return ok, nil })
	proxies := map[string]string{"http://other.example.com": "http://p:1", "https": "http://p:1"}
	from, err := middleware.RoutesFrom(func() middleware.RouteOptions {
		return middleware.RouteOptions{Proxies: proxies, TrustEnv: true}
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, mw := range map[string]middleware.Middleware{
		"Routes, empty": mustProxy(t, middleware.RouteOptions{}),
		"Routes, env":   mustProxy(t, middleware.RouteOptions{TrustEnv: true}),
		"Routes, map": mustProxy(t, middleware.RouteOptions{
			Proxies: map[string]string{"http://other.example.com": "http://p:1", "https": "http://p:1"}, TrustEnv: true,
		}),
		"RoutesFrom, map": from,
	} {
		rt := mw(next)
		req, _ := http.NewRequest(http.MethodGet, "http://API.example.test:8080/path", nil)
		if n := testing.AllocsPerRun(100, func() { _, _ = rt.RoundTrip(req) }); n != 0 {
			t.Errorf("%s: %v allocations per request, want 0", name, n)
		}
	}
}

func BenchmarkProxy(b *testing.B) {
	for _, name := range proxyEnvVars {
		b.Setenv(name, "")
	}
	ok := &http.Response{StatusCode: http.StatusOK, Body: http.NoBody}
	next := middleware.RoundTripperFunc(func(*http.Request) (*http.Response, error) { return ok, nil })
	proxies := map[string]string{"http://other.example.com": "http://p:1", "https": "http://p:1"}
	for _, bc := range []struct {
		name string
		o    middleware.RouteOptions
		url  string
	}{
		{"none", middleware.RouteOptions{TrustEnv: true}, "http://api.example.com/"},
		{"map/direct", middleware.RouteOptions{Proxies: proxies, TrustEnv: true}, "http://api.example.com/"},
		{"map/proxied", middleware.RouteOptions{Proxies: proxies, TrustEnv: true}, "https://api.example.com/"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			mw, err := middleware.Routes(bc.o)
			if err != nil {
				b.Fatal(err)
			}
			rt := mw(next)
			req, _ := http.NewRequest(http.MethodGet, bc.url, nil)
			b.ReportAllocs()
			for b.Loop() {
				_, _ = rt.RoundTrip(req)
			}
		})
	}
}

// TestProxySOCKS5 runs plain HTTP and HTTPS through a SOCKS5 server with
// username/password authentication: socks5h:// sends the target's name to
// the proxy, socks5:// resolves it on the client (curl's and Requests'
// meaning) and sends the address. The socks5 case asks for localhost, which
// resolves without a DNS query, and HTTPS by address, to check that TLS
// goes through the SOCKS tunnel too.
func TestProxySOCKS5(t *testing.T) {
	setProxyEnv(t)
	w := newWorld(t)
	s := proxytest.NewSOCKS5(t, "sam", "s0cks", w.dial)
	_, plainPort, _ := net.SplitHostPort(w.plain.Listener.Addr().String())
	tlsAddr := w.tls.Listener.Addr().String()
	for _, c := range []struct{ scheme, target, want string }{
		{"socks5h", "http://api.example.com/", "host=api.example.com via="},
		{"socks5h", "https://api.example.com/", "host=api.example.com via="},
		{"socks5", "http://localhost:" + plainPort + "/", "host=localhost:" + plainPort + " via="},
		{"socks5", "https://" + tlsAddr + "/", "host=" + tlsAddr + " via="},
	} {
		u := *s.URL
		u.Scheme, u.User = c.scheme, url.UserPassword("sam", "s0cks")
		rt := middleware.Chain(w.base(t), mustProxy(t, middleware.RouteOptions{
			Proxies: map[string]string{"all": u.String()},
		}))
		body, err := fetch(t.Context(), rt, c.target, "Proxy-Authorization", "Basic bm90LWZvci10aGUtb3JpZ2lu")
		if err != nil || body != c.want {
			t.Errorf("%s via %s: %q, %v; want %q", c.target, c.scheme, body, err, c.want)
		}
	}
	got := s.Targets()
	want := []string{"domain api.example.com:80", "domain api.example.com:443"}
	if len(got) < 4 || !slices.Equal(got[:2], want) {
		t.Fatalf("SOCKS5 server saw %q; want %q first", got, want)
	}
	// localhost may resolve to ::1 first, which the origin does not listen
	// on: what matters is that only addresses reached the proxy.
	if !slices.Contains(got[2:], "ip 127.0.0.1:"+plainPort) || got[len(got)-1] != "ip "+tlsAddr {
		t.Errorf("socks5:// targets %q; want the resolved ip 127.0.0.1:%s and ip %s", got[2:], plainPort, tlsAddr)
	}
	for _, g := range got[2:] {
		if strings.HasPrefix(g, "domain") {
			t.Errorf("socks5:// sent a name to the proxy: %q", g)
		}
	}
	if got := w.originSawProxyAuth(); len(got) != 0 {
		t.Errorf("origin saw Proxy-Authorization %q", got)
	}

	bad := *s.URL
	bad.User = url.UserPassword("sam", "wrong")
	rt := middleware.Chain(w.base(t), mustProxy(t, middleware.RouteOptions{Proxies: map[string]string{"all": bad.String()}}))
	if _, err := fetch(t.Context(), rt, "http://api.example.com/"); err == nil || strings.Contains(err.Error(), "wrong") {
		t.Errorf("wrong SOCKS credentials: err = %v, want an error without the password", err)
	}
}
