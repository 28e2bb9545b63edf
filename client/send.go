package client

import (
	"net/http"
	"sync/atomic"

	"github.com/relayhttp/relay/middleware"
)

// UseSend adds middlewares at the innermost place of every mount's stack,
// below logging and just above the transport: they see each physical
// send — every redirect hop, retry attempt and authentication round — as
// the transport will, with the session's settings applied (headers,
// cookies, credentials, route), and its response before any middleware
// has read it (still compressed). An answer the cache gives from its store
// is not a send and does not reach them. Middlewares added earlier are
// outer; they apply to mounts made before and after.
//
// This is where a recorder (WithRecorder), a HAR capture and telemetry's
// send spans go; Use is the place of a middleware that should see each
// call once. A middleware may be applied more than once per mount (its
// wrapper built again), so keep its state outside the RoundTripper it
// returns.
func (s *Session) UseSend(mws ...middleware.Middleware) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []middleware.Middleware
	if old := s.sends.Load(); old != nil {
		all = append(all, *old...)
	}
	all = append(all, mws...)
	s.sends.Store(&all)
}

// sendPosition is the place of UseSend's middlewares in a mount's stack:
// it runs them over next, building their chain again when they change, and
// costs one atomic load when there are none.
type sendPosition struct {
	next  http.RoundTripper
	sends *atomic.Pointer[[]middleware.Middleware] // the session's
	chain atomic.Pointer[sendChain]
}

// sendChain is UseSend's middlewares, built over a mount's transport.
type sendChain struct {
	mws *[]middleware.Middleware // what it was built from
	rt  http.RoundTripper
}

func (p *sendPosition) RoundTrip(req *http.Request) (*http.Response, error) {
	mws := p.sends.Load()
	if mws == nil {
		return p.next.RoundTrip(req)
	}
	c := p.chain.Load()
	if c == nil || c.mws != mws {
		c = &sendChain{mws: mws, rt: middleware.Chain(p.next, *mws...)}
		p.chain.Store(c)
	}
	return c.rt.RoundTrip(req)
}

func (p *sendPosition) CloseIdleConnections() {
	if c := p.chain.Load(); c != nil {
		middleware.CloseIdleConnections(c.rt)
	}
	middleware.CloseIdleConnections(p.next)
}
