package proxytest

import (
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/elazarl/goproxy"
)

// GoproxyOptions configures Goproxy.
type GoproxyOptions struct {
	// User and Password, when User is set, are the Basic credentials the
	// proxy demands: a plain request or a CONNECT without them (or with
	// others) is answered 407 with a Proxy-Authenticate challenge, as
	// tinyproxy's BasicAuth directive does.
	User, Password string
	// Name is the pseudonym of the Via the proxy adds to requests and
	// responses ("1.1 <Name> (goproxy)", the shape of tinyproxy's), and
	// "relay-goproxy" when empty.
	Name string
	// Dial opens the proxy's connections to origins, for plain requests and
	// CONNECT tunnels; nil means a net.Dialer, so the proxy resolves names
	// itself, as tinyproxy does.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// GoproxyServer is a forward proxy built on github.com/elazarl/goproxy,
// running in the test process: the in-process twin of Tinyproxy, so every
// behaviour tested against tinyproxy is also tested where tinyproxy is not
// installed. Plain requests in absolute form are forwarded by goproxy's
// transport, CONNECT opens goproxy's transparent tunnel (no interception).
// relay's code adds only what tinyproxy is configured to do and goproxy
// leaves to its handlers: the Via header and Basic proxy authentication.
type GoproxyServer struct {
	// URL is the proxy's URL, without credentials.
	URL *url.URL

	srv   *httptest.Server
	proxy *goproxy.ProxyHttpServer
	log   lockedBuffer

	mu      sync.Mutex
	targets []string   // "GET http://host/path" or "CONNECT host:port", in order
	conns   []net.Conn // every connection accepted or dialed, for Close
	closed  bool
}

// Goproxy starts a goproxy server on a loopback port and registers its
// shutdown with t.Cleanup. Its log is written to the test's output if the
// test fails.
func Goproxy(t testing.TB, o GoproxyOptions) *GoproxyServer {
	t.Helper()
	if o.Name == "" {
		o.Name = "relay-goproxy"
	}
	g := &GoproxyServer{}
	dial := o.Dial
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	p := goproxy.NewProxyHttpServer()
	p.Logger = &g.log
	// The proxy reaches origins only through dial: no proxies from the
	// environment, and no compression added or removed on the way.
	p.Tr = &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dial(ctx, network, addr)
			if err == nil && !g.track(c) {
				return nil, net.ErrClosed
			}
			return c, err
		},
		DisableCompression: true,
	}
	p.ConnectDial = nil // CONNECT dials through p.Tr.DialContext too
	p.KeepAcceptEncoding = true
	g.proxy = p

	via := "1.1 " + o.Name + " (goproxy)"
	authorized := func(r *http.Request) bool {
		return o.User == "" || basicCredentials(r.Header.Get("Proxy-Authorization")) == o.User+":"+o.Password
	}
	refusal := func(r *http.Request) *http.Response {
		resp := goproxy.NewResponse(r, goproxy.ContentTypeText, http.StatusProxyAuthRequired, "proxy authentication required\n")
		resp.Header.Set("Proxy-Authenticate", `Basic realm="`+o.Name+`"`)
		return resp
	}
	p.OnRequest().DoFunc(func(r *http.Request, _ *goproxy.ProxyCtx) (*http.Request, *http.Response) {
		g.record(r.Method + " " + r.URL.String())
		if !authorized(r) {
			return r, refusal(r)
		}
		r.Header.Add("Via", via)
		return r, nil
	})
	p.OnRequest().HandleConnectFunc(func(host string, ctx *goproxy.ProxyCtx) (*goproxy.ConnectAction, string) {
		g.record("CONNECT " + host)
		if !authorized(ctx.Req) {
			ctx.Resp = refusal(ctx.Req)
			return goproxy.RejectConnect, host
		}
		return goproxy.OkConnect, host
	})
	p.OnResponse().DoFunc(func(resp *http.Response, _ *goproxy.ProxyCtx) *http.Response {
		if resp != nil {
			resp.Header.Add("Via", via)
		}
		return resp
	})

	g.srv = httptest.NewUnstartedServer(p)
	g.srv.Listener = &trackingListener{Listener: g.srv.Listener, g: g}
	g.srv.Start()
	g.URL, _ = url.Parse(g.srv.URL)
	t.Cleanup(func() {
		g.Close()
		if t.Failed() {
			t.Logf("goproxy log:\n%s", g.log.String())
		}
	})
	return g
}

// URLWithAuth returns the proxy's URL carrying user and password.
func (g *GoproxyServer) URLWithAuth(user, password string) *url.URL {
	u := *g.URL
	u.User = url.UserPassword(user, password)
	return &u
}

// Targets returns "METHOD target" for every request goproxy handled, in
// order, refused ones included: "GET http://a.test/x" or "CONNECT
// a.test:443".
func (g *GoproxyServer) Targets() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.targets...)
}

// Close stops the proxy: the listener, then every connection it accepted or
// dialed, which ends goproxy's tunnel goroutines. Cleanup calls it; calling
// it again does nothing.
func (g *GoproxyServer) Close() {
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		return
	}
	g.closed = true
	conns := g.conns
	g.conns = nil
	g.mu.Unlock()
	// Hijacked connections (CONNECT tunnels) are no longer the server's:
	// close them first, so Close does not wait on a tunnel's copy.
	for _, c := range conns {
		c.Close()
	}
	g.srv.Close()
	g.proxy.Tr.CloseIdleConnections()
}

func (g *GoproxyServer) record(target string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.targets = append(g.targets, target)
}

// track registers a connection for Close; it closes it and reports false
// when the proxy is already closed.
func (g *GoproxyServer) track(c net.Conn) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		c.Close()
		return false
	}
	g.conns = append(g.conns, c)
	return true
}

// trackingListener registers every accepted connection with its proxy. The
// connections are not wrapped, so goproxy sees the *net.TCPConn it expects.
type trackingListener struct {
	net.Listener
	g *GoproxyServer
}

func (l *trackingListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil || l.g.track(c) {
			return c, err
		}
	}
}

// basicCredentials returns "user:password" from a Basic credentials header
// value (scheme case-insensitive, RFC 9110 §11.1), "" for anything else.
func basicCredentials(h string) string {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Basic") {
		return ""
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(token))
	if err != nil {
		return ""
	}
	return string(b)
}

// Printf implements goproxy.Logger.
func (b *lockedBuffer) Printf(format string, v ...any) {
	fmt.Fprintf(b, format, v...)
}
