package hooks

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"runtime/debug"
	"sync/atomic"

	"github.com/relayhttp/relay/middleware"
)

// PanicError is the error of a request whose hook panicked. The panic is
// recovered where the hook was called; the request fails with this error
// (wrapped in the transport error for an error hook) and no body is leaked.
type PanicError struct {
	// Event is "request", "response" or "error".
	Event string
	// Value is the value the hook panicked with.
	Value any
	// Stack is the hook goroutine's stack when it panicked.
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("hooks: %s hook: panic: %v", e.Event, e.Value)
}

// Unwrap returns the panic value when it is an error, so errors.Is and
// errors.As reach it.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// Middleware returns the middleware that hooks calls: it runs the request
// hooks of reg and of the request's context on a clone of the request, sends
// the clone, and runs the response hooks on the response it gets back or the
// error hooks on the error. A nil reg runs the context's hooks only. When no
// hook is registered anywhere it only passes the request on, at no cost.
//
// In a stack it goes outside the redirect middleware (and outside retries),
// so that by default a response hook sees the final response of a call and an
// error hook the call's error. When the request's context asks for hops
// (WithHops) and a [HopMiddleware] further in hooks them, Middleware leaves
// the responses and errors to it and still runs the request hooks once, on
// the request as the caller made it; without a HopMiddleware on the path it
// behaves as if hops were not asked for.
//
// The caller's request is never modified.
func Middleware(reg *Registry) middleware.Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		if next == nil {
			next = http.DefaultTransport
		}
		return &outer{next: next, reg: reg}
	}
}

// HopMiddleware returns the middleware that hooks every redirect hop and
// every retry attempt of a request whose context was made with WithHops; for
// any other request it only passes the request on. reg should be the
// Registry given to Middleware (nil: context hooks only).
//
// In a stack it goes under the redirect middleware, in every mounted chain,
// and inside the retry middleware so that each attempt goes through it. The
// request of the first hop is not hooked again when Middleware already
// hooked it.
func HopMiddleware(reg *Registry) middleware.Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		if next == nil {
			next = http.DefaultTransport
		}
		return &hop{next: next, reg: reg}
	}
}

// Outcome kinds recorded in a hopState.
const (
	noOutcome int32 = iota
	responseOutcome
	errorOutcome
)

// hopState is how the two middlewares share one call in hops mode.
// Middleware puts it in the context; HopMiddleware updates it.
type hopState struct {
	// requestHooked is set by Middleware once it ran the request hooks; the
	// first HopMiddleware call takes it and does not run them again.
	requestHooked atomic.Bool
	// last is the kind of the outcome the last HopMiddleware call returned,
	// having hooked it. Middleware does not hook an outcome of the same kind
	// again: it is the same one, or one derived from it.
	last atomic.Int32
}

type hopStateKey struct{}

type outer struct {
	next http.RoundTripper
	reg  *Registry
}

func (o *outer) CloseIdleConnections() { middleware.CloseIdleConnections(o.next) }

func (o *outer) RoundTrip(req *http.Request) (*http.Response, error) {
	sess, call := o.reg.load(), fromContext(req.Context())
	if sess.empty() && call.empty() {
		return o.next.RoundTrip(req)
	}
	ctx := req.Context()
	var st *hopState
	if call != nil && call.hops {
		st = new(hopState)
		ctx = context.WithValue(ctx, hopStateKey{}, st)
	}
	sent, err := requestHooks(req, ctx, sess, call)
	if err != nil {
		return nil, err
	}
	if st != nil {
		st.requestHooked.Store(true)
	}
	resp, err := o.next.RoundTrip(sent)
	if err != nil {
		if st != nil && st.last.Load() == errorOutcome {
			return nil, err
		}
		return nil, errorHooks(sent, err, sess, call)
	}
	if st != nil && st.last.Load() == responseOutcome {
		return resp, nil
	}
	return responseHooks(resp, sess, call)
}

type hop struct {
	next http.RoundTripper
	reg  *Registry
}

func (h *hop) CloseIdleConnections() { middleware.CloseIdleConnections(h.next) }

func (h *hop) RoundTrip(req *http.Request) (*http.Response, error) {
	call := fromContext(req.Context())
	if call == nil || !call.hops {
		return h.next.RoundTrip(req)
	}
	sess := h.reg.load()
	if sess.empty() && call.empty() {
		return h.next.RoundTrip(req)
	}
	st, _ := req.Context().Value(hopStateKey{}).(*hopState)
	resp, err := h.roundTrip(req, st, sess, call)
	if st != nil {
		if err != nil {
			st.last.Store(errorOutcome)
		} else {
			st.last.Store(responseOutcome)
		}
	}
	return resp, err
}

func (h *hop) roundTrip(req *http.Request, st *hopState, sess, call *set) (*http.Response, error) {
	sent := req
	if st == nil || !st.requestHooked.CompareAndSwap(true, false) {
		var err error
		if sent, err = requestHooks(req, req.Context(), sess, call); err != nil {
			return nil, err
		}
	}
	resp, err := h.next.RoundTrip(sent)
	if err != nil {
		return nil, errorHooks(sent, err, sess, call)
	}
	return responseHooks(resp, sess, call)
}

