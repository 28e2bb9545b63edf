package cookiejar

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/middleware"
)

// hostServer is a loopback server that records the Cookie header of every
// request by host and path and answers with handler.
type hostServer struct {
	srv  *httptest.Server
	mu   sync.Mutex
	seen map[string]string // "host/path" → sorted cookie pairs
}

func newHostServer(t *testing.T, handler http.HandlerFunc) *hostServer {
	t.Helper()
	s := &hostServer{seen: map[string]string{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.seen[r.Host+r.URL.Path] = sortedCookieHeader(strings.Join(r.Header.Values("Cookie"), "; "))
		s.mu.Unlock()
		handler(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *hostServer) got(hostPath string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.seen[hostPath]
	return v, ok
}

// mappedTransport dials every host name to the loopback listener given for
// it in hosts (name → server), so tests can use real names on loopback.
func mappedTransport(t *testing.T, hosts map[string]*hostServer) *http.Transport {
	t.Helper()
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			s, ok := hosts[host]
			if !ok {
				return nil, &net.DNSError{Err: "not a test host", Name: host, IsNotFound: true}
			}
			var d net.Dialer
			return d.DialContext(ctx, network, s.srv.Listener.Addr().String())
		},
	}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

func get(t *testing.T, c *http.Client, ctx context.Context, url string, header http.Header) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp
}

// TestMiddlewareSetCookieOnRedirect: a Set-Cookie on a 302 is stored and sent
// on the next hop, with net/http's own redirect follower.
func TestMiddlewareSetCookieOnRedirect(t *testing.T) {
	var srv *hostServer
	srv = newHostServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/login":
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: "s3cret", Path: "/"})
			http.Redirect(w, r, "/home", http.StatusFound)
		case "/home":
			http.SetCookie(w, &http.Cookie{Name: "seen", Value: "1"})
		}
	})
	tr := mappedTransport(t, map[string]*hostServer{"app.test": srv})
	jar := newTestJar(t)
	c := &http.Client{Transport: Middleware(jar)(tr)}
	get(t, c, context.Background(), "http://app.test/login", nil)
	if got, _ := srv.got("app.test/home"); got != "sid=s3cret" {
		t.Errorf("second hop sent %q, want the cookie set on the 302", got)
	}
	if got := serializeCookies(jar.Cookies(mustParseURL("http://app.test/"))); got != "sid=s3cret seen=1" {
		t.Errorf("jar holds %q", got)
	}
	// And the next request carries both.
	get(t, c, context.Background(), "http://app.test/home", nil)
	if got, _ := srv.got("app.test/home"); got != "seen=1 sid=s3cret" {
		t.Errorf("next request sent %q", got)
	}
}

func TestMiddlewareMerge(t *testing.T) {
	srv := newHostServer(t, func(w http.ResponseWriter, r *http.Request) {})
	tr := mappedTransport(t, map[string]*hostServer{"app.test": srv})
	jar := newTestJar(t)
	jar.SetCookies(mustParseURL("http://app.test/"), []*http.Cookie{{Name: "a", Value: "jar"}, {Name: "b", Value: "jar"}, {Name: "c", Value: "jar"}})
	c := &http.Client{Transport: Middleware(jar)(tr)}
	ctx := WithCookies(context.Background(), &http.Cookie{Name: "b", Value: "ctx"}, &http.Cookie{Name: "d", Value: "old"})
	ctx = WithCookies(ctx, &http.Cookie{Name: "d", Value: "ctx"}, &http.Cookie{Name: "a", Value: "ctx"})

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://app.test/x", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Add("Cookie", "a=explicit")
	req.Header.Add("Cookie", "e=explicit")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// Explicit header first, then per-request cookies, then the jar's.
	if got, _ := srv.got("app.test/x"); got != "a=explicit b=ctx c=jar d=ctx e=explicit" {
		t.Errorf("server got %q", got)
	}
	if diff := cmp.Diff([]string{"a=explicit", "e=explicit"}, req.Header.Values("Cookie")); diff != "" {
		t.Errorf("the caller's request was modified (-want +got):\n%s", diff)
	}
	// Per-request cookies are not stored.
	if got := jar.content(tNow); !strings.Contains(got, "a=jar b=jar c=jar") || strings.Contains(got, "ctx") {
		t.Errorf("jar holds %q", got)
	}
	// The context's cookies are copies.
	cs := CookiesFromContext(ctx)
	cs[0].Value = "changed"
	if CookiesFromContext(ctx)[0].Value != "ctx" {
		t.Error("CookiesFromContext returned the context's own cookies")
	}
}

