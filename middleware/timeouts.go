package middleware

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/relayhttp/relay/explain"
	"github.com/relayhttp/relay/internal/relayctx"
)

// Timeouts bounds the phases of a request separately. The total time of a
// call is bounded by its context (a relay Session sets it from
// Session.Timeout and the Timeout request option); these bound one phase
// each, so that a stuck phase fails early with an error naming it.
//
// In every field, zero means "not set here": a request's Timeouts inherit
// the fields they leave at zero from the session's (see Timeout and
// WithTimeouts), and an unset Connect or TLSHandshake falls back to the base
// transport's own limit. A negative value means "no limit", which lets one
// request lift a limit its session sets.
type Timeouts struct {
	// Connect bounds the TCP connection (name resolution included) when a
	// request needs a new one. It is enforced by a base transport from
	// transport.New, whose default is 30 seconds; other transports ignore
	// it.
	Connect time.Duration
	// TLSHandshake bounds the TLS handshake of a new connection to an
	// https origin or an https proxy. It is enforced by a base transport
	// from transport.New, whose default is 10 seconds; other transports
	// ignore it. A tunnelled handshake (https through an http proxy) keeps
	// the transport's own TLSHandshakeTimeout.
	TLSHandshake time.Duration
	// ResponseHeader bounds the time from handing the request to the next
	// RoundTripper until the response's status line and headers have
	// arrived: connecting, writing the request and the server's thinking
	// time included.
	ResponseHeader time.Duration
	// IdleBody bounds how long one Read of the response body waits for
	// data: the time the server may stay silent while the caller is
	// reading. Time the caller spends between reads does not count.
	IdleBody time.Duration
}

// With returns t with the non-zero fields of o in place of its own: o's
// settings win, and t's fill the fields o leaves at zero. A session merges a
// request's Timeouts over its own this way.
func (t Timeouts) With(o Timeouts) Timeouts {
	if o.Connect != 0 {
		t.Connect = o.Connect
	}
	if o.TLSHandshake != 0 {
		t.TLSHandshake = o.TLSHandshake
	}
	if o.ResponseHeader != 0 {
		t.ResponseHeader = o.ResponseHeader
	}
	if o.IdleBody != 0 {
		t.IdleBody = o.IdleBody
	}
	return t
}

// TimeoutKind names the phase a TimeoutError bounded.
type TimeoutKind string

// The phases Timeouts bounds.
const (
	TimeoutConnect        TimeoutKind = "connect"
	TimeoutTLSHandshake   TimeoutKind = "tls handshake"
	TimeoutResponseHeader TimeoutKind = "response header"
	TimeoutIdleBody       TimeoutKind = "idle body"
)

// TimeoutError reports that one of the Timeouts fired. It matches
// context.DeadlineExceeded with errors.Is, and its Timeout method reports
// true, so code that checks for timeouts in either way keeps working.
type TimeoutError struct {
	Kind  TimeoutKind   // the phase that took too long
	After time.Duration // the limit that was exceeded
	Err   error         // what the interrupted operation returned, if anything useful
}

// Error names the phase and the limit, and the error of the interrupted
// operation when there is one, as in "middleware: connect timeout after 5s:
// dial tcp 192.0.2.1:443: i/o timeout".
func (e *TimeoutError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("middleware: %s timeout after %v: %v", e.Kind, e.After, e.Err)
	}
	return fmt.Sprintf("middleware: %s timeout after %v", e.Kind, e.After)
}

// Unwrap returns the error of the interrupted operation, which may be nil.
func (e *TimeoutError) Unwrap() error { return e.Err }

