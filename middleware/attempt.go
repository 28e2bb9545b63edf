package middleware

import (
	"context"

	"github.com/relayhttp/relay/internal/relayctx"
)

// attemptKey is the context key of the attempt number.
type attemptKey struct{ relayctx.KeyBase }

// WithAttempt returns a context that records that a request made with it is
// attempt n (1 for the first) of a call. The retry middleware sets it on
// every attempt after the first, and on the first when ctx already carries
// another number; the logging middleware reports it.
func WithAttempt(ctx context.Context, n int) context.Context {
	return relayctx.WithValue(ctx, attemptKey{}, n)
}

// Attempt returns the attempt number recorded in ctx by WithAttempt, or 1
// when there is none: a request that no retry middleware resent is its
// call's first attempt.
func Attempt(ctx context.Context) int {
	if n, ok := ctx.Value(attemptKey{}).(int); ok {
		return n
	}
	return 1
}