func TestMiddlewareNilJar(t *testing.T) {
	srv := newHostServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "set", Value: "1"})
	})
	tr := mappedTransport(t, map[string]*hostServer{"app.test": srv})
	c := &http.Client{Transport: Middleware(nil)(tr)}
	get(t, c, WithCookies(context.Background(), &http.Cookie{Name: "r", Value: "1"}), "http://app.test/", nil)
	if got, _ := srv.got("app.test/"); got != "r=1" {
		t.Errorf("server got %q", got)
	}
	var typedNil *Jar
	c = &http.Client{Transport: Middleware(typedNil)(tr)}
	get(t, c, context.Background(), "http://app.test/", nil)
}

// TestMiddlewareCrossOrigin follows a chain that leaves its first origin,
// goes through an identity provider and a sibling subdomain, and comes back:
// per-request cookies stay on the first origin; jar cookies go only to hosts
// they belong to and the first host would not receive; nothing reaches the
// first origin again. It runs behind net/http's redirect follower and behind
// relay's.
func TestMiddlewareCrossOrigin(t *testing.T) {
	var app, idp *hostServer
	app = newHostServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.Host + r.URL.Path {
		case "a.example.test/start":
			http.Redirect(w, r, "http://idp.test/auth", http.StatusFound)
		case "b.example.test/cb":
			http.Redirect(w, r, "http://a.example.test/final", http.StatusFound)
		case "a.example.test/port":
			http.Redirect(w, r, "http://a.example.test:8080/other-port", http.StatusFound)
		}
	})
	idp = newHostServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "idpnew", Value: "1"})
		http.Redirect(w, r, "http://b.example.test/cb", http.StatusFound)
	})
	hosts := map[string]*hostServer{"a.example.test": app, "b.example.test": app, "idp.test": idp}

	followers := map[string]func(http.RoundTripper) *http.Client{
		"net/http": func(rt http.RoundTripper) *http.Client { return &http.Client{Transport: rt} },
		"relay": func(rt http.RoundTripper) *http.Client {
			return &http.Client{
				Transport:     middleware.Chain(rt, middleware.Redirects(middleware.RedirectOptions{})),
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			}
		},
	}
	for name, follower := range followers {
		t.Run(name, func(t *testing.T) {
			jar := newTestJar(t)
			jar.SetCookies(mustParseURL("http://a.example.test/"), []*http.Cookie{{Name: "a", Value: "1"}, {Name: "shared", Value: "1", Domain: "example.test"}})
			jar.SetCookies(mustParseURL("http://b.example.test/"), []*http.Cookie{{Name: "b", Value: "1"}})
			jar.SetCookies(mustParseURL("http://idp.test/"), []*http.Cookie{{Name: "idp", Value: "1"}})
			tr := mappedTransport(t, hosts)
			c := follower(middleware.Chain(tr, Middleware(jar)))
			ctx := WithCookies(context.Background(), &http.Cookie{Name: "r", Value: "1"})
			get(t, c, ctx, "http://a.example.test/start", nil)

			want := map[string]string{
				"a.example.test/start": "a=1 r=1 shared=1", // first origin: everything
				"idp.test/auth":        "idp=1",            // the provider's own cookie
				"b.example.test/cb":    "b=1",              // not shared: the first host gets it
				"a.example.test/final": "",                 // back on the first origin: nothing
			}
			for hp, w := range want {
				srv := app
				if strings.HasPrefix(hp, "idp") {
					srv = idp
				}
				got, ok := srv.got(hp)
				if !ok {
					t.Errorf("%s was not reached", hp)
					continue
				}
				if got != w {
					t.Errorf("%s got Cookie %q, want %q", hp, got, w)
				}
			}
			if got := serializeCookies(jar.Cookies(mustParseURL("http://idp.test/"))); got != "idp=1 idpnew=1" {
				t.Errorf("the provider's Set-Cookie on its 302 was not stored: %q", got)
			}

			// Another port of the same host is another origin, but the same
			// cookie host: nothing goes there.
			get(t, c, ctx, "http://a.example.test/port", nil)
			if got, ok := app.got("a.example.test:8080/other-port"); !ok || got != "" {
				t.Errorf("other port got %q (reached: %v), want nothing", got, ok)
			}
		})
	}
}

