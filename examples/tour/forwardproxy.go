package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
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
