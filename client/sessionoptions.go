package client

import (
	"net/http"
	"time"

	"go.uber.org/zap"
)

// SessionOption configures a Session when it is created.
type SessionOption interface {
	applySession(*sessionConfig)
}

type sessionOptionFunc func(*sessionConfig)

func (f sessionOptionFunc) applySession(c *sessionConfig) { f(c) }

type sessionConfig struct {
	jar      http.CookieJar
	base     http.RoundTripper
	timeout  time.Duration
	logger   *zap.Logger
	timeouts Timeouts
	retry    *RetryOptions
	check    func(*http.Request, []*http.Request) error
	setups   []func(*Session)
}

// Configure runs f on the new session once NewSession has built it, before
// NewSession returns, in the order the options were given: the way for a
// package outside client to offer a SessionOption (telemetry.With, say)
// that adds middlewares with Use and UseSend or sets fields.
func Configure(f func(*Session)) SessionOption {
	return sessionOptionFunc(func(sc *sessionConfig) { sc.setups = append(sc.setups, f) })
}

// WithHTTPClient builds the session over an existing client: its Transport
// (http.DefaultTransport when nil) becomes the base transport, routed like
// any other (its value is never modified: routes get clones), its Timeout
// the session's, its Jar, when it has one, the session's, and its
// CheckRedirect is called before every redirect hop with the arguments
// net/http would pass (http.ErrUseLastResponse returns the 3xx itself; the
// session's MaxRedirects applies too). c is never modified.
func WithHTTPClient(c *http.Client) SessionOption {
	return sessionOptionFunc(func(sc *sessionConfig) {
		sc.base = c.Transport
		if sc.base == nil {
			sc.base = http.DefaultTransport
		}
		sc.timeout = c.Timeout
		sc.jar = c.Jar
		sc.check = c.CheckRedirect
	})
}

// WithTransport makes rt the session's base transport, mounted for http://
// and https://. Build one with transport.New to set TLS options: bad CA or
// certificate files are reported there, before any request.
func WithTransport(rt http.RoundTripper) SessionOption {
	return sessionOptionFunc(func(sc *sessionConfig) { sc.base = rt })
}

// WithLogger gives the session a logger (zap.NewNop by default). The default
// base transport logs its warnings through it.
func WithLogger(l *zap.Logger) SessionOption {
	return sessionOptionFunc(func(sc *sessionConfig) { sc.logger = l })
}
