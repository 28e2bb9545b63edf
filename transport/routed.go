package transport

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/relayhttp/relay/middleware"
)

// ErrUnroutable is matched (errors.Is) by a [*RouteError]: a hop whose
// route the transport it was sent through cannot take.
var ErrUnroutable = errors.New("transport: route cannot be taken")

// RouteError reports a hop whose route chooses a proxy or TLS setting that
// the transport under it cannot apply. It is returned before anything is
// sent: relay never lets a request go direct, or verify otherwise, when it
// was told not to.
type RouteError struct {
	Mount     string // the transport, as PoolsOptions.Name names it: `mount "https://api.example"`
	Transport string // its Go type, "*fake.Transport"
	Setting   string // the setting it cannot take and where it came from: `proxy http://p:3128 (from Session.Proxies["https"])`
	Reason    string // why, and what to do instead
}

func (e *RouteError) Error() string {
	return fmt.Sprintf("transport: %s (%s) cannot take %s: %s", e.Mount, e.Transport, e.Setting, e.Reason)
}

func (e *RouteError) Unwrap() error { return ErrUnroutable }

// SelfRouting is implemented by an http.RoundTripper that applies the route
// in each request's context itself (middleware.RouteFromContext): the
// proxy, InsecureSkipVerify, CA bundle and client certificate it chooses.
// [Routed] passes such a transport every request as it is. A transport
// mounted on a relay Session declares so with an empty method:
//
//	func (t *MyTransport) RoutesItself() {}
//
// Its RoundTrip must then honour every setting whose Source is set, or fail
// the request; [Pools] is the reference.
type SelfRouting interface {
	http.RoundTripper
	RoutesItself()
}

// Routed returns rt ready to take routes, as a relay Session mounts every
// transport:
//
//   - an *http.Transport gets a pool per route ([PoolsWithOptions] with o);
//   - a [SelfRouting] transport is returned as it is;
//   - any other transport cannot be routed: a hop whose route makes an
//     explicit choice — a proxy, or a TLS setting, given by the request or
//     the session — fails with a [*RouteError] before anything is sent. A
//     direct connection, and the environment's proxies and CA bundle, are
//     left to such a transport, so that a test double keeps working on a
//     machine with HTTPS_PROXY set.
func Routed(rt http.RoundTripper, o PoolsOptions) http.RoundTripper {
	switch t := rt.(type) {
	case *http.Transport:
		return PoolsWithOptions(t, o)
	case SelfRouting:
		return rt
	}
	name := o.Name
	if name == "" {
		name = "the transport"
	}
	return &unroutable{rt: rt, name: name}
}

// unroutable refuses the explicit routes of a transport that cannot take
// them.
type unroutable struct {
	rt   http.RoundTripper
	name string
}

func (u *unroutable) RoundTrip(req *http.Request) (*http.Response, error) {
	if r, ok := middleware.RouteFromContext(req.Context()); ok {
		if s := r.Explicit(); s != "" {
			closeRequestBody(req)
			return nil, &RouteError{Mount: u.name, Transport: fmt.Sprintf("%T", u.rt), Setting: s,
				Reason: "only an *http.Transport, or a transport that implements transport.SelfRouting, can be routed"}
		}
	}
	return u.rt.RoundTrip(req)
}

func (u *unroutable) CloseIdleConnections() { middleware.CloseIdleConnections(u.rt) }
