package client

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/cookiejar"
	"github.com/relayhttp/relay/hooks"
	"github.com/relayhttp/relay/middleware"
	"github.com/relayhttp/relay/transport"
)

// The assembly of a Session's stack: the per-mount middlewares over each
// mounted transport, the per-call ones over the router, and the sources
// they read the session's settings from at each request.

// mountStack wraps a mounted transport, routed (transport.Routed), in the
// per-mount middlewares. Each runs per redirect hop; hooks and logging run
// per attempt. A request that needs only the jar, the route and
// decompression takes the light path (quiet.go). name names the mount in
// errors.
func (s *Session) mountStack(rt http.RoundTripper, name string) http.RoundTripper {
	routed := transport.Routed(rt, transport.PoolsOptions{Logger: s.logger, Name: name})
	jar, decompress := cookiejar.MiddlewareFrom(s.currentJar), middleware.Decompress()
	full := middleware.Chain(&guarded{&sendPosition{next: routed, sends: &s.sends}},
		jar,
		auth.MiddlewareWithOptions(auth.MiddlewareOptions{Auth: s.currentAuth, Netrc: s.currentNetrc}),
		s.route,
		decompress,
		middleware.LogAnswersFrom(s.logOptions, cache.Answered), // the cache's hits, which logging below never sees
		cache.MiddlewareFrom(s.currentCache),
		middleware.RetryFrom(func() *RetryOptions { return s.retry }),
		middleware.TimeoutFrom(func() Timeouts { return s.timeouts }),
		hooks.HopMiddleware(&s.Hooks),
		middleware.LogFrom(s.logOptions),
	)
	light := middleware.Chain(&guarded{routed}, jar, s.route, decompress)
	return &mountPaths{full: full, light: light, s: s}
}

func (s *Session) routeOptions() middleware.RouteOptions {
	return middleware.RouteOptions{Proxies: s.Proxies, TLS: s.TLS, TrustEnv: s.TrustEnv, Name: "Session"}
}

func (s *Session) logOptions() middleware.LogOptions {
	return middleware.LogOptions{Logger: s.logger, Redact: s.sensitiveHeaders()}
}

// rebuild assembles the outer stack over the router. Callers hold s.mu, or
// own s exclusively.
func (s *Session) rebuild() {
	mws := make([]middleware.Middleware, 0, 2+len(s.uses))
	mws = append(mws, hooks.Middleware(&s.Hooks))
	mws = append(mws, s.uses...)
	mws = append(mws, middleware.RedirectsFrom(s.redirectOptions))
	merged := middleware.Chain(s.router, mws...)
	s.stack.Store(&stackHolder{
		full:   middleware.DefaultsFrom(s.currentDefaults)(merged),
		merged: merged,
	})
}

func (s *Session) currentAuth() auth.Authenticator { return s.Auth }

func (s *Session) currentJar() http.CookieJar { return s.Jar }

func (s *Session) currentCache() *cache.Cache { return s.Cache }

// currentNetrc gives the netrc file when the session trusts its environment.
func (s *Session) currentNetrc() (*auth.NetrcFile, error) {
	if !s.TrustEnv {
		return nil, nil
	}
	return s.netrc()
}

func (s *Session) redirectOptions() middleware.RedirectOptions {
	max := s.MaxRedirects
	if max <= 0 {
		max = -1
	}
	return middleware.RedirectOptions{Max: max, Sensitive: s.sensitiveHeaders(), CheckRedirect: s.check}
}

func (s *Session) currentDefaults() (http.Header, url.Values) { return s.Headers, s.Params }

// guarded holds a mounted RoundTripper to the contract the middlewares above
// it rely on, as net/http's Client does for its Transport: a nil response
// with a nil error becomes an error, and a nil Body an empty one.
type guarded struct{ rt http.RoundTripper }

func (g *guarded) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := g.rt.RoundTrip(req)
	if err == nil && resp == nil {
		return nil, fmt.Errorf("client: %T returned a nil *http.Response with a nil error", g.rt)
	}
	if resp != nil && resp.Body == nil {
		resp.Body = http.NoBody
	}
	return resp, err
}

func (g *guarded) CloseIdleConnections() { middleware.CloseIdleConnections(g.rt) }
