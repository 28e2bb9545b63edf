package hooks

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/relayhttp/relay/internal/relayctx"
)

// RequestHook is called before a request is sent. It gets a clone of the
// request, which it may change in place: the clone is what is sent. A
// non-nil error fails the request, wrapped as "hooks: request hook: …". If
// the hook replaces the clone's Body, the body it replaced is closed by the
// middleware.
type RequestHook func(*http.Request) error

// ResponseHook is called with a response. It returns the response the caller
// gets instead, or nil to keep the one it was given (Requests' rule). When it
// returns another response, the body of the one it was given is drained and
// closed; a replacement without Request gets the original's Request, and one
// without Body gets http.NoBody. A non-nil error fails the request, wrapped
// as "hooks: response hook: …", and the response's body is drained and
// closed.
type ResponseHook func(*http.Response) (*http.Response, error)

// ErrorHook is called when the stack below returned an error and no
// response: a connection error, a timeout, a redirect error. It gets the
// request as it was sent (after request hooks) and the error; it cannot
// change the outcome. 4xx and 5xx responses go to response hooks.
type ErrorHook func(*http.Request, error)

// set is an immutable collection of hooks. A Registry replaces its set on
// every registration (copy on write), so readers never lock.
type set struct {
	request  []RequestHook
	response []ResponseHook
	errors   []ErrorHook
	hops     bool // context sets only: hook every hop and attempt
}

func (s *set) empty() bool {
	return s == nil || len(s.request) == 0 && len(s.response) == 0 && len(s.errors) == 0
}

func (s *set) clone() *set {
	if s == nil {
		return &set{}
	}
	return &set{
		request:  slices.Clip(s.request),
		response: slices.Clip(s.response),
		errors:   slices.Clip(s.errors),
		hops:     s.hops,
	}
}

// Registry holds the hooks of a session. Its zero value is ready to use and
// holds none. Register hooks before the registry is shared between
// goroutines, or at any time: registration is safe for concurrent use, and a
// request that is already running keeps the hooks it started with. A
// Registry must not be copied after first use.
type Registry struct {
	mu  sync.Mutex // serialises writers
	cur atomic.Pointer[set]
}

// OnRequest adds fn to the request hooks. A nil fn is ignored.
func (r *Registry) OnRequest(fn RequestHook) {
	if fn != nil {
		r.update(func(s *set) { s.request = append(s.request, fn) })
	}
}

// OnResponse adds fn to the response hooks. A nil fn is ignored.
func (r *Registry) OnResponse(fn ResponseHook) {
	if fn != nil {
		r.update(func(s *set) { s.response = append(s.response, fn) })
	}
}

// OnError adds fn to the error hooks. A nil fn is ignored.
func (r *Registry) OnError(fn ErrorHook) {
	if fn != nil {
		r.update(func(s *set) { s.errors = append(s.errors, fn) })
	}
}

func (r *Registry) update(f func(*set)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.cur.Load().clone() // clipped: append never writes a published array
	f(s)
	r.cur.Store(s)
}

// load returns the current set; nil for a nil or empty Registry.
func (r *Registry) load() *set {
	if r == nil {
		return nil
	}
	return r.cur.Load()
}

type contextKey struct{ relayctx.KeyBase }

func fromContext(ctx context.Context) *set {
	s, _ := ctx.Value(contextKey{}).(*set)
	return s
}

func with(ctx context.Context, f func(*set)) context.Context {
	s := fromContext(ctx).clone()
	f(s)
	return relayctx.WithValue(ctx, contextKey{}, s)
}

// WithRequestHook returns a context whose requests run fn as a request hook,
// after the Registry's request hooks and those added to ctx before. A nil fn
// adds nothing.
func WithRequestHook(ctx context.Context, fn RequestHook) context.Context {
	if fn == nil {
		return ctx
	}
	return with(ctx, func(s *set) { s.request = append(s.request, fn) })
}

// WithResponseHook returns a context whose requests run fn as a response
// hook, after the Registry's response hooks and those added to ctx before. A
// nil fn adds nothing.
func WithResponseHook(ctx context.Context, fn ResponseHook) context.Context {
	if fn == nil {
		return ctx
	}
	return with(ctx, func(s *set) { s.response = append(s.response, fn) })
}

// WithErrorHook returns a context whose requests run fn as an error hook,
// after the Registry's error hooks and those added to ctx before. A nil fn
// adds nothing.
func WithErrorHook(ctx context.Context, fn ErrorHook) context.Context {
	if fn == nil {
		return ctx
	}
	return with(ctx, func(s *set) { s.errors = append(s.errors, fn) })
}

// WithHops returns a context whose requests have every redirect hop and
// every retry attempt go through the hooks, Registry's and context's alike,
// where a [HopMiddleware] is in the stack. Without it, hooks see the call
// once: the request as made and the final response or error.
func WithHops(ctx context.Context) context.Context {
	return with(ctx, func(s *set) { s.hops = true })
}

// Hops reports whether ctx was made by WithHops.
func Hops(ctx context.Context) bool {
	s := fromContext(ctx)
	return s != nil && s.hops
}
