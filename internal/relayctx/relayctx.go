// Package relayctx keeps relay's context values apart from the caller's.
//
// A request's middlewares look up about ten of relay's context keys
// between them (per-call options, the explain trail, the route, hooks), and
// most of the time none is set: each lookup then walks the caller's whole
// context, which in a server handler holds the server's, the router's, the
// tracer's and the logger's values, and more. Scope puts a boundary on top
// of a context that holds no relay value, and the boundary answers every
// relay key with nil at once, so that the cost of a request does not grow
// with the depth of its caller's context.
//
// For that to hold, every relay context value is set with WithValue, whose
// key is a Key, and never with context.WithValue: the one lookup Scope makes
// (Holds) then finds any of them (relayctx_test.go checks the tree for it).
// A Session's light path asks Holds too: a request whose context holds no
// relay value has no per-call setting for the middlewares it skips.
package relayctx

import "context"

// Key is implemented by the key types of relay's context values: a key
// type embeds KeyBase.
type Key interface{ relayKey() }

// KeyBase makes the type that embeds it a Key.
type KeyBase struct{}

func (KeyBase) relayKey() {}

// marker is the key every value set with WithValue also answers, so that
// one lookup tells whether a context holds any relay value.
type marker struct{ KeyBase }

// value is context.WithValue's valueCtx that answers marker too.
type value struct {
	context.Context
	key Key
	val any
}

// WithValue returns a copy of parent in which key's value is val, as
// context.WithValue does.
func WithValue(parent context.Context, key Key, val any) context.Context {
	if parent == nil {
		panic("relayctx: nil parent context")
	}
	return &value{Context: parent, key: key, val: val}
}

func (v *value) Value(key any) any {
	switch key {
	case v.key:
		return v.val
	case marker{}:
		return true
	}
	return v.Context.Value(key)
}

func (v *value) String() string {
	return "relayctx.WithValue(" + contextName(v.Context) + ")"
}

// boundary is a context that holds no relay value: it answers relay's keys
// with nil without asking its parent.
type boundary struct{ context.Context }

func (b *boundary) Value(key any) any {
	if _, ok := key.(Key); ok {
		return nil
	}
	return b.Context.Value(key)
}

func (b *boundary) String() string {
	return "relayctx.Scope(" + contextName(b.Context) + ")"
}

// Scope returns ctx behind a boundary when ctx holds no relay value, and
// ctx itself when it does, or when there is nothing to walk (Background,
// TODO, a context already scoped). Values set on top of the result are
// found as usual.
func Scope(ctx context.Context) context.Context {
	switch ctx.(type) {
	case *boundary, *value:
		return ctx
	}
	if ctx == context.Background() || ctx == context.TODO() || Holds(ctx) {
		return ctx
	}
	return &boundary{ctx}
}

// Holds reports whether ctx holds any relay value: one lookup, which stops
// at a boundary.
func Holds(ctx context.Context) bool { return ctx.Value(marker{}) != nil }

func contextName(c context.Context) string {
	if s, ok := c.(interface{ String() string }); ok {
		return s.String()
	}
	return "context"
}
