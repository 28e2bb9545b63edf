// Package middleware is relay's pipeline: every feature of relay — default
// headers, redirects, decompression, auth, cookies, proxies — is an
// [http.RoundTripper] that wraps another one, and this package holds the type
// that describes such a wrapper, the functions that stack them, and the
// built-in middlewares too small for a package of their own.
//
// # The RoundTripper contract
//
// The documentation of [http.RoundTripper] says:
//
//	RoundTrip should not attempt to interpret the response. In particular,
//	RoundTrip must return err == nil if it obtained a response, regardless
//	of the response's HTTP status code. [...] Similarly, RoundTrip should
//	not attempt to handle higher-level protocol details such as redirects,
//	authentication, or cookies.
//
//	RoundTrip should not modify the request, except for consuming and
//	closing the Request's Body. RoundTrip may read fields of the request in
//	a separate goroutine. Callers should not mutate or reuse the request
//	until the Response's Body has been closed.
//
//	RoundTrip must always close the body, including on errors, but
//	depending on the implementation may do so in a separate goroutine even
//	after RoundTrip returns.
//
// relay does redirects, authentication and cookies in RoundTrippers anyway,
// because that is what makes them composable: any of them can wrap any
// *http.Client's transport, and the whole stack can be handed to a library
// that accepts an *http.Client. It keeps the parts of the contract that
// protect callers:
//
//   - A middleware never modifies the caller's *http.Request. When it needs to
//     change something it works on a clone ([http.Request.Clone]), and it
//     clones the Header map before writing to it.
//   - A middleware closes the request body on every path, including the
//     early returns where it fails before calling the next RoundTripper.
//   - A response a middleware drops (a redirect hop, a 401 it answers) has
//     its body drained up to a small bound and closed, so the connection
//     returns to the pool.
//   - A middleware returns err == nil whenever it has a response to return;
//     status codes are the caller's business.
//   - A middleware forwards CloseIdleConnections to the RoundTripper it wraps,
//     so [http.Client.CloseIdleConnections] reaches the base transport.
//
// Per-request settings (headers to remove, an undecoded body, …) travel in the
// request's [context.Context], as [net/http/httptrace] does, so a middleware
// used outside a relay Session reads them too.
package middleware

import (
	"net/http"
)

// Middleware wraps a RoundTripper with one feature. It is called once, when a
// stack is assembled; the RoundTripper it returns is called for every request
// and must be safe for concurrent use.
type Middleware func(next http.RoundTripper) http.RoundTripper

// RoundTripperFunc adapts an ordinary function to the [http.RoundTripper]
// interface, as [http.HandlerFunc] does for handlers.
type RoundTripperFunc func(*http.Request) (*http.Response, error)

var _ http.RoundTripper = RoundTripperFunc(nil)

// RoundTrip calls f(req).
func (f RoundTripperFunc) RoundTrip(req *http.Request) (*http.Response, error) {
	return f(req)
}

// Chain stacks mws over base and returns the outermost RoundTripper: mws[0]
// sees a request first and the response last. A nil base means
// [http.DefaultTransport]; nil middlewares are skipped.
func Chain(base http.RoundTripper, mws ...Middleware) http.RoundTripper {
	rt := orDefault(base)
	for i := len(mws) - 1; i >= 0; i-- {
		if mws[i] != nil {
			rt = mws[i](rt)
		}
	}
	return rt
}

// Wrap returns a shallow copy of c whose Transport is c's transport wrapped in
// mws (mws[0] outermost). c itself is not modified. A nil c is treated as a
// zero http.Client, whose transport is [http.DefaultTransport].
func Wrap(c *http.Client, mws ...Middleware) *http.Client {
	var cp http.Client
	if c != nil {
		cp = *c // copies the fields; the Client type holds no lock
	}
	cp.Transport = Chain(cp.Transport, mws...)
	return &cp
}

// orDefault maps a nil RoundTripper to http.DefaultTransport, the choice
// net/http makes for a nil Client.Transport.
func orDefault(rt http.RoundTripper) http.RoundTripper {
	if rt == nil {
		return http.DefaultTransport
	}
	return rt
}

// closeIdler is implemented by transports that keep idle connections.
type closeIdler interface{ CloseIdleConnections() }

// CloseIdleConnections calls CloseIdleConnections on rt if rt has that
// method. Middlewares call it to forward the call to the transport they wrap.
func CloseIdleConnections(rt http.RoundTripper) {
	if c, ok := rt.(closeIdler); ok {
		c.CloseIdleConnections()
	}
}
