package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"

	"github.com/relayhttp/relay/transport"
)

// forwardProxy is a minimal HTTP forward proxy for plain-http URLs: it
// receives requests in absolute form ("GET http://host/path"), sends them on,
// and marks the answers with a Via header. (HTTPS through a proxy needs
// CONNECT, which this one does not do.)
type forwardProxy struct {
	rt   *http.Transport // the proxy's own connections to the origin
	seen atomic.Int64
}

func newForwardProxy() *forwardProxy {
	return &forwardProxy{rt: &http.Transport{Proxy: nil}}
}

func (p *forwardProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !r.URL.IsAbs() {
		http.Error(w, "tour proxy: not a proxy request", http.StatusBadRequest)
		return
	}
	p.seen.Add(1)
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.Header.Del("Proxy-Connection")
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

// proxies: transport.Proxy picks a proxy per request, as http.Transport.Proxy
// does; without it a transport from transport.New follows HTTP_PROXY and
// friends (which never apply to loopback addresses).
func proxies(ctx context.Context, e *env) error {
	proxyURL, err := url.Parse(e.proxy.URL)
	if err != nil {
		return err
	}
	s, err := sessionOver(transport.Proxy(http.ProxyURL(proxyURL)))
	if err != nil {
		return err
	}
	defer s.CloseIdleConnections()
	before := e.forward.seen.Load()
	r, err := s.Get(ctx, e.url("/get"))
	if err != nil {
		return err
	}
	got, err := echo(r)
	if err != nil {
		return err
	}
	e.say("transport.Proxy(http.ProxyURL(http://proxy)); GET http://httpbin/get → %s, Via: %s", r.Status, r.Header.Get("Via"))
	e.say("the proxy forwarded %d request(s); httpbin saw the session's User-Agent %s", e.forward.seen.Load()-before, got.Headers.Get("User-Agent"))
	return failed(
		equal("Via", r.Header.Get("Via"), "1.1 tour-proxy"),
		equal("requests through the proxy", e.forward.seen.Load()-before, 1),
	)
}
