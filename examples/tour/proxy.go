package main

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/middleware"
)

// The tour's proxy wants these credentials: a request or CONNECT without
// them is answered 407.
const (
	proxyUser     = "tour"
	proxyPassword = "s3cret"
)

// forwardProxy is a minimal HTTP forward proxy. It forwards plain-http
// requests in absolute form ("GET http://host/path") and marks the answers
// with a Via header, and it opens tunnels for CONNECT ("CONNECT host:443"),
// through which the client speaks TLS with the origin. It counts both and
// records the Proxy-Authorization of each, so the tour can show where
// credentials went. Names ending in ".test" are dialled through hosts, which
// maps them to the tour's loopback servers.
type forwardProxy struct {
	rt       *http.Transport // the proxy's own connections to the origin
	hosts    sync.Map        // "name.test:port" → "127.0.0.1:port"
	requests atomic.Int64    // plain requests forwarded
	connects atomic.Int64    // CONNECTs tunnelled

	mu       sync.Mutex
	auth     []string            // every Proxy-Authorization received, in order ("" for none)
	targets  []string            // "GET http://…" or "CONNECT host:port", in order
	tunnels  map[net.Conn]func() // open tunnels and what closes them
	closed   bool
	tunnelWG sync.WaitGroup
}

func newForwardProxy() *forwardProxy {
	p := &forwardProxy{tunnels: map[net.Conn]func(){}}
	p.rt = &http.Transport{Proxy: nil, DialContext: p.dial}
	return p
}

func (p *forwardProxy) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	if to, ok := p.hosts.Load(addr); ok {
		addr = to.(string)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

// record notes one request the proxy received and reports whether it
// carried the proxy's credentials.
func (p *forwardProxy) record(r *http.Request, target string) bool {
	got := r.Header.Get("Proxy-Authorization")
	p.mu.Lock()
	p.auth = append(p.auth, got)
	p.targets = append(p.targets, r.Method+" "+target)
	p.mu.Unlock()
	user, pass, ok := (&http.Request{Header: http.Header{"Authorization": {got}}}).BasicAuth()
	return ok && user == proxyUser && pass == proxyPassword
}

// seen returns the targets and Proxy-Authorization values received since
// the mark from.
func (p *forwardProxy) seen(from int) (targets, auth []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.targets[from:]...), append([]string(nil), p.auth[from:]...)
}

// mark is where seen starts for what comes next.
func (p *forwardProxy) mark() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.targets)
}

