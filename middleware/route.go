package middleware

import (
	"context"
	"fmt"
	"net/url"

	"github.com/relayhttp/relay/internal/relayctx"
)

// A Route is where one hop's connection comes from: the proxy it goes
// through and the TLS settings it is made with, each with the [Source] it
// came from. The route middleware ([Routes]) chooses it per hop and puts it
// in the request's context, where the base transport reads it
// (transport.Pools keeps one connection pool per route).
//
// A field whose source is [FromTransport] (the zero Source) is not chosen:
// the mounted transport's own setting applies. The zero Route changes
// nothing.
type Route struct {
	// Proxy is the proxy of the hop, nil for a direct connection. It counts
	// only when ProxySource is set. It is shared and must not be modified.
	Proxy       *url.URL
	ProxySource Source

	// TLS holds the TLS choices. InsecureSkipVerify and CABundle are one
	// choice, verification, as Requests' verify is (VerifySource);
	// CertFile and KeyFile are the other, the client certificate
	// (CertSource).
	TLS          TLSSettings
	VerifySource Source
	CertSource   Source
}

// TLSSettings are the TLS choices of a route, the ones Requests takes as
// verify and cert. The zero value chooses nothing.
type TLSSettings struct {
	// InsecureSkipVerify turns off verification of server certificates
	// and host names, as Requests' verify=False. Anyone on the network path
	// can then read and change the traffic; use it against test servers
	// only. It cannot be combined with CABundle.
	InsecureSkipVerify bool
	// CABundle is a PEM file whose certificates are the whole set of roots
	// (the system roots are not added), as Requests' verify="/path".
	CABundle string
	// CertFile is a PEM client certificate (optionally followed by its
	// intermediates) and KeyFile its unencrypted PEM key; KeyFile "" means
	// the key is in CertFile, as Requests' cert="combined.pem".
	CertFile, KeyFile string
}

// choosesVerify reports whether t says how to verify servers.
func (t TLSSettings) choosesVerify() bool { return t.InsecureSkipVerify || t.CABundle != "" }

// choosesCert reports whether t names a client certificate.
func (t TLSSettings) choosesCert() bool { return t.CertFile != "" || t.KeyFile != "" }

// Check reports a contradiction in t: verification turned off together with
// a CA bundle (the bundle would never be used), or a KeyFile without its
// CertFile. from names where t came from, for the message.
func (t TLSSettings) Check(from string) error {
	if t.InsecureSkipVerify && t.CABundle != "" {
		return fmt.Errorf("middleware: %s: CABundle %q given with verification turned off: "+
			"the bundle would never be used", from, t.CABundle)
	}
	if t.KeyFile != "" && t.CertFile == "" {
		return fmt.Errorf("middleware: %s: KeyFile %q given without a CertFile", from, t.KeyFile)
	}
	return nil
}

// Level says which layer a route setting came from, most specific first.
type Level uint8

// The layers a route setting can come from.
const (
	FromTransport   Level = iota // not chosen: the mounted transport's own setting
	FromRequest                  // an option of the request (client.Proxy, client.CABundle, WithRoute)
	FromSession                  // the session's fields (Session.Proxies, Session.TLS) or RouteOptions
	FromEnvironment              // HTTP(S)_PROXY, ALL_PROXY, NO_PROXY, RELAY_CA_BUNDLE, SSL_CERT_FILE
)

func (l Level) String() string {
	switch l {
	case FromTransport:
		return "transport"
	case FromRequest:
		return "request"
	case FromSession:
		return "session"
	case FromEnvironment:
		return "environment"
	}
	return fmt.Sprintf("Level(%d)", uint8(l))
}

// Source is where a route setting came from: its layer, and the option,
// field, key or variable that holds it ("client.CABundle",
// `Session.Proxies["https"]`, "HTTPS_PROXY").
type Source struct {
	Level Level
	Name  string
}

// Set reports whether the setting was chosen above the transport.
func (s Source) Set() bool { return s.Level != FromTransport }

// String names the source for messages: "client.Proxy option",
// `Session.Proxies["https"]`, "environment variable HTTPS_PROXY", or "the
// transport".
func (s Source) String() string {
	switch s.Level {
	case FromTransport:
		return "the transport"
	case FromRequest:
		return s.Name + " option"
	case FromEnvironment:
		return "environment variable " + s.Name
	}
	return s.Name
}

