package middleware

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// wrapRetry wraps the error of attempt n in a *RetryError when n > 1.
func wrapRetry(n int, err error) error {
	if err == nil || n == 1 {
		return err
	}
	return &RetryError{Attempts: n, Err: err}
}

// idempotent reports whether method is idempotent (RFC 9110 §9.2.2). An
// empty method is GET, as net/http reads it.
func idempotent(method string) bool {
	switch method {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace,
		http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// retryable reports whether an attempt that returned resp, err may be
// retried.
func (o *RetryOptions) retryable(ctx context.Context, resp *http.Response, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	if err != nil {
		return retryableError(err)
	}
	if o.Statuses == nil {
		return slices.Contains(DefaultRetryStatuses, resp.StatusCode)
	}
	return slices.Contains(o.Statuses, resp.StatusCode)
}

// retryableError reports whether err says the attempt failed before any
// byte of a response arrived. See RetryFrom.
func retryableError(err error) bool {
	var te *TimeoutError
	if errors.As(err, &te) {
		return te.Kind != TimeoutIdleBody
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false // the caller's context, or a deadline of its own
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return !dns.IsNotFound && (dns.IsTemporary || dns.IsTimeout)
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// delay returns how long to wait before retry n (the attempt after attempt
// n), given the response of attempt n if it had one.
func (o *RetryOptions) delay(resp *http.Response, n int) time.Duration {
	limit := o.MaxDelay
	switch {
	case limit == 0:
		limit = DefaultMaxDelay
	case limit < 0:
		return 0
	}
	if resp != nil {
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), o.clock(), limit); ok {
			return d
		}
	}
	base := o.BaseDelay
	switch {
	case base == 0:
		base = DefaultBaseDelay
	case base < 0:
		return 0
	}
	ceiling := limit
	if shift := n - 1; shift < 62 && base <= limit>>shift {
		ceiling = base << shift
	}
	rnd := rand.Int64N
	if o.rand != nil {
		rnd = o.rand
	}
	return time.Duration(rnd(int64(ceiling) + 1))
}

func (o *RetryOptions) clock() time.Time {
	if o.now != nil {
		return o.now()
	}
	return time.Now()
}

// retryAfter parses a Retry-After value (RFC 9110 §10.2.3): delay-seconds
// or an HTTP-date, relative to now. The result is at most max; a date in
// the past means no wait. ok is false for an empty or invalid value.
func retryAfter(v string, now time.Time, limit time.Duration) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if v[0] >= '0' && v[0] <= '9' {
		secs, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			var ne *strconv.NumError
			if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
				return limit, true // more digits than any limit
			}
			return 0, false
		}
		if secs > uint64(limit/time.Second) {
			return limit, true
		}
		return min(time.Duration(secs)*time.Second, limit), true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return min(max(t.Sub(now), 0), limit), true
}

// wait waits for d or until ctx is done, and then returns the context's
// error (its cause, when it has one).
func (o *RetryOptions) wait(ctx context.Context, d time.Duration) error {
	if o.sleep != nil {
		return o.sleep(ctx, d)
	}
	return sleep(ctx, d)
}

// sleep waits for d on a timer, or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}
