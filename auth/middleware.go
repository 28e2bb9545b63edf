package auth

import (
	"fmt"
	"net/http"

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
// middleware.ErrUnrewindableBody.
func Middleware(a Authenticator) middleware.Middleware {
	return MiddlewareFrom(func() Authenticator { return a })
}

// MiddlewareFrom is Middleware with the authenticator read from source on
// every request, for a relay Session whose Auth field may be set after the
// session is built.
func MiddlewareFrom(source func() Authenticator) middleware.Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		if next == nil {
			next = http.DefaultTransport
		}
		return &transport{next: next, source: source}
	}
}

type transport struct {
	next   http.RoundTripper
	source func() Authenticator
}

func (t *transport) CloseIdleConnections() { middleware.CloseIdleConnections(t.next) }

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	a, ok := FromContext(req.Context())
	if !ok {
		a = t.source()
	}
	if a == nil || req.Header.Get("Authorization") != "" || !origin.StillOn(req) {
		return t.next.RoundTrip(req)
	}
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
	answer, err := c.Challenge(first, resp)
	if err != nil {
		middleware.DrainAndClose(resp)
		return nil, fmt.Errorf("auth: %w", err)
	}
	if !answer {
		return resp, nil
	}
	second := req.Clone(req.Context())
	if req.Body != nil && req.Body != http.NoBody {
		if req.GetBody == nil {
			middleware.DrainAndClose(resp)
			return nil, fmt.Errorf("auth: answering a challenge: %w", middleware.ErrUnrewindableBody)
		}
		body, err := req.GetBody()
		if err != nil {
			middleware.DrainAndClose(resp)
			return nil, fmt.Errorf("auth: replaying the body to answer a challenge: %w", err)
		}
		second.Body = body
	}
	if err := a.Authorize(second); err != nil {
		middleware.CloseRequestBody(second)
		middleware.DrainAndClose(resp)
		return nil, fmt.Errorf("auth: %w", err)
	}
	middleware.DrainAndClose(resp)
	return t.next.RoundTrip(second)
}
