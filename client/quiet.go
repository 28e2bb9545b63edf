package client

import (
	"net/http"

	"github.com/relayhttp/relay/internal/relayctx"
	"github.com/relayhttp/relay/middleware"
)

// A mount's stack is built twice: in full, and as its light path, which
// leaves out the middlewares that have nothing to do for most requests:
// auth, the cache and its answer log, retries, timeouts, hop hooks, logging
// and UseSend's. A request goes the light path when the session's settings
// and the request's context turn every one of them off (quiet); each of
// them would then pass it through untouched, so it is sent the same. The
// light path keeps the cookie jar, the route and decompression, which act
// on responses too. The saving is the layers a request does not meet: on
// loopback, where the server's work evicts the client's code and data from
// the CPU's caches between requests, each costs far more than it does in a
// loop (docs/benchmarks.md).

// mountPaths is a mount's stack in full and its light path over the same
// transport.
type mountPaths struct {
	full, light http.RoundTripper
	s           *Session
}

func (m *mountPaths) RoundTrip(req *http.Request) (*http.Response, error) {
	if m.s.quiet(req) {
		return m.light.RoundTrip(req)
	}
	return m.full.RoundTrip(req)
}

// CloseIdleConnections goes through the full stack, which reaches the
// transport both paths share and UseSend's middlewares.
func (m *mountPaths) CloseIdleConnections() { middleware.CloseIdleConnections(m.full) }

// quiet reports whether every middleware the light path leaves out would
// pass req through untouched. Any relay value in req's context (a per-call
// option, an explain trail, a hop's retry attempt) sends it the full path:
// one lookup, instead of one for each kind of value.
func (s *Session) quiet(req *http.Request) bool {
	if s.Auth != nil || s.Cache != nil || s.sends.Load() != nil || relayctx.Holds(req.Context()) {
		return false
	}
	if !s.plain && (s.retry != nil || s.timeouts != (Timeouts{}) || s.logOptions().Enabled()) {
		return false
	}
	f, err := s.currentNetrc()
	return f.Len() == 0 && err == nil // else an entry may apply, or the error fails the request
}