// Is reports whether target is context.DeadlineExceeded.
func (e *TimeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// Timeout reports true: the error is a timeout, as net.Error defines it.
func (e *TimeoutError) Timeout() bool { return true }

type timeoutsKey struct{ relayctx.KeyBase }

// WithTimeouts returns a context whose requests use t's non-zero fields in
// place of the Timeouts already in ctx and of the session's (the request's
// settings win). The timeout middleware enforces ResponseHeader and IdleBody;
// a base transport from transport.New reads Connect and TLSHandshake from
// the context it dials with, so they hold even without the middleware.
func WithTimeouts(ctx context.Context, t Timeouts) context.Context {
	prev, _ := ctx.Value(timeoutsKey{}).(Timeouts)
	return relayctx.WithValue(ctx, timeoutsKey{}, prev.With(t))
}

// RequestTimeouts returns the Timeouts set in ctx by WithTimeouts or by the
// timeout middleware; its fields are zero where nothing was set.
func RequestTimeouts(ctx context.Context) Timeouts {
	t, _ := ctx.Value(timeoutsKey{}).(Timeouts)
	return t
}

// Timeout returns a middleware that enforces t on every request, with the
// fields a request's context sets (WithTimeouts) in place of t's. See
// TimeoutFrom.
func Timeout(t Timeouts) Middleware {
	return TimeoutFrom(func() Timeouts { return t })
}

// TimeoutFrom returns a middleware that enforces the Timeouts source returns
// (read on every request, for a Session whose settings may change before it
// is shared), with the non-zero fields of the request context's Timeouts in
// their place.
//
//   - ResponseHeader: a timer started when the request is handed on cancels
//     the request (through a context derived from the caller's) if no
//     response has arrived when it fires. RoundTrip then returns a
//     *TimeoutError of kind TimeoutResponseHeader.
//   - IdleBody: the response body is wrapped so that a Read that waits
//     longer than IdleBody for data cancels the request's context and
//     returns a *TimeoutError of kind TimeoutIdleBody, as does every later
//     Read. Closing the body stops the timer and releases the context. The
//     body of a 101 response, which is the connection itself, is not
//     timed; it keeps its io.Writer.
//   - Connect and TLSHandshake are put in the request's context for the
//     base transport, which dials: the middleware cannot see a dial.
//
// The errors match context.DeadlineExceeded with errors.Is. An expired
// deadline or a cancellation of the caller's own context is returned as the
// transport reports it, never as a TimeoutError.
//
// With no timeout set, the middleware hands the request on untouched and
// costs nothing. Otherwise the request it hands on is a shallow copy with a
// derived context; the caller's request is not modified. The middleware
// forwards CloseIdleConnections to next; a nil next means
// http.DefaultTransport.
//
// In a Session it belongs in each mount's stack, inside the retry
// middleware, so that every attempt has its own response-header timer and a
// timed-out attempt can be retried.
func TimeoutFrom(source func() Timeouts) Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		return &timeouts{next: orDefault(next), source: source}
	}
}

type timeouts struct {
	next   http.RoundTripper
	source func() Timeouts
}

func (m *timeouts) CloseIdleConnections() { CloseIdleConnections(m.next) }

func (m *timeouts) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	inCtx, _ := ctx.Value(timeoutsKey{}).(Timeouts)
	t := m.source().With(inCtx)
	if t.Connect != inCtx.Connect || t.TLSHandshake != inCtx.TLSHandshake {
		ctx = relayctx.WithValue(ctx, timeoutsKey{}, t) // for the base transport's dialer
	}
	if t.ResponseHeader <= 0 && t.IdleBody <= 0 {
		if ctx != req.Context() {
			req = req.WithContext(ctx)
		}
		resp, err := m.next.RoundTrip(req)
		if err != nil && explain.On(ctx) {
			noteTimeout(ctx, err)
		}
		return resp, err
	}

	ctx, cancel := context.WithCancelCause(ctx)
	out := req.WithContext(ctx)
	var (
		timer *time.Timer
		fired atomic.Bool
	)
	if d := t.ResponseHeader; d > 0 {
		timer = time.AfterFunc(d, func() {
			if fired.CompareAndSwap(false, true) {
				cancel(&TimeoutError{Kind: TimeoutResponseHeader, After: d})
			}
		})
	}
	resp, err := m.next.RoundTrip(out)
	// The timer and this goroutine race for fired: whichever sets it first
	// decides. Stop alone is not enough: it reports false as soon as the
	// timer has expired, before its function has run.
	if timer != nil && (!timer.Stop() && !fired.CompareAndSwap(false, true)) {
		// The timer fired, possibly just as the response arrived; its
		// context is cancelled, so the body could not be read anyway.
		if resp != nil && resp.Body != nil {
			_ = resp.Body.Close()
		}
		cancel(nil)
		terr := &TimeoutError{Kind: TimeoutResponseHeader, After: t.ResponseHeader}
		if explain.On(ctx) {
			noteTimeout(ctx, terr)
		}
		return nil, terr
	}
	if err != nil {
		cancel(nil)
		if explain.On(ctx) {
			noteTimeout(ctx, err)
		}
		return nil, err
	}
	if resp.Body == nil || resp.Body == http.NoBody {
		cancel(nil)
		return resp, nil
	}
	if rw, ok := resp.Body.(io.ReadWriteCloser); ok && resp.StatusCode == http.StatusSwitchingProtocols {
		resp.Body = &cancelOnCloseRW{ReadWriteCloser: rw, cancel: cancel}
	} else {
		resp.Body = newTimedBody(resp.Body, cancel, t.IdleBody)
		if b, ok := resp.Body.(*idleBody); ok {
			b.trail = explain.From(ctx)
		}
	}
	return resp, nil
}
