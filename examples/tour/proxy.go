package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/relayhttp/relay/client"
)

// forwardProxy is a minimal HTTP forward proxy for plain-http URLs: it
// receives requests in absolute form ("GET http://host/path"), sends them on,
// and marks the answers with a Via header. (HTTPS through a proxy needs
// CONNECT, which this one does not do.)
type forwardProxy struct {
	rt   *http.Transport // the proxy's own connections to the origin
	seen atomic.Int64
	auth atomic.Value // the last Proxy-Authorization received (string)
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
	p.auth.Store(r.Header.Get("Proxy-Authorization"))
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

// proxies: a session's proxy map (Requests' proxies dict), a per-request
// proxy, and proxy credentials that reach the proxy and never the origin.
func proxies(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()
	s.Proxies = map[string]string{"http": strings.Replace(e.proxy.URL, "http://", "http://tour:s3cret@", 1)}
	before := e.forward.seen.Load()
	r, err := s.Get(ctx, e.url("/headers"))
	if err != nil {
		return err
	}
	got, err := echo(r)
	if err != nil {
		return err
	}
	proxyAuth, _ := e.forward.auth.Load().(string)
	e.say(`s.Proxies = {"http": "http://tour:***@proxy"}; GET http://httpbin/headers → %s, Via: %s`, r.Status, r.Header.Get("Via"))
	e.say("the proxy received Proxy-Authorization: Basic … (%d bytes); httpbin received one: %t", len(proxyAuth), got.Headers.Get("Proxy-Authorization") != "")
	if err := failed(
		equal("Via", r.Header.Get("Via"), "1.1 tour-proxy"),
		equal("requests through the proxy", e.forward.seen.Load()-before, 1),
		expect(strings.HasPrefix(proxyAuth, "Basic "), "the proxy got no credentials"),
		equal("Proxy-Authorization at the origin", got.Headers.Get("Proxy-Authorization"), ""),
	); err != nil {
		return err
	}
	if r, err = s.Get(ctx, e.url("/get"), client.Proxy("")); err != nil {
		return err
	}
	e.say(`client.Proxy("") sends one request direct: Via %q`, r.Header.Get("Via"))
	return failed(
		equal("Via", r.Header.Get("Via"), ""),
		equal("requests through the proxy", e.forward.seen.Load()-before, 1),
	)
}
