package auth

import (
	"context"

	"github.com/relayhttp/relay/internal/relayctx"
)

type contextKey struct{ relayctx.KeyBase }

type urlContextKey struct{ relayctx.KeyBase }

// NewContext returns a context that carries a, the authenticator for one
// request. The auth middleware prefers it to the one it was built with, and
// binds it to the origin of that request. A nil a turns auth off for the
// request, netrc included.
func NewContext(ctx context.Context, a Authenticator) context.Context {
	return relayctx.WithValue(ctx, contextKey{}, holder{a})
}

// FromContext returns the authenticator NewContext put in ctx, and whether
// there was one.
func FromContext(ctx context.Context) (Authenticator, bool) {
	h, ok := ctx.Value(contextKey{}).(holder)
	return h.a, ok
}

// NewURLContext returns a context that carries a, the credentials a request's
// URL carried as userinfo (see FromURL). The auth middleware uses them only
// when neither the request (NewContext) nor the session has an authenticator,
// and, like those, only on the origin where the request's redirect chain
// starts. A nil a is ignored.
func NewURLContext(ctx context.Context, a Authenticator) context.Context {
	return relayctx.WithValue(ctx, urlContextKey{}, holder{a})
}

// URLFromContext returns the authenticator NewURLContext put in ctx, or nil.
func URLFromContext(ctx context.Context) Authenticator {
	h, _ := ctx.Value(urlContextKey{}).(holder)
	return h.a
}

// holder lets NewContext store a nil Authenticator that still counts as set.
type holder struct{ a Authenticator }