func (p *forwardProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodConnect {
		p.connect(w, r)
		return
	}
	if !r.URL.IsAbs() {
		http.Error(w, "tour proxy: not a proxy request", http.StatusBadRequest)
		return
	}
	p.requests.Add(1)
	if !p.record(r, r.URL.String()) {
		refuse(w)
		return
	}
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.Header.Del("Proxy-Connection")
	out.Header.Del("Proxy-Authorization") // meant for this proxy alone
	resp, err := p.rt.RoundTrip(out)
	if err != nil {
		http.Error(w, "tour proxy: "+err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for name, values := range resp.Header {
		w.Header()[name] = values
	}
	w.Header().Add("Via", "1.1 tour-proxy")
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

func refuse(w http.ResponseWriter) {
	w.Header().Set("Proxy-Authenticate", `Basic realm="tour-proxy"`)
	http.Error(w, "tour proxy: credentials required", http.StatusProxyAuthRequired)
}

// connect opens a tunnel to r.Host and copies bytes both ways until either
// side closes it, or Close does.
func (p *forwardProxy) connect(w http.ResponseWriter, r *http.Request) {
	p.connects.Add(1)
	if !p.record(r, r.Host) {
		refuse(w)
		return
	}
	origin, err := p.dial(r.Context(), "tcp", r.Host)
	if err != nil {
		http.Error(w, "tour proxy: "+err.Error(), http.StatusBadGateway)
		return
	}
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		origin.Close()
		http.Error(w, "tour proxy: "+err.Error(), http.StatusInternalServerError)
		return
	}
	closeBoth := sync.OnceFunc(func() { conn.Close(); origin.Close() })
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		closeBoth()
		return
	}
	p.tunnels[conn] = closeBoth
	p.tunnelWG.Add(2)
	p.mu.Unlock()

	_, _ = io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n")
	pipe := func(dst io.Writer, src io.Reader) {
		defer p.tunnelWG.Done()
		_, _ = io.Copy(dst, src)
		closeBoth()
		p.mu.Lock()
		delete(p.tunnels, conn)
		p.mu.Unlock()
	}
	go pipe(origin, buf) // buf: what the client sent after the CONNECT, then conn
	go pipe(conn, origin)
}

// Close closes the open tunnels and waits for their goroutines, which the
// HTTP server no longer tracks once a connection is hijacked.
func (p *forwardProxy) Close() {
	p.mu.Lock()
	p.closed = true
	for _, closeBoth := range p.tunnels {
		closeBoth()
	}
	p.mu.Unlock()
	p.tunnelWG.Wait()
	p.rt.CloseIdleConnections()
}

// withCredentials returns the proxy's URL with userinfo.
func withCredentials(proxyURL, user, pass string) string {
	u, _ := url.Parse(proxyURL)
	u.User = url.UserPassword(user, pass)
	return u.String()
}

// basicCount describes the Proxy-Authorization values a proxy received:
// how many carried Basic credentials.
func basicCount(auth []string) int {
	n := 0
	for _, a := range auth {
		if strings.HasPrefix(a, "Basic ") {
			n++
		}
	}
	return n
}

// proxies: a session's proxy map (Requests' proxies dict) for http and for
// https through CONNECT, a per-request proxy, proxy credentials that reach
// the proxy and never the origin, a 407 as a typed error, and HTTP_PROXY.
func proxies(ctx context.Context, e *env) error {
	withCreds := withCredentials(e.proxy.URL, proxyUser, proxyPassword)
	s, err := sessionOverCA(e) // trusts https://httpbin-tls
	if err != nil {
		return err
	}
	defer s.CloseIdleConnections()
	s.TrustEnv = false // only the map below, whatever the environment says
	s.Proxies = map[string]string{"http": withCreds, "https": withCreds}
	e.say(`s.Proxies = {"http": "http://tour:***@proxy", "https": the same}`)

	// Plain HTTP: the proxy reads the request, takes its Proxy-Authorization
	// off and forwards the rest.
	from := e.forward.mark()
	r, err := s.Get(ctx, e.url("/headers"))
	if err != nil {
		return err
	}
	got, err := echo(r)
	if err != nil {
		return err
	}
	targets, auth := e.forward.seen(from)
	e.say("GET http://httpbin/headers → %s, Via: %s", r.Status, r.Header.Get("Via"))
	e.say("  the proxy saw %q with Basic credentials: %d of %d; httpbin saw Proxy-Authorization: %t",
		targets, basicCount(auth), len(auth), got.Headers.Get("Proxy-Authorization") != "")
	if err := failed(
		equal("Via", r.Header.Get("Via"), "1.1 tour-proxy"),
		equal("requests the proxy saw", strings.Join(targets, ", "), "GET "+e.url("/headers")),
		equal("of them with credentials", basicCount(auth), 1),
		equal("Proxy-Authorization at the origin", got.Headers.Get("Proxy-Authorization"), ""),
	); err != nil {
		return err
	}

	// HTTPS: the credentials go in the CONNECT; TLS runs end to end inside
	// the tunnel, so the proxy sees neither the path nor the headers.
	from = e.forward.mark()
	connects := e.forward.connects.Load()
	r, err = s.Get(ctx, e.tls.URL+"/headers")
	if err != nil {
		return err
	}
	if got, err = echo(r); err != nil {
		return err
	}
	targets, auth = e.forward.seen(from)
	e.say("GET https://httpbin-tls/headers → %s over %s, Via: %q (the proxy only carries the bytes)", r.Status, r.Proto, r.Header.Get("Via"))
	e.say("  the proxy saw %q with Basic credentials: %d of %d; httpbin-tls saw Proxy-Authorization: %t",
		targets, basicCount(auth), len(auth), got.Headers.Get("Proxy-Authorization") != "")
	tlsHost := strings.TrimPrefix(e.tls.URL, "https://")
	if err := failed(
		equal("CONNECTs", e.forward.connects.Load()-connects, 1),
		equal("requests the proxy saw", strings.Join(targets, ", "), "CONNECT "+tlsHost),
		equal("of them with credentials", basicCount(auth), 1),
		equal("Proxy-Authorization at the origin", got.Headers.Get("Proxy-Authorization"), ""),
		equal("Via", r.Header.Get("Via"), ""),
	); err != nil {
		return err
	}
	// A second request reuses the tunnel: no new CONNECT.
	if r, err = s.Get(ctx, e.tls.URL+"/get"); err != nil {
		return err
	}
	e.say("GET https://httpbin-tls/get → %s; CONNECTs so far: %d (the tunnel is reused)", r.Status, e.forward.connects.Load()-connects)
	if err := failed(status(r, http.StatusOK), equal("CONNECTs", e.forward.connects.Load()-connects, 1)); err != nil {
		return err
	}

	// Per request: client.Proxy wins over the map; "" goes direct.
	requests := e.forward.requests.Load()
	if r, err = s.Get(ctx, e.url("/get"), client.Proxy("")); err != nil {
		return err
	}
	e.say(`GET http://httpbin/get with client.Proxy("") → direct: Via %q`, r.Header.Get("Via"))
	if err := failed(
		equal("Via", r.Header.Get("Via"), ""),
		equal("requests through the proxy", e.forward.requests.Load()-requests, 0),
	); err != nil {
		return err
	}
	direct := client.NewSession()
	defer direct.CloseIdleConnections()
	direct.TrustEnv = false
	if r, err = direct.Get(ctx, e.url("/get"), client.Proxy(withCreds)); err != nil {
		return err
	}
	e.say(`a session without proxies, GET http://httpbin/get with client.Proxy("http://tour:***@proxy") → %s, Via: %s`, r.Status, r.Header.Get("Via"))
	if err := failed(
		equal("Via", r.Header.Get("Via"), "1.1 tour-proxy"),
		equal("requests through the proxy", e.forward.requests.Load()-requests, 1),
	); err != nil {
		return err
	}

	// Wrong credentials: the proxy answers 407, which is an error that names
	// the proxy without the password, for a CONNECT and for plain HTTP.
	//
	// A session of its own: s already holds an HTTP/2 connection to
	// httpbin-tls, and net/http pools HTTP/2 connections by origin alone, so
	// s would send the request down the tunnel opened with the right
	// credentials, never asking the proxy (nor going direct for Proxy("")).
	wrong := withCredentials(e.proxy.URL, proxyUser, "wrong")
	refused, err := sessionOverCA(e)
	if err != nil {
		return err
	}
	defer refused.CloseIdleConnections()
	refused.TrustEnv = false
	for _, target := range []string{e.tls.URL + "/get", e.url("/get")} {
		_, err = refused.Get(ctx, target, client.Proxy(wrong), client.NoRetry())
		var pe *middleware.ProxyError
		ok := errors.As(err, &pe)
		e.say(`GET %s with client.Proxy("http://tour:wrong@proxy") →`, target)
		e.say("  errors.Is(err, client.ErrProxyAuthRequired) = %t; pe.Proxy = %s, pe.Status = %q",
			errors.Is(err, client.ErrProxyAuthRequired), proxyName(ok, pe), statusOf(ok, pe))
		if err := failed(
			expect(ok && errors.Is(err, client.ErrProxyAuthRequired), "want a 407 *middleware.ProxyError, got %v", err),
			expect(err == nil || !strings.Contains(err.Error(), "wrong"), "the error shows the password: %v", err),
		); err != nil {
			return err
		}
	}

	return envProxy(ctx, e)
}

func proxyName(ok bool, pe *middleware.ProxyError) string {
	if !ok {
		return "-"
	}
	return pe.Proxy
}

func statusOf(ok bool, pe *middleware.ProxyError) string {
	if !ok {
		return "-"
	}
	return pe.Status
}

// envProxy: with TrustEnv (the default), a session created while HTTP_PROXY
// is set sends http:// URLs through it. Go never proxies loopback addresses
// from the environment, so the request names a host, httpbin.test, that only
// the proxy knows how to reach.
func envProxy(ctx context.Context, e *env) error {
	u, err := url.Parse(e.httpbin.URL)
	if err != nil {
		return err
	}
	e.forward.hosts.Store("httpbin.test:80", u.Host)
	defer e.forward.hosts.Delete("httpbin.test:80")

	restore := setenvs(map[string]string{
		"HTTP_PROXY": withCredentials(e.proxy.URL, proxyUser, proxyPassword),
		"http_proxy": "", "NO_PROXY": "", "no_proxy": "", "REQUEST_METHOD": "",
	})
	s := client.NewSession() // reads the environment now
	restore()
	defer s.CloseIdleConnections()

	from := e.forward.mark()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	r, err := s.Get(ctx, "http://httpbin.test/headers")
	if err != nil {
		return err
	}
	got, err := echo(r)
	if err != nil {
		return err
	}
	targets, auth := e.forward.seen(from)
	e.say("HTTP_PROXY=http://tour:***@proxy when client.NewSession() ran; GET http://httpbin.test/headers → %s, Via: %s", r.Status, r.Header.Get("Via"))
	e.say("  the proxy saw %q with Basic credentials: %d of %d; httpbin saw Proxy-Authorization: %t",
		targets, basicCount(auth), len(auth), got.Headers.Get("Proxy-Authorization") != "")
	return failed(
		equal("requests the proxy saw", strings.Join(targets, ", "), "GET http://httpbin.test/headers"),
		equal("of them with credentials", basicCount(auth), 1),
		equal("Proxy-Authorization at the origin", got.Headers.Get("Proxy-Authorization"), ""),
	)
}
