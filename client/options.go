package client

import (
	"context"
	"net/http"
	"time"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/hooks"
	"github.com/relayhttp/relay/middleware"
)

// Option changes one request: its headers, query, body, or how its response
// is read. Options are applied in order; a later one wins where two conflict.
type Option interface {
	apply(*requestConfig)
}

type optionFunc func(*requestConfig)

func (f optionFunc) apply(c *requestConfig) { f(c) }

// requestConfig collects what the options of one call ask for.
type requestConfig struct {
	headers     []pair   // Header options, in order; they replace session headers
	without     []string // session headers not to send
	params      []pair   // Param options, in order: appended to the URL's query
	body        *bodySpec
	auth        auth.Authenticator
	authSet     bool
	stream      bool
	noRedir     bool
	maxRedir    int
	maxRedirSet bool
	route       middleware.Route // the request's layer of every hop's route
	routeSet    bool
	cookies     []*http.Cookie
	timeouts    Timeouts
	timeoutsSet bool
	retry       *RetryOptions
	retrySet    bool
	hooks       []func(context.Context) context.Context // context setters of per-request hooks
	raw         bool
	timeout     time.Duration
	timeoutSet  bool
	maxBody     int64
	maxSet      bool
	explain     bool  // keep the call's decision trail (Explain)
	merged      bool  // the request was built with the session's defaults (Do)
	err         error // the first error an option met (a JSON value that does not encode)
}

func (c *requestConfig) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// Header sets a header on the request. It replaces a session header of the
// same name; several Header options with one name send every value.
func Header(name, value string) Option { return headerOption{name, value} }

type headerOption pair

func (o headerOption) apply(c *requestConfig) { c.headers = append(c.headers, pair(o)) }

// Without removes the named session header from this request (Requests' "set
// it to None"), default headers such as User-Agent included.
func Without(names ...string) Option {
	return optionFunc(func(c *requestConfig) {
		c.without = append(c.without, names...)
	})
}

// Param appends key=value to the request's query. A key the URL or a Param
// already has is repeated, not replaced; a session param with the same key is
// not sent.
func Param(key, value string) Option { return paramOption{key, value} }

type paramOption pair

func (o paramOption) apply(c *requestConfig) { c.params = append(c.params, pair(o)) }

// Stream makes the call return as soon as the response headers arrive. The
// caller reads the body (Body, Lines, Chunks, or Bytes and friends, which
// still apply the size cap) and must close it.
func Stream() Option {
	return optionFunc(func(c *requestConfig) { c.stream = true })
}

// Raw asks for the body as it came off the wire, not decompressed (Requests'
// Response.raw). Content-Encoding stays in the headers.
func Raw() Option {
	return optionFunc(func(c *requestConfig) { c.raw = true })
}

// Timeout bounds the whole call, reading the body included (for a streamed
// response, until the body is closed). It wins over Session.Timeout; 0 means
// no limit for this request.
func Timeout(d time.Duration) Option {
	return optionFunc(func(c *requestConfig) { c.timeout, c.timeoutSet = d, true })
}

// MaxBodySize sets this request's cap on the decoded size of a whole-body read
// (see ErrBodyTooLarge); 0 means no cap.
func MaxBodySize(n int64) Option {
	return optionFunc(func(c *requestConfig) { c.maxBody, c.maxSet = n, true })
}

// WithAuth authenticates this request with a instead of the session's Auth;
// nil sends it without auth. The credentials go only to this request's origin.
func WithAuth(a auth.Authenticator) Option {
	return optionFunc(func(c *requestConfig) { c.auth, c.authSet = a, true })
}

// NoRedirects returns a redirect response as it is, instead of following it.
func NoRedirects() Option {
	return optionFunc(func(c *requestConfig) { c.noRedir = true })
}

// MaxRedirects sets how many redirects this request may follow before it
// fails with ErrTooManyRedirects; 0 or less allows none.
func MaxRedirects(n int) Option {
	return optionFunc(func(c *requestConfig) { c.maxRedir, c.maxRedirSet = n, true })
}

// HookRequest runs fn before this request is sent, after the session's
// request hooks. fn gets a copy of the request it may change, or fail with an
// error. See package hooks.
func HookRequest(fn hooks.RequestHook) Option {
	return hookOption(func(ctx context.Context) context.Context { return hooks.WithRequestHook(ctx, fn) })
}

// HookResponse runs fn on this request's final response, after the session's
// response hooks. fn may return a replacement; nil keeps the response.
func HookResponse(fn hooks.ResponseHook) Option {
	return hookOption(func(ctx context.Context) context.Context { return hooks.WithResponseHook(ctx, fn) })
}

// HookError runs fn when this request fails without a response (4xx and
// 5xx are responses).
func HookError(fn hooks.ErrorHook) Option {
	return hookOption(func(ctx context.Context) context.Context { return hooks.WithErrorHook(ctx, fn) })
}

// HookRedirects makes every hook of this request — the session's too — see
// each redirect hop and retry attempt, not only the final response.
func HookRedirects() Option {
	return hookOption(hooks.WithHops)
}

func hookOption(set func(context.Context) context.Context) Option {
	return optionFunc(func(c *requestConfig) { c.hooks = append(c.hooks, set) })
}

// Cookie sends cookies with this request (and its same-origin redirect
// hops) without storing them in the session's jar. A cookie of the same name
// from the jar is not sent alongside.
func Cookie(cookies ...*http.Cookie) Option {
	return optionFunc(func(c *requestConfig) { c.cookies = append(c.cookies, cookies...) })
}
