package transport

import (
	"net/http"
	"sync"

	"github.com/relayhttp/relay/middleware"
)

// ProxyPools returns an http.RoundTripper that gives every proxy its own
// connection pool: a request whose context names a proxy (middleware.WithProxy,
// set by the proxy middleware) goes through a clone of base whose Proxy is
// that proxy alone, created on first use; every other request goes through
// base itself.
//
// One *http.Transport keys its HTTP/1 pool by proxy, but not its HTTP/2 pool:
// net/http registers an HTTP/2 connection under its origin only, so a later
// request to that origin would reuse a tunnel opened through another proxy,
// or with other proxy credentials, or skip its proxy altogether. Separate
// transports keep proxies apart for both protocols. The clones are keyed by
// the whole proxy URL, credentials included, and live as long as the
// returned RoundTripper; CloseIdleConnections reaches all of them.
//
// base must not be modified after it is given here. A relay Session's default
// base transport is built this way.
func ProxyPools(base *http.Transport) http.RoundTripper {
	return &proxyPools{base: base}
}

type proxyPools struct {
	base  *http.Transport
	pools sync.Map // proxy URL string → *http.Transport
	mu    sync.Mutex
}

func (p *proxyPools) RoundTrip(req *http.Request) (*http.Response, error) {
	u, ok := middleware.ProxyFromContext(req.Context())
	if !ok || u == nil {
		return p.base.RoundTrip(req)
	}
	return p.pool(u.String()).RoundTrip(req)
}

// pool returns the transport of one proxy, creating it once.
func (p *proxyPools) pool(key string) *http.Transport {
	if t, ok := p.pools.Load(key); ok {
		return t.(*http.Transport)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if t, ok := p.pools.Load(key); ok {
		return t.(*http.Transport)
	}
	t := p.base.Clone()
	t.Proxy = ContextProxy(nil) // the context names this very proxy
	p.pools.Store(key, t)
	return t
}

// CloseIdleConnections closes the idle connections of base and of every
// proxy's transport.
func (p *proxyPools) CloseIdleConnections() {
	p.base.CloseIdleConnections()
	p.pools.Range(func(_, t any) bool {
		t.(*http.Transport).CloseIdleConnections()
		return true
	})
}
