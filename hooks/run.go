package hooks

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"runtime/debug"

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
