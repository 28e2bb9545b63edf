// Package auth attaches credentials to requests, and only to the origin they
// belong to.
//
// An [Authenticator] adds credentials to a request; a [Challenger] also
// answers a server's challenge (a 401 with WWW-Authenticate), which is how
// [Digest] fits. [Basic], [Digest], [Bearer], [BearerFunc] and [Func] cover
// Requests' auth classes and OAuth-style tokens. [Middleware] applies any of
// them as an http.RoundTripper middleware, so auth works on any *http.Client,
// not only a relay Session; [MiddlewareWithOptions] adds a session
// authenticator read per request and a netrc file ([NetrcSource]).
//
// Credentials are bound to the origin (scheme, host, port) where a redirect
// chain starts. The middleware follows http.Request.Response back to the
// first request of a chain, the way net/http's Client and relay's redirect
// middleware link hops, and applies nothing on a hop that is, or has been, on
// another origin. The one exception is Requests' upgrade rule: http on port 80
// to https on port 443 of the same host keeps them. Credentials taken from a
// URL's userinfo ([FromURL], [NewURLContext]) follow the same rule; netrc
// entries belong to their host and are looked up again on every hop.
//
// Precedence, highest first: a request's own Authorization header; the
// request's authenticator ([NewContext]); the session's; the URL's userinfo;
// the netrc entry of the hop's host.
package auth
