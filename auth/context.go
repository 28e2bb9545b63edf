package auth

import "context"

type contextKey struct{}

// NewContext returns a context that carries a, the authenticator for one
// request. The auth middleware prefers it to the one it was built with, and
// binds it to the origin of that request. A nil a turns auth off for the
// request.
func NewContext(ctx context.Context, a Authenticator) context.Context {
	return context.WithValue(ctx, contextKey{}, holder{a})
}

// FromContext returns the authenticator NewContext put in ctx, and whether
// there was one.
func FromContext(ctx context.Context) (Authenticator, bool) {
	h, ok := ctx.Value(contextKey{}).(holder)
	return h.a, ok
}

// holder lets NewContext store a nil Authenticator that still counts as set.
type holder struct{ a Authenticator }
