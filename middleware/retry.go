package middleware

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/relayhttp/relay/explain"
	"github.com/relayhttp/relay/internal/relayctx"
)

// Defaults of RetryOptions.
const (
	// DefaultMaxAttempts is how many attempts a call gets, the first
	// included, when RetryOptions.MaxAttempts is 0.
	DefaultMaxAttempts = 3
	// DefaultBaseDelay is the backoff ceiling before the first retry; it
	// doubles for each later one.
	DefaultBaseDelay = 500 * time.Millisecond
	// DefaultMaxDelay is the longest wait between two attempts, a
	// Retry-After included.
	DefaultMaxDelay = 30 * time.Second
)

// DefaultRetryStatuses are the status codes retried when
// RetryOptions.Statuses is nil: 429 Too Many Requests, 502 Bad Gateway, 503
// Service Unavailable and 504 Gateway Timeout, the answers that say "try
// again later" without the request having been processed.
var DefaultRetryStatuses = []int{
	http.StatusTooManyRequests, http.StatusBadGateway,
	http.StatusServiceUnavailable, http.StatusGatewayTimeout,
}

// RetryOptions configures Retry. The zero value retries with the defaults.
type RetryOptions struct {
	// MaxAttempts is how many attempts a call may make, the first
	// included. 0 means DefaultMaxAttempts; 1 or a negative number means
	// one attempt: no retry.
	MaxAttempts int
	// BaseDelay is the backoff ceiling before the first retry; it doubles
	// for each later retry, up to MaxDelay, and the wait is drawn
	// uniformly between zero and the ceiling ("full jitter"). 0 means
	// DefaultBaseDelay; a negative value means no backoff: retry at once
	// unless the server sent Retry-After.
	BaseDelay time.Duration
	// MaxDelay bounds every wait, the one a Retry-After asks for included:
	// a longer Retry-After waits MaxDelay. 0 means DefaultMaxDelay; a
	// negative value means never wait.
	MaxDelay time.Duration
	// Statuses are the response status codes that are retried. nil means
	// DefaultRetryStatuses; an empty, non-nil slice retries no status.
	Statuses []int

	// Test hooks; nil means the real clock and math/rand/v2.
	sleep func(ctx context.Context, d time.Duration) error
	now   func() time.Time
	rand  func(n int64) int64 // uniform in [0, n)
}

// RetryError reports a call that failed after more than one attempt:
// Attempts were made and Err is the last one's error. When the context was
// cancelled (or its deadline passed) while waiting between attempts, Err is
// the context's error and Status is the status code of the response that
// was going to be retried, 0 if the last attempt failed without one.
type RetryError struct {
	Attempts int
	Status   int
	Err      error
}

func (e *RetryError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("middleware: after %d attempts (the last answered %d): %v", e.Attempts, e.Status, e.Err)
	}
	return fmt.Sprintf("middleware: after %d attempts: %v", e.Attempts, e.Err)
}

func (e *RetryError) Unwrap() error { return e.Err }

type retryKey struct{ relayctx.KeyBase }

// WithRetry returns a context that makes the retry middleware use o for a
// request made with it, in place of the session's options, even when the
// session does not retry; RetryOptions{MaxAttempts: -1} turns retrying off
// for the request. o.Statuses is copied.
func WithRetry(ctx context.Context, o RetryOptions) context.Context {
	o.Statuses = slices.Clone(o.Statuses)
	return relayctx.WithValue(ctx, retryKey{}, &o)
}

// Retry returns a middleware that retries every request that may be retried
// with o (see RetryFrom for the rules). The context of a request can set
// other options with WithRetry.
func Retry(o RetryOptions) Middleware {
	o.Statuses = slices.Clone(o.Statuses)
	return RetryFrom(func() *RetryOptions { return &o })
}

