package middleware

import (
	"context"
	"net/http"
	"slices"

	"github.com/relayhttp/relay/internal/relayctx"
)

// Context keys of the per-request settings this package reads. Each is an
// unexported type so no other package can collide with it.
type (
	withoutKey        struct{ relayctx.KeyBase }
	defaultsMergedKey struct{ relayctx.KeyBase }
	rawBodyKey        struct{ relayctx.KeyBase }
)

// WithoutHeaders returns a context that tells the defaults middleware not to
// add the named session headers to a request made with it (Requests' "set the
// header to None"). Names are case-insensitive. The decompression middleware
// honours a removed Accept-Encoding too and does not add its own.
func WithoutHeaders(ctx context.Context, names ...string) context.Context {
	prev := RemovedHeaders(ctx)
	all := make([]string, 0, len(prev)+len(names))
	all = append(all, prev...)
	for _, n := range names {
		all = append(all, http.CanonicalHeaderKey(n))
	}
	return relayctx.WithValue(ctx, withoutKey{}, all)
}

// RemovedHeaders returns the canonical names given to WithoutHeaders in ctx.
func RemovedHeaders(ctx context.Context) []string {
	names, _ := ctx.Value(withoutKey{}).([]string)
	return names
}

// isRemoved reports whether the canonical header name was removed in ctx.
func isRemoved(ctx context.Context, canonical string) bool {
	return slices.Contains(RemovedHeaders(ctx), canonical)
}

// WithDefaultsMerged returns a context that tells the defaults middleware a
// request made with it already carries the session's defaults (a prepared
// request), so a header the caller deleted from it stays deleted.
func WithDefaultsMerged(ctx context.Context) context.Context {
	return relayctx.WithValue(ctx, defaultsMergedKey{}, true)
}

// DefaultsMerged reports whether ctx was made by WithDefaultsMerged.
func DefaultsMerged(ctx context.Context) bool {
	merged, _ := ctx.Value(defaultsMergedKey{}).(bool)
	return merged
}

// WithRawBody returns a context that tells the decompression middleware to
// return the body of a response to a request made with it as it came off the
// wire, still encoded (Requests' Response.raw).
func WithRawBody(ctx context.Context) context.Context {
	return relayctx.WithValue(ctx, rawBodyKey{}, true)
}

// RawBody reports whether ctx was made by WithRawBody.
func RawBody(ctx context.Context) bool {
	raw, _ := ctx.Value(rawBodyKey{}).(bool)
	return raw
}

// cacheLookupKey is the context key of WithCacheLookup.
type cacheLookupKey struct{ relayctx.KeyBase }

// WithCacheLookup returns a context that tells the logging middleware why a
// cache above it sends the request: "miss" (nothing usable stored) or
// "revalidate" (a stored response is being validated). Package cache sets
// it; the log line of each attempt then carries a "cache" field. A hit
// sends nothing, so it has no attempt to log.
func WithCacheLookup(ctx context.Context, why string) context.Context {
	return relayctx.WithValue(ctx, cacheLookupKey{}, why)
}

// CacheLookup returns what WithCacheLookup put in ctx, or "".
func CacheLookup(ctx context.Context) string {
	why, _ := ctx.Value(cacheLookupKey{}).(string)
	return why
}
