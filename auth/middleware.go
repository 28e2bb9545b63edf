package auth

import (
	"fmt"
	"net/http"

	"github.com/relayhttp/relay/explain"
	"github.com/relayhttp/relay/internal/origin"
	"github.com/relayhttp/relay/middleware"
)

// Middleware returns a middleware that authenticates requests with a, or with
// the authenticator in the request's context (NewContext), which wins. A nil a
// authenticates only requests that carry their own.
//
// Credentials go only to the origin where the request's redirect chain
// started (see the package doc). A request that already has an Authorization
// header is sent as it is: an explicit header wins, as every request setting
// wins over a default. When a is a Challenger and the server answers 401, the
// middleware lets it read the challenge and resends once, with a body
// replayed through GetBody; a body that cannot be replayed ends with
// middleware.ErrUnrewindableBody. A Digest answer refused with stale=true is
// renewed once more per request (see Digest). Every 401 it answers is drained
// and closed; the one it does not answer is returned as it is.
func Middleware(a Authenticator) middleware.Middleware {
	return MiddlewareWithOptions(MiddlewareOptions{Auth: func() Authenticator { return a }})
}

// MiddlewareFrom is Middleware with the authenticator read from source on
// every request, for a relay Session whose Auth field may be set after the
// session is built.
func MiddlewareFrom(source func() Authenticator) middleware.Middleware {
	return MiddlewareWithOptions(MiddlewareOptions{Auth: source})
}

// MiddlewareOptions configures MiddlewareWithOptions.
type MiddlewareOptions struct {
	// Auth returns the session's authenticator. It is called on every
	// request, so it may change after the middleware is built; nil, or a
	// nil result, means none.
	Auth func() Authenticator

	// Netrc returns the netrc file consulted when a request has no
	// authenticator at all: none in its context (NewContext), none from Auth,
	// none from its URL (NewURLContext). NetrcSource builds one that reads
	// the file once. An error it returns fails the request, returned
	// unchanged (a netrc file that cannot be parsed may hide the credentials
	// meant for this host); nil means no netrc.
	//
	// Unlike the other credentials, a netrc entry belongs to a host, not to
	// the chain's first origin: it is looked up again on every hop by that
	// hop's host, so a redirect to another host gets that host's entry or
	// nothing. Two things are never sent: an entry for a host the chain has
	// already been on and left (nothing stripped is put back), and the
	// "default" entry on a hop that is off the chain's first origin.
	Netrc func() (*NetrcFile, error)
}

// MiddlewareWithOptions returns the auth middleware with a session
// authenticator and a netrc file. For each request it uses, in this order:
// the request's own Authorization header, sent as it is; the authenticator of
// its context (NewContext; nil turns auth off); o.Auth; the credentials of
// its URL (NewURLContext); the netrc entry of the hop's host. The first three
// authenticators are bound to the origin where the redirect chain started;
// netrc entries to their host (see MiddlewareOptions.Netrc).
func MiddlewareWithOptions(o MiddlewareOptions) middleware.Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		if next == nil {
			next = http.DefaultTransport
		}
		return &transport{next: next, source: o.Auth, netrc: o.Netrc}
	}
}

type transport struct {
	next   http.RoundTripper
	source func() Authenticator
	netrc  func() (*NetrcFile, error)
}

func (t *transport) CloseIdleConnections() { middleware.CloseIdleConnections(t.next) }

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	on := explain.On(req.Context())
	if v := req.Header["Authorization"]; len(v) > 0 && v[0] != "" { // Get, without canonicalising a constant
		if on {
			noteExplicit(req)
		}
		return t.next.RoundTrip(req)
	}
	a, set := FromContext(req.Context())
	src := sourceOption
	if !set {
		if t.source != nil {
			a, src = t.source(), sourceSession
		}
		if a == nil {
			a, src = URLFromContext(req.Context()), sourceURL
		}
		set = a != nil
	}
	if set {
		if a == nil || !origin.StillOn(req) {
			if on {
				noteWithheld(req, a)
			}
			return t.next.RoundTrip(req)
		}
		if on {
			noteApplied(req, a, src)
		}
		return t.authorize(req, a)
	}
	if t.netrc == nil {
		return t.next.RoundTrip(req)
	}
	f, err := t.netrc()
	if err != nil {
		middleware.CloseRequestBody(req)
		return nil, err // Netrc and NetrcSource errors already say "auth: netrc …"
	}
	e := f.forHop(req)
	if on {
		noteNetrc(req, f, e)
	}
	if e != nil {
		return t.authorize(req, e.basic)
	}
	return t.next.RoundTrip(req)
}

// authorize sends req with a's credentials, and answers one challenge if a
// is a Challenger. A Challenger whose server declares the nonce of an answer
// stale (staleChallenger) gets one renewal per request besides: for the
// stale 401 of a request authorized up front, or for the one that answers
// the challenge.
func (t *transport) authorize(req *http.Request, a Authenticator) (*http.Response, error) {
	first := req.Clone(req.Context())
	if err := a.Authorize(first); err != nil {
		middleware.CloseRequestBody(req)
		return nil, fmt.Errorf("auth: %w", err)
	}
	resp, err := t.next.RoundTrip(first)
	if err != nil {
		return nil, err
	}
	c, ok := a.(Challenger)
	if !ok || resp.StatusCode != http.StatusUnauthorized {
		return resp, nil
	}
	renewed := isStale(c, first, resp)
	resp, sent, err := t.answer(req, c, first, resp)
	if err != nil || sent == nil || resp.StatusCode != http.StatusUnauthorized ||
		renewed || !isStale(c, sent, resp) {
		return resp, err
	}
	resp, _, err = t.answer(req, c, sent, resp)
	return resp, err
}

// answer lets c read the challenge of resp, the 401 that answered prev, and
// sends a fresh copy of req with c's answer, its body replayed through
// GetBody. It returns the response and the request it sent, or resp as it is
// and a nil request when c has no answer. It drains and closes resp on every
// other path.
func (t *transport) answer(req *http.Request, c Challenger, prev *http.Request, resp *http.Response) (*http.Response, *http.Request, error) {
	ok, err := c.Challenge(prev, resp)
	if err != nil {
		middleware.DrainAndClose(resp)
		return nil, nil, fmt.Errorf("auth: %w", err)
	}
	if !ok {
		return resp, nil, nil
	}
	if explain.On(req.Context()) {
		noteAnswer(req, c, resp)
	}
	next := req.Clone(req.Context())
	if req.Body != nil && req.Body != http.NoBody {
		if req.GetBody == nil {
			middleware.DrainAndClose(resp)
			return nil, nil, fmt.Errorf("auth: answering a challenge: %w", middleware.ErrUnrewindableBody)
		}
		body, err := req.GetBody()
		if err != nil {
			middleware.DrainAndClose(resp)
			return nil, nil, fmt.Errorf("auth: replaying the body to answer a challenge: %w", err)
		}
		next.Body = body
	}
	if err := c.Authorize(next); err != nil {
		middleware.CloseRequestBody(next)
		middleware.DrainAndClose(resp)
		return nil, nil, fmt.Errorf("auth: %w", err)
	}
	middleware.DrainAndClose(resp)
	resp, err = t.next.RoundTrip(next)
	return resp, next, err
}