// RetryFrom returns a middleware that retries failed requests with the
// options source returns, read on every request; a nil result turns
// retrying off, so a Session can install the middleware always and retry
// only when it, or a request through WithRetry, asks for it. A request
// context's options (WithRetry) win over source's.
//
// What is retried. Only requests whose method is idempotent (RFC 9110
// §9.2.2): GET, HEAD, OPTIONS, TRACE, PUT and DELETE; a POST or a PATCH is
// sent once. Such a request is retried when
//
//   - the response's status is one of Statuses (by default 429, 502, 503 and
//     504); or
//   - the attempt failed before any byte of a response arrived: the dial
//     failed (connection refused, unreachable network, a DNS failure that is
//     temporary or a timeout, but not "no such host"); the connection was
//     reset, aborted or broken (ECONNRESET, ECONNABORTED, EPIPE) or closed
//     (io.EOF, io.ErrUnexpectedEOF) before the status line; or a connect,
//     TLS-handshake or response-header *TimeoutError fired.
//
// Other errors are returned at once: a certificate error, a malformed
// response, a cancelled context. A request whose body cannot be replayed (a
// body but no GetBody) is not retried: the first attempt's response or error
// is returned as it is, since no retry was possible. Later attempts send the
// body GetBody returns.
//
// Waiting. Before retry n (n = 1 for the second attempt) the middleware
// waits for the response's Retry-After (delay-seconds or an HTTP-date; at
// most MaxDelay), or else for a random duration between zero and
// min(MaxDelay, BaseDelay·2^(n-1)). It waits on a timer and the request's
// context together, and a cancelled context ends the call with a
// *RetryError holding the context's error. A dropped response is drained
// (at most DrainLimit bytes) and closed before the wait.
//
// Result. When retries run out on a retryable status, the last response is
// returned as it is, with a nil error, as urllib3 does with
// raise_on_status=False: a RoundTripper returns the responses it gets, and
// the caller can read the last answer's body and Retry-After.
// Attempt(resp.Request.Context()) says which attempt it was. An error after
// more than one attempt is a *RetryError with the attempt count and the last
// error (which errors.Is and errors.As see through); an error of a single
// attempt is returned as it is.
//
// Each attempt after the first is sent with a shallow copy of the request
// whose context carries its number (WithAttempt), for logging. The caller's
// request is never modified. With retrying off, or for a non-idempotent
// method, the request is handed on untouched, and a call answered at once
// costs no allocation. The middleware forwards CloseIdleConnections to next;
// a nil next means http.DefaultTransport.
//
// In a Session it belongs in each mount's stack just above the base
// transport, below decompression (a retried body is never decoded), with
// the timeout middleware inside it so that each attempt is timed on its own.
func RetryFrom(source func() *RetryOptions) Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		return &retry{next: orDefault(next), source: source}
	}
}

type retry struct {
	next   http.RoundTripper
	source func() *RetryOptions
}

func (r *retry) CloseIdleConnections() { CloseIdleConnections(r.next) }

func (r *retry) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	o, _ := ctx.Value(retryKey{}).(*RetryOptions)
	if o == nil {
		o = r.source()
	}
	if o == nil || !idempotent(req.Method) {
		return r.next.RoundTrip(req)
	}
	attempts := o.MaxAttempts
	if attempts == 0 {
		attempts = DefaultMaxAttempts
	}
	if attempts <= 1 {
		return r.next.RoundTrip(req)
	}

	out := req
	if Attempt(ctx) != 1 {
		out = req.WithContext(WithAttempt(ctx, 1))
	}
	for attempt := 1; ; attempt++ {
		resp, err := r.next.RoundTrip(out)
		if attempt >= attempts || !o.retryable(ctx, resp, err) {
			return resp, wrapRetry(attempt, err)
		}
		var body io.ReadCloser
		if req.Body != nil && req.Body != http.NoBody {
			if req.GetBody == nil {
				return resp, wrapRetry(attempt, err) // not replayable: as it is
			}
			var gerr error
			if body, gerr = req.GetBody(); gerr != nil {
				return resp, wrapRetry(attempt, err)
			}
		}
		wait, status := o.delay(resp, attempt), 0
		if explain.On(ctx) {
			noteRetry(ctx, resp, err, attempt+1, wait)
		}
		if resp != nil {
			status = resp.StatusCode
			DrainAndClose(resp)
		}
		if serr := o.wait(ctx, wait); serr != nil {
			if body != nil {
				_ = body.Close()
			}
			return nil, &RetryError{Attempts: attempt, Status: status, Err: serr}
		}
		out = req.WithContext(WithAttempt(ctx, attempt+1))
		if body != nil {
			out.Body = body
		}
	}
}
