// Package proxytest runs forward proxies on loopback for tests: a Go HTTP
// proxy that counts what it forwards and records the Proxy-Authorization it
// receives, a minimal SOCKS5 server, a real tinyproxy process (where
// tinyproxy is installed), and its in-process twin built on
// github.com/elazarl/goproxy (everywhere). Each is shut down, its goroutines
// and connections with it, by t.Cleanup.
package proxytest

import (
	"context"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// Options configures a Proxy.
type Options struct {
	// User and Password, when User is set, are the credentials the proxy
	// demands (Basic); a request or CONNECT without them is answered 407
	// with a Proxy-Authenticate challenge.
	User, Password string
	// TLS makes the proxy speak TLS to its clients (an https:// proxy URL),
	// with the certificate of httptest.NewTLSServer.
	TLS bool
	// Dial opens the proxy's connections to origins (mapping made-up host
	// names to loopback listeners); nil means a net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Name is the pseudonym the proxy adds to Via ("1.1 <Name>"), "proxytest"
	// when empty.
	Name string
}

// Proxy is a forward HTTP proxy: plain HTTP requests in absolute form are
// forwarded by a transport of its own, and CONNECT opens a tunnel. The
// counters and records are safe to read while it runs.
type Proxy struct {
	// URL is the proxy's URL, without credentials.
	URL *url.URL
	// Server is the underlying server; its Certificate() is the proxy's
	// certificate when Options.TLS is set.
	Server *httptest.Server

	opts Options
	rt   *http.Transport

	mu       sync.Mutex
	requests int      // plain requests received
	connects int      // CONNECT requests received
	auths    []string // Proxy-Authorization of every request and CONNECT, "" if absent
	targets  []string // "GET http://host/path" or "CONNECT host:port", in order
	tunnels  map[net.Conn]struct{}
	closed   bool
	wg       sync.WaitGroup
}

// New starts a proxy and registers its shutdown with t.Cleanup.
func New(t testing.TB, o Options) *Proxy {
	t.Helper()
	if o.Name == "" {
		o.Name = "proxytest"
	}
	p := &Proxy{opts: o, tunnels: make(map[net.Conn]struct{})}
	p.rt = &http.Transport{DialContext: o.Dial, DisableCompression: true}
	if p.rt.DialContext == nil {
		p.rt.DialContext = (&net.Dialer{}).DialContext
	}
	p.Server = httptest.NewUnstartedServer(p)
	if o.TLS {
		p.Server.StartTLS()
	} else {
		p.Server.Start()
	}
	p.URL, _ = url.Parse(p.Server.URL)
	t.Cleanup(p.Close)
	return p
}

// URLWithAuth returns the proxy's URL carrying user and password.
func (p *Proxy) URLWithAuth(user, password string) *url.URL {
	u := *p.URL
	u.User = url.UserPassword(user, password)
	return &u
}

// Requests returns how many plain (non-CONNECT) requests the proxy received,
// refused ones included.
func (p *Proxy) Requests() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.requests
}

// Connects returns how many CONNECT requests the proxy received, refused
// ones included.
func (p *Proxy) Connects() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.connects
}

// ProxyAuthorizations returns the Proxy-Authorization value of every request
// and CONNECT the proxy received, in order; "" for one without.
func (p *Proxy) ProxyAuthorizations() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.auths...)
}

// Targets returns "METHOD target" for every request the proxy received, in
// order: "GET http://a.test/x" or "CONNECT a.test:443".
func (p *Proxy) Targets() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.targets...)
}

// Close stops the proxy, closes its open tunnels and waits for their
// goroutines. Cleanup calls it; calling it again does nothing.
func (p *Proxy) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	for c := range p.tunnels {
		c.Close()
	}
	p.mu.Unlock()
	p.Server.Close()
	p.wg.Wait()
	p.rt.CloseIdleConnections()
}

// ServeHTTP implements the proxy.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	auth := r.Header.Get("Proxy-Authorization")
	target := r.URL.String()
	if r.Method == http.MethodConnect {
		target = r.Host
	}
	p.mu.Lock()
	if r.Method == http.MethodConnect {
		p.connects++
	} else {
		p.requests++
	}
	p.auths = append(p.auths, auth)
	p.targets = append(p.targets, r.Method+" "+target)
	p.mu.Unlock()

	if p.opts.User != "" && auth != BasicAuth(p.opts.User, p.opts.Password) {
		w.Header().Set("Proxy-Authenticate", `Basic realm="proxytest"`)
		http.Error(w, "proxy authentication required", http.StatusProxyAuthRequired)
		return
	}
	if r.Method == http.MethodConnect {
		p.tunnel(w, r)
		return
	}
	p.forward(w, r)
}

// hopByHop are the headers a proxy does not forward (RFC 9110 §7.6.1), plus
// the proxy credentials meant for this proxy alone.
var hopByHop = []string{
	"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authorization",
	"Proxy-Authenticate", "Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

func (p *Proxy) forward(w http.ResponseWriter, r *http.Request) {
	if !r.URL.IsAbs() {
		http.Error(w, "proxytest: not a proxy request", http.StatusBadRequest)
		return
	}
	out := r.Clone(r.Context())
	out.RequestURI = ""
	for _, f := range r.Header.Values("Connection") {
		for name := range strings.SplitSeq(f, ",") {
			out.Header.Del(strings.TrimSpace(name))
		}
	}
	for _, h := range hopByHop {
		out.Header.Del(h)
	}
	out.Header.Add("Via", "1.1 "+p.opts.Name)
	resp, err := p.rt.RoundTrip(out)
	if err != nil {
		http.Error(w, "proxytest: "+err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for _, h := range hopByHop {
		resp.Header.Del(h)
	}
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	w.Header().Add("Via", "1.1 "+p.opts.Name)
	w.WriteHeader(resp.StatusCode)
	_ = http.NewResponseController(w).Flush() // stream, as a real proxy does
	_, _ = io.Copy(w, resp.Body)
}

func (p *Proxy) tunnel(w http.ResponseWriter, r *http.Request) {
	upstream, err := p.rt.DialContext(r.Context(), "tcp", r.Host)
	if err != nil {
		http.Error(w, "proxytest: "+err.Error(), http.StatusBadGateway)
		return
	}
	client, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		upstream.Close()
		return
	}
	if !p.track(client, upstream) {
		return
	}
	_, _ = client.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
	p.wg.Go(func() { pipe(upstream, buf.Reader, client) })
	p.wg.Go(func() { pipe(client, upstream, upstream) })
}

// track registers tunnel connections so Close can end them; it closes them
// and reports false when the proxy is already closed.
func (p *Proxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		for _, c := range conns {
			c.Close()
		}
		return false
	}
	for _, c := range conns {
		p.tunnels[c] = struct{}{}
	}
	return true
}

// pipe copies src to dst and then closes both ends, so the opposite copy
// ends too. closeSrc is the connection src reads from.
func pipe(dst net.Conn, src io.Reader, closeSrc net.Conn) {
	_, _ = io.Copy(dst, src)
	dst.Close()
	closeSrc.Close()
}

// BasicAuth returns the Basic credentials header value for user and password.
func BasicAuth(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}