// Chooses reports whether r chooses anything, so that the transport must
// take it into account.
func (r *Route) Chooses() bool {
	return r.ProxySource.Set() || r.VerifySource.Set() || r.CertSource.Set()
}

// Explicit returns the first setting of r given by a request or a session
// (not the environment) that changes the connection, described for an
// error message, or "" when there is none. A direct connection is not such
// a setting: any transport can take it.
func (r *Route) Explicit() string {
	explicit := func(s Source) bool { return s.Level == FromRequest || s.Level == FromSession }
	switch {
	case explicit(r.ProxySource) && r.Proxy != nil:
		return fmt.Sprintf("proxy %s (from %s)", redactedProxy(r.Proxy), r.ProxySource)
	case explicit(r.VerifySource) && r.TLS.InsecureSkipVerify:
		return fmt.Sprintf("InsecureSkipVerify (from %s)", r.VerifySource)
	case explicit(r.VerifySource):
		return fmt.Sprintf("CA bundle %q (from %s)", r.TLS.CABundle, r.VerifySource)
	case explicit(r.CertSource):
		return fmt.Sprintf("client certificate %q (from %s)", r.TLS.CertFile, r.CertSource)
	}
	return ""
}

// redactedProxy is a proxy URL for an error message: no userinfo at all.
func redactedProxy(u *url.URL) string {
	c := *u
	c.User = nil
	return c.String()
}

// under fills the settings r does not choose from lower, a less specific
// layer, and reports whether it took any.
func (r *Route) under(lower *Route) bool {
	took := false
	if !r.ProxySource.Set() && lower.ProxySource.Set() {
		r.Proxy, r.ProxySource, took = lower.Proxy, lower.ProxySource, true
	}
	if !r.VerifySource.Set() && lower.VerifySource.Set() {
		r.TLS.InsecureSkipVerify, r.TLS.CABundle = lower.TLS.InsecureSkipVerify, lower.TLS.CABundle
		r.VerifySource, took = lower.VerifySource, true
	}
	if !r.CertSource.Set() && lower.CertSource.Set() {
		r.TLS.CertFile, r.TLS.KeyFile = lower.TLS.CertFile, lower.TLS.KeyFile
		r.CertSource, took = lower.CertSource, true
	}
	return took
}

// routeKey is the context key of a route.
type routeKey struct{ relayctx.KeyBase }

// WithRoute returns a context whose requests take the settings r chooses
// over those of a session, the environment and the transport: the
// request's layer. The settings of r left unchosen keep those of a route
// already in ctx. r.Proxy must not be modified afterwards.
//
// The route middleware passes a request's route down with the lower
// layers filled in, so transport.Pools (and any transport that routes
// itself) reads the whole choice from RouteFromContext.
func WithRoute(ctx context.Context, r Route) context.Context {
	if prev, ok := RouteFromContext(ctx); ok {
		r.under(&prev)
	}
	return relayctx.WithValue(ctx, routeKey{}, &r)
}

// RouteFromContext returns the route in ctx and whether there is one.
func RouteFromContext(ctx context.Context) (Route, bool) {
	if r := routeFrom(ctx); r != nil {
		return *r, true
	}
	return Route{}, false
}

// routeFrom returns the route in ctx, shared: callers must not modify it.
func routeFrom(ctx context.Context) *Route {
	r, _ := ctx.Value(routeKey{}).(*Route)
	return r
}

// WithProxy returns a context that sends a request made with it through the
// proxy u, or directly when u is nil, whatever a proxy map or the
// environment say: WithRoute with only the proxy chosen. u must not be
// modified afterwards; validate a URL from a user with [ParseProxyURL]
// first.
//
// Credentials in u (http://user:pass@proxy:3128) go to that proxy alone: in
// the CONNECT request of an HTTPS request, in the request itself for plain
// HTTP, as Basic Proxy-Authorization.
func WithProxy(ctx context.Context, u *url.URL) context.Context {
	return WithRoute(ctx, Route{Proxy: u, ProxySource: Source{FromRequest, "middleware.WithProxy"}})
}

// ProxyFromContext returns the proxy the route in ctx chooses (nil for a
// direct connection) and whether it chooses one.
func ProxyFromContext(ctx context.Context) (u *url.URL, ok bool) {
	if r := routeFrom(ctx); r != nil && r.ProxySource.Set() {
		return r.Proxy, true
	}
	return nil, false
}