type closeRecorder struct {
	http.RoundTripper
	closed bool
}

func (c *closeRecorder) CloseIdleConnections() { c.closed = true }

func TestMiddlewareCloseIdleConnections(t *testing.T) {
	rec := &closeRecorder{RoundTripper: http.DefaultTransport}
	c := &http.Client{Transport: Middleware(nil)(rec)}
	c.CloseIdleConnections()
	if !rec.closed {
		t.Error("CloseIdleConnections was not forwarded")
	}
}

func TestMiddlewareErrorPassesThrough(t *testing.T) {
	jar := newTestJar(t)
	jar.SetCookies(mustParseURL("http://app.test/"), []*http.Cookie{{Name: "a", Value: "1"}})
	boom := io.ErrUnexpectedEOF
	var sent *http.Request
	rt := Middleware(jar)(middleware.RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		sent = r
		middleware.CloseRequestBody(r)
		return nil, boom
	}))
	body := &closeBody{Reader: strings.NewReader("x")}
	req, _ := http.NewRequest(http.MethodPost, "http://app.test/", body)
	if _, err := rt.RoundTrip(req); err != boom {
		t.Errorf("err = %v", err)
	}
	if sent == req || sent.Header.Get("Cookie") != "a=1" || req.Header.Get("Cookie") != "" {
		t.Errorf("the request sent was not a clone with the cookie")
	}
	if !body.closed {
		t.Error("body not closed")
	}
}

type closeBody struct {
	io.Reader
	closed bool
}

func (b *closeBody) Close() error { b.closed = true; return nil }

func TestWithCookiesOrder(t *testing.T) {
	ctx := WithCookies(context.Background(), &http.Cookie{Name: "x", Value: "1"}, nil, &http.Cookie{Name: "y", Value: "2"})
	ctx = WithCookies(ctx, &http.Cookie{Name: "x", Value: "3"})
	var got []string
	for _, c := range CookiesFromContext(ctx) {
		got = append(got, c.Name+"="+c.Value)
	}
	if !slices.Equal(got, []string{"x=3", "y=2"}) {
		t.Errorf("got %v", got)
	}
}

// TestMiddlewareCopyIsItsOwn checks that the request the middleware sends on
// shares nothing a caller could edit in place with the caller's request: a
// response's Request is handed to users, who may change its header values
// or URL.
func TestMiddlewareCopyIsItsOwn(t *testing.T) {
	jar := newTestJar(t)
	jar.SetCookies(mustParseURL("http://app.test/"), []*http.Cookie{{Name: "a", Value: "1"}})
	rt := Middleware(jar)(middleware.RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		r.Header["X-Team"][0] = "edited"
		r.URL.Path = "/edited"
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	}))
	req, _ := http.NewRequest(http.MethodGet, "http://app.test/docs", nil)
	req.Header.Set("X-Team", "blue")
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := req.Header.Get("X-Team"); got != "blue" {
		t.Errorf("caller's X-Team = %q after an edit of the sent copy, want blue", got)
	}
	if req.URL.Path != "/docs" {
		t.Errorf("caller's URL path = %q after an edit of the sent copy, want /docs", req.URL.Path)
	}
}
