package hooks

import (
	"net/http"
	"sync/atomic"

	"github.com/relayhttp/relay/internal/relayctx"
	"github.com/relayhttp/relay/middleware"
)

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

type hopStateKey struct{ relayctx.KeyBase }

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
		ctx = relayctx.WithValue(ctx, hopStateKey{}, st)
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