// requestHooks returns the request to send: req itself (with ctx) when there
// is no request hook, else a clone with ctx that the hooks have edited. On
// failure every request body involved is closed.
func requestHooks(req *http.Request, ctx context.Context, sess, call *set) (*http.Request, error) {
	if len(sess.requestHooks()) == 0 && len(call.requestHooks()) == 0 {
		if ctx != req.Context() {
			return req.WithContext(ctx), nil
		}
		return req, nil
	}
	clone := req.Clone(ctx)
	for _, hooks := range [2][]RequestHook{sess.requestHooks(), call.requestHooks()} {
		for _, fn := range hooks {
			if err := callRequest(fn, clone); err != nil {
				middleware.CloseRequestBody(clone)
				if !sameBody(clone.Body, req.Body) {
					middleware.CloseRequestBody(req)
				}
				return nil, err
			}
		}
	}
	if !sameBody(clone.Body, req.Body) {
		middleware.CloseRequestBody(req) // replaced by a hook: it will not be sent
		if sameGetBody(clone, req) {
			// The old GetBody would replay the old bytes on a 307 or an
			// auth challenge: the new body cannot be replayed unless the
			// hook said how.
			clone.GetBody = nil
		}
	}
	return clone, nil
}

func callRequest(fn RequestHook, req *http.Request) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &PanicError{Event: "request", Value: v, Stack: debug.Stack()}
		}
	}()
	if err := fn(req); err != nil {
		return fmt.Errorf("hooks: request hook: %w", err)
	}
	return nil
}

// responseHooks runs the response hooks over resp and returns the response
// to hand up. On failure the bodies of every response involved are drained
// and closed.
func responseHooks(resp *http.Response, sess, call *set) (*http.Response, error) {
	cur := resp
	for _, hooks := range [2][]ResponseHook{sess.responseHooks(), call.responseHooks()} {
		for _, fn := range hooks {
			next, err := callResponse(fn, cur)
			if err != nil {
				if next != nil && next != cur && !sameBody(next.Body, cur.Body) {
					middleware.DrainAndClose(next)
				}
				middleware.DrainAndClose(cur)
				return nil, err
			}
			if next == nil || next == cur {
				continue
			}
			if next.Request == nil {
				next.Request = cur.Request
			}
			if next.Body == nil {
				next.Body = http.NoBody
			}
			if !sameBody(next.Body, cur.Body) {
				middleware.DrainAndClose(cur)
			}
			cur = next
		}
	}
	return cur, nil
}

func callResponse(fn ResponseHook, resp *http.Response) (next *http.Response, err error) {
	defer func() {
		if v := recover(); v != nil {
			next, err = nil, &PanicError{Event: "response", Value: v, Stack: debug.Stack()}
		}
	}()
	next, err = fn(resp)
	if err != nil {
		return next, fmt.Errorf("hooks: response hook: %w", err)
	}
	return next, nil
}

// errorHooks runs every error hook, even after one panicked, and returns err,
// joined with the first panic if there was one.
func errorHooks(req *http.Request, err error, sess, call *set) error {
	var panicked error
	for _, hooks := range [2][]ErrorHook{sess.errorHooks(), call.errorHooks()} {
		for _, fn := range hooks {
			if perr := callError(fn, req, err); perr != nil && panicked == nil {
				panicked = perr
			}
		}
	}
	if panicked != nil {
		return fmt.Errorf("%w; %w", err, panicked)
	}
	return err
}

func callError(fn ErrorHook, req *http.Request, err error) (perr error) {
	defer func() {
		if v := recover(); v != nil {
			perr = &PanicError{Event: "error", Value: v, Stack: debug.Stack()}
		}
	}()
	fn(req, err)
	return nil
}

func (s *set) requestHooks() []RequestHook {
	if s == nil {
		return nil
	}
	return s.request
}

func (s *set) responseHooks() []ResponseHook {
	if s == nil {
		return nil
	}
	return s.response
}

func (s *set) errorHooks() []ErrorHook {
	if s == nil {
		return nil
	}
	return s.errors
}

// sameBody reports whether a and b are the same body. Two values of one
// type that cannot be compared (a struct holding a slice, say) count as the
// same: comparing them would panic, and leaving a body open is the lesser
// harm than closing the one being sent.
func sameBody(a, b io.ReadCloser) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	if ta != tb {
		return false
	}
	if !ta.Comparable() {
		return true
	}
	return a == b
}

// sameGetBody reports whether a hook left the request's GetBody as it was
// (both nil, or the same function value).
func sameGetBody(clone, orig *http.Request) bool {
	if clone.GetBody == nil || orig.GetBody == nil {
		return clone.GetBody == nil && orig.GetBody == nil
	}
	return reflect.ValueOf(clone.GetBody).Pointer() == reflect.ValueOf(orig.GetBody).Pointer()
}
