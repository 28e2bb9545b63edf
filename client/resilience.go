package client

import (
	"github.com/relayhttp/relay/middleware"
)

// Timeouts bounds the phases of a request: Connect, TLSHandshake,
// ResponseHeader and IdleBody (the wait for data while reading a body). Zero
// fields inherit, a negative one lifts a limit. See middleware.Timeouts.
type Timeouts = middleware.Timeouts

// RetryOptions configures retries: attempts, backoff and the statuses
// retried. The zero value retries GET, HEAD, OPTIONS, PUT and DELETE up to 3
// times on connection failures and 429, 502, 503, 504. See
// middleware.RetryFrom for the rules.
type RetryOptions = middleware.RetryOptions

// WithTimeouts sets phase timeouts. Given to NewSession it is the session's
// setting; given to a request its non-zero fields win for that request. Each
// timeout fails with a *middleware.TimeoutError that names the phase and
// matches context.DeadlineExceeded. The whole-call limit is Timeout.
func WithTimeouts(t Timeouts) interface {
	Option
	SessionOption
} {
	return timeoutsOption(t)
}

type timeoutsOption Timeouts

func (t timeoutsOption) apply(c *requestConfig) {
	c.timeouts, c.timeoutsSet = Timeouts(t), true
}

func (t timeoutsOption) applySession(c *sessionConfig) { c.timeouts = Timeouts(t) }

// WithRetry turns retries on for every request of the session. Requests can
// override it with Retry or turn it off with NoRetry.
func WithRetry(o RetryOptions) SessionOption {
	return sessionOptionFunc(func(c *sessionConfig) { c.retry = &o })
}

// Retry turns retries on for this request with o, whatever the session says.
func Retry(o RetryOptions) Option {
	return optionFunc(func(c *requestConfig) { c.retry, c.retrySet = &o, true })
}

// NoRetry sends this request once, even on a session that retries.
func NoRetry() Option {
	return optionFunc(func(c *requestConfig) {
		c.retry, c.retrySet = &middleware.RetryOptions{MaxAttempts: -1}, true
	})
}
