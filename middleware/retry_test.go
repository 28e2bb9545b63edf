package middleware

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeClock replaces the retry middleware's clock, randomness and sleep so
// that tests never wait: sleeps are recorded and return at once.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *fakeClock) install(o RetryOptions) RetryOptions {
	o.now = func() time.Time { return c.now }
	o.rand = func(n int64) int64 { return n - 1 } // always the top of the range
	o.sleep = func(ctx context.Context, d time.Duration) error {
		c.mu.Lock()
		c.sleeps = append(c.sleeps, d)
		c.mu.Unlock()
		return ctx.Err()
	}
	return o
}

// flaky is a server whose first fail requests are answered by answer; the
// later ones get 200 and the request body echoed. It records what each
// request carried.
type flaky struct {
	fail   int
	answer func(w http.ResponseWriter, r *http.Request)
	mu     sync.Mutex
	bodies []string
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.bodies = append(f.bodies, string(b))
	n := len(f.bodies)
	f.mu.Unlock()
	if n <= f.fail {
		f.answer(w, r)
		return
	}
	_, _ = io.WriteString(w, "ok:"+string(b))
}

func status(code int, header ...string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, "try later")
	}
}

// hangUp closes the connection without answering.
func hangUp(w http.ResponseWriter, _ *http.Request) {
	c, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		_ = c.Close()
	}
}

// reset closes the connection with a TCP RST.
func reset(w http.ResponseWriter, _ *http.Request) {
	c, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		_ = c.(*net.TCPConn).SetLinger(0)
		_ = c.Close()
	}
}

// attemptRecorder sits between the retry middleware and the transport and
// records the attempt number of each request it sees.
type attemptRecorder struct {
	next     http.RoundTripper
	mu       sync.Mutex
	attempts []int
}

func (a *attemptRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	a.mu.Lock()
	a.attempts = append(a.attempts, Attempt(req.Context()))
	a.mu.Unlock()
	return a.next.RoundTrip(req)
}

type retryCase struct {
	name     string
	method   string
	body     string
	noGet    bool // send the body without GetBody
	fail     int
	answer   func(http.ResponseWriter, *http.Request)
	opts     RetryOptions
	attempts []int
	sleeps   []time.Duration
	status   int    // 0: an error is expected
	result   string // body, or error text fragment
}

func (c retryCase) String() string { return c.name }

func TestRetry(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	base := RetryOptions{BaseDelay: 100 * time.Millisecond, MaxDelay: 10 * time.Second}
	with := func(f func(*RetryOptions)) RetryOptions { o := base; f(&o); return o }
	tests := []retryCase{
		{name: "503 twice then 200", method: "GET", fail: 2, answer: status(503), opts: base,
			attempts: []int{1, 2, 3}, sleeps: []time.Duration{100 * time.Millisecond, 200 * time.Millisecond},
			status: 200, result: "ok:"},
		{name: "every status retried", method: "GET", fail: 4, answer: status(502), opts: with(func(o *RetryOptions) { o.MaxAttempts = 5 }),
			attempts: []int{1, 2, 3, 4, 5}, sleeps: []time.Duration{100e6, 200e6, 400e6, 800e6}, status: 200, result: "ok:"},
		{name: "429, 504 retried", method: "HEAD", fail: 1, answer: status(504), opts: base,
			attempts: []int{1, 2}, sleeps: []time.Duration{100e6}, status: 200},
		{name: "attempts run out: last response returned", method: "GET", fail: 9, answer: status(503), opts: base,
			attempts: []int{1, 2, 3}, sleeps: []time.Duration{100e6, 200e6}, status: 503, result: "try later"},
		{name: "POST not retried", method: "POST", body: "x", fail: 1, answer: status(503), opts: base,
			attempts: []int{1}, status: 503, result: "try later"},
		{name: "PATCH not retried", method: "PATCH", body: "x", fail: 1, answer: hangUp, opts: base,
			attempts: []int{1}, result: "EOF"},
		{name: "500 not retried by default", method: "GET", fail: 1, answer: status(500), opts: base,
			attempts: []int{1}, status: 500, result: "try later"},
		{name: "Statuses replaces the default", method: "GET", fail: 1, answer: status(500),
			opts:     with(func(o *RetryOptions) { o.Statuses = []int{500} }),
			attempts: []int{1, 2}, sleeps: []time.Duration{100e6}, status: 200, result: "ok:"},
		{name: "empty Statuses retries no status", method: "GET", fail: 1, answer: status(503),
			opts: with(func(o *RetryOptions) { o.Statuses = []int{} }), attempts: []int{1}, status: 503},
		{name: "Retry-After seconds", method: "GET", fail: 1, answer: status(429, "Retry-After", "7"), opts: base,
			attempts: []int{1, 2}, sleeps: []time.Duration{7 * time.Second}, status: 200},
		{name: "Retry-After above MaxDelay waits MaxDelay", method: "GET", fail: 1, answer: status(503, "Retry-After", "3600"), opts: base,
			attempts: []int{1, 2}, sleeps: []time.Duration{10 * time.Second}, status: 200},
		{name: "Retry-After HTTP-date", method: "GET", fail: 1,
			answer: status(503, "Retry-After", now.Add(4*time.Second).Format(http.TimeFormat)), opts: base,
			attempts: []int{1, 2}, sleeps: []time.Duration{4 * time.Second}, status: 200},
		{name: "Retry-After date in the past", method: "GET", fail: 1,
			answer: status(503, "Retry-After", now.Add(-time.Hour).Format(http.TimeFormat)), opts: base,
			attempts: []int{1, 2}, sleeps: []time.Duration{0}, status: 200},
		{name: "invalid Retry-After falls back to backoff", method: "GET", fail: 1, answer: status(503, "Retry-After", "soon"), opts: base,
			attempts: []int{1, 2}, sleeps: []time.Duration{100e6}, status: 200},
		{name: "negative MaxAttempts: off", method: "GET", fail: 1, answer: status(503),
			opts: with(func(o *RetryOptions) { o.MaxAttempts = -1 }), attempts: []int{1}, status: 503},
		{name: "negative BaseDelay: no backoff", method: "GET", fail: 1, answer: status(503),
			opts: with(func(o *RetryOptions) { o.BaseDelay = -1 }), attempts: []int{1, 2}, sleeps: []time.Duration{0}, status: 200},
		{name: "negative MaxDelay ignores Retry-After", method: "GET", fail: 1, answer: status(503, "Retry-After", "9"),
			opts: with(func(o *RetryOptions) { o.MaxDelay = -1 }), attempts: []int{1, 2}, sleeps: []time.Duration{0}, status: 200},
		{name: "PUT body replayed", method: "PUT", body: "payload", fail: 2, answer: status(503), opts: base,
			attempts: []int{1, 2, 3}, sleeps: []time.Duration{100e6, 200e6}, status: 200, result: "ok:payload"},
		{name: "unreplayable body not retried", method: "PUT", body: "payload", noGet: true, fail: 1, answer: status(503), opts: base,
			attempts: []int{1}, status: 503, result: "try later"},
		{name: "connection closed before the response", method: "GET", fail: 2, answer: hangUp, opts: base,
			attempts: []int{1, 2, 3}, sleeps: []time.Duration{100e6, 200e6}, status: 200, result: "ok:"},
		{name: "connection reset before the response", method: "DELETE", fail: 1, answer: reset, opts: base,
			attempts: []int{1, 2}, sleeps: []time.Duration{100e6}, status: 200, result: "ok:"},
		{name: "dropped every time", method: "GET", fail: 9, answer: hangUp, opts: base,
			attempts: []int{1, 2, 3}, sleeps: []time.Duration{100e6, 200e6}, result: "middleware: after 3 attempts: "},
		{name: "malformed response not retried", method: "GET", fail: 1, opts: base,
			answer: func(w http.ResponseWriter, _ *http.Request) {
				c, buf, _ := w.(http.Hijacker).Hijack()
				_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nbroken\r\n\r\n")
				_ = buf.Flush()
				_ = c.Close()
			},
			attempts: []int{1}, result: "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &flaky{fail: tt.fail, answer: tt.answer}
			srv := httptest.NewServer(f)
			defer srv.Close()
			tr := &http.Transport{DisableKeepAlives: true} // a hang-up must not hit the transport's own retry
			defer tr.CloseIdleConnections()
			clock := &fakeClock{now: now}
			rec := &attemptRecorder{next: tr}
			rt := Retry(clock.install(tt.opts))(rec)

			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req, err := http.NewRequestWithContext(t.Context(), tt.method, srv.URL, body)
			if err != nil {
				t.Fatal(err)
			}
			if tt.noGet {
				req.GetBody = nil
			}
			resp, err := rt.RoundTrip(req)
			switch {
			case tt.status == 0 && err == nil:
				resp.Body.Close()
				t.Fatalf("got %d, want an error containing %q", resp.StatusCode, tt.result)
			case tt.status == 0:
				if !strings.Contains(err.Error(), tt.result) {
					t.Errorf("error %q does not contain %q", err, tt.result)
				}
			case err != nil:
				t.Fatalf("RoundTrip: %v", err)
			default:
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != tt.status || (tt.method != "HEAD" && tt.result != "" && string(b) != tt.result) {
					t.Errorf("got %d %q, want %d %q", resp.StatusCode, b, tt.status, tt.result)
				}
				if n := Attempt(resp.Request.Context()); n != len(tt.attempts) {
					t.Errorf("Attempt(resp.Request.Context()) = %d, want %d", n, len(tt.attempts))
				}
			}
			if diff := cmp.Diff(tt.attempts, rec.attempts); diff != "" {
				t.Errorf("attempts mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.sleeps, clock.sleeps); diff != "" {
				t.Errorf("sleeps mismatch (-want +got):\n%s", diff)
			}
			if tt.body != "" && !tt.noGet {
				srv.Close() // waits for the handlers
				for i, b := range f.bodies {
					if b != tt.body {
						t.Errorf("attempt %d sent body %q, want %q", i+1, b, tt.body)
					}
				}
			}
		})
	}
}

func TestRetryErrorAfterRetries(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now: connection refused
	clock := &fakeClock{}
	rt := Retry(clock.install(RetryOptions{}))(&http.Transport{})
	req, _ := http.NewRequestWithContext(t.Context(), "GET", "http://"+addr+"/", nil)
	_, err = rt.RoundTrip(req)
	var re *RetryError
	if !errors.As(err, &re) {
		t.Fatalf("error %v (%T) is not a *RetryError", err, err)
	}
	if re.Attempts != DefaultMaxAttempts || re.Status != 0 {
		t.Errorf("RetryError{Attempts: %d, Status: %d}, want {%d, 0}", re.Attempts, re.Status, DefaultMaxAttempts)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("errors.Is(%v, ECONNREFUSED) = false", err)
	}
	// Defaults: full jitter under 500 ms, then under 1 s.
	if diff := cmp.Diff([]time.Duration{DefaultBaseDelay, 2 * DefaultBaseDelay}, clock.sleeps); diff != "" {
		t.Errorf("sleeps mismatch (-want +got):\n%s", diff)
	}
}

// TestRetryCancelDuringBackoff cancels the context while the middleware
// waits, with the real timer: the wait ends at once with the context's
// error, and the dropped response was closed first.
func TestRetryCancelDuringBackoff(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	body := &closeTracker{Reader: strings.NewReader("busy")}
	next := RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 503, Header: http.Header{"Retry-After": {"3600"}}, Body: body, Request: req}, nil
	})
	o := RetryOptions{MaxDelay: time.Hour}
	o.sleep = func(ctx context.Context, d time.Duration) error {
		if d != time.Hour {
			t.Errorf("wait = %v, want 1h", d)
		}
		cancel()
		return sleep(ctx, d) // the real wait: must not block
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://example.test/", nil)
	start := time.Now()
	resp, err := Retry(o)(next).RoundTrip(req)
	if resp != nil {
		t.Errorf("got a response %d, want none", resp.StatusCode)
	}
	var re *RetryError
	if !errors.As(err, &re) || re.Attempts != 1 || re.Status != 503 || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want a *RetryError{Attempts: 1, Status: 503} wrapping context.Canceled", err)
	}
	if !body.closed.Load() {
		t.Error("the 503's body was not closed")
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("cancellation took %v", d)
	}
}

func TestSleep(t *testing.T) {
	if err := sleep(t.Context(), time.Millisecond); err != nil {
		t.Errorf("sleep(1ms) = %v", err)
	}
	cause := errors.New("stop")
	ctx, cancel := context.WithCancelCause(t.Context())
	go func() { time.Sleep(10 * time.Millisecond); cancel(cause) }()
	if err := sleep(ctx, time.Hour); err != cause {
		t.Errorf("sleep(cancelled) = %v, want the cause", err)
	}
	if err := sleep(ctx, 0); err != cause {
		t.Errorf("sleep(cancelled, 0) = %v, want the cause", err)
	}
}

type closeTracker struct {
	io.Reader
	closed atomic.Bool
}

func (c *closeTracker) Close() error { c.closed.Store(true); return nil }

// TestRetryDrainsAndClosesDropped checks that each retried response is
// closed, and the returned one is not.
func TestRetryDrainsAndClosesDropped(t *testing.T) {
	var bodies []*closeTracker
	next := RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		b := &closeTracker{Reader: strings.NewReader("x")}
		bodies = append(bodies, b)
		return &http.Response{StatusCode: 503, Body: b, Request: req}, nil
	})
	clock := &fakeClock{}
	req, _ := http.NewRequestWithContext(t.Context(), "GET", "http://example.test/", nil)
	resp, err := Retry(clock.install(RetryOptions{}))(next).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	var got []bool
	for _, b := range bodies {
		got = append(got, b.closed.Load())
	}
	if diff := cmp.Diff([]bool{true, true, false}, got); diff != "" {
		t.Errorf("closed mismatch (-want +got):\n%s", diff)
	}
	resp.Body.Close()
}

// TestRetryContextSwitch turns retrying on per request in a stack that does
// not retry, and off in one that does.
func TestRetryContextSwitch(t *testing.T) {
	var calls atomic.Int32
	next := RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		calls.Add(1)
		return &http.Response{StatusCode: 503, Body: http.NoBody, Request: req}, nil
	})
	clock := &fakeClock{}
	on := clock.install(RetryOptions{MaxAttempts: 2})
	off := RetryOptions{MaxAttempts: -1}
	tests := []struct {
		name   string
		source func() *RetryOptions
		ctx    func(context.Context) context.Context
		want   int32
	}{
		{"session off", func() *RetryOptions { return nil }, nil, 1},
		{"session on", func() *RetryOptions { return &on }, nil, 2},
		{"request on", func() *RetryOptions { return nil }, func(c context.Context) context.Context { return WithRetry(c, on) }, 2},
		{"request off", func() *RetryOptions { return &on }, func(c context.Context) context.Context { return WithRetry(c, off) }, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls.Store(0)
			ctx := t.Context()
			if tt.ctx != nil {
				ctx = tt.ctx(ctx)
			}
			req, _ := http.NewRequestWithContext(ctx, "GET", "http://example.test/", nil)
			resp, err := RetryFrom(tt.source)(next).RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got := calls.Load(); got != tt.want {
				t.Errorf("attempts = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestRetryResponseHeaderTimeout retries an attempt the timeout middleware
// inside it abandoned.
func TestRetryResponseHeaderTimeout(t *testing.T) {
	var n atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			select {
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		_, _ = io.WriteString(w, "second")
	}))
	defer srv.Close()
	defer close(release)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	clock := &fakeClock{}
	rt := Chain(tr, Retry(clock.install(RetryOptions{})), Timeout(Timeouts{ResponseHeader: 50 * time.Millisecond}))
	req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.URL, nil)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "second" || n.Load() != 2 {
		t.Errorf("body %q after %d requests, want \"second\" after 2", b, n.Load())
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	limit := time.Minute
	tests := []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"5", 5 * time.Second, true},
		{" 5 ", 5 * time.Second, true},
		{"60", time.Minute, true},
		{"61", time.Minute, true},
		{"99999999999999999999999", time.Minute, true},
		{"1.5", 0, false},
		{"-1", 0, false},
		{"5s", 0, false},
		{"Sat, 01 Mar 2025 12:00:30 GMT", 30 * time.Second, true},
		{"Saturday, 01-Mar-25 12:00:30 GMT", 30 * time.Second, true}, // RFC 850
		{"Sat Mar  1 12:00:30 2025", 30 * time.Second, true},         // asctime
		{"Sat, 01 Mar 2025 13:00:00 GMT", time.Minute, true},
		{"Sat, 01 Mar 2025 11:00:00 GMT", 0, true},
		{"tomorrow", 0, false},
	}
	for _, tt := range tests {
		d, ok := retryAfter(tt.value, now, limit)
		if d != tt.want || ok != tt.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tt.value, d, ok, tt.want, tt.ok)
		}
	}
}

// TestRetryJitterBounds checks the range each wait is drawn from, with an
// injected source that reports its argument, and that real draws stay in
// it.
func TestRetryJitterBounds(t *testing.T) {
	o := RetryOptions{BaseDelay: 100 * time.Millisecond, MaxDelay: 2 * time.Second}
	var asked []time.Duration
	o.rand = func(n int64) int64 { asked = append(asked, time.Duration(n-1)); return 0 }
	for n := 1; n <= 8; n++ {
		if d := o.delay(nil, n); d != 0 {
			t.Errorf("delay(%d) with rand 0 = %v", n, d)
		}
	}
	want := []time.Duration{100e6, 200e6, 400e6, 800e6, 1600e6, 2e9, 2e9, 2e9}
	if diff := cmp.Diff(want, asked); diff != "" {
		t.Errorf("ceilings mismatch (-want +got):\n%s", diff)
	}
	// A huge attempt number does not overflow.
	if d := o.delay(nil, 1000); d != 0 {
		t.Errorf("delay(1000) = %v", d)
	}

	o.rand = nil // math/rand/v2
	for n := 1; n <= 6; n++ {
		ceiling := min(o.BaseDelay<<(n-1), o.MaxDelay)
		for range 200 {
			if d := o.delay(nil, n); d < 0 || d > ceiling {
				t.Fatalf("delay(%d) = %v, want within [0, %v]", n, d, ceiling)
			}
		}
	}
}

func TestRetryableError(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{io.EOF, true},
		{fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true},
		{&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("no route")}, true},
		{&net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, true},
		{&net.OpError{Op: "write", Net: "tcp", Err: syscall.EPIPE}, true},
		{syscall.ECONNABORTED, true},
		{&net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", IsNotFound: true}}, false},
		{&net.OpError{Op: "dial", Err: &net.DNSError{Err: "server misbehaving", IsTemporary: true}}, true},
		{&TimeoutError{Kind: TimeoutConnect}, true},
		{&TimeoutError{Kind: TimeoutTLSHandshake}, true},
		{&TimeoutError{Kind: TimeoutResponseHeader}, true},
		{&TimeoutError{Kind: TimeoutIdleBody}, false},
		{context.Canceled, false},
		{context.DeadlineExceeded, false},
		{errors.New("tls: failed to verify certificate: x509: certificate signed by unknown authority"), false},
		{errors.New("net/http: HTTP/1.x transport connection broken: malformed HTTP response"), false},
	}
	for _, tt := range tests {
		if got := retryableError(tt.err); got != tt.want {
			t.Errorf("retryableError(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

// TestRetryNoRetryAllocs holds the cost of the path where nothing is
// retried: none with retrying off, none when the first attempt succeeds.
func TestRetryNoRetryAllocs(t *testing.T) {
	resp := &http.Response{StatusCode: 200, Body: http.NoBody}
	next := RoundTripperFunc(func(*http.Request) (*http.Response, error) { return resp, nil })
	on := RetryOptions{}
	for name, rt := range map[string]http.RoundTripper{
		"off": RetryFrom(func() *RetryOptions { return nil })(next),
		"on":  RetryFrom(func() *RetryOptions { return &on })(next),
	} {
		req, _ := http.NewRequest("GET", "http://example.test/", nil)
		allocs := testing.AllocsPerRun(100, func() { _, _ = rt.RoundTrip(req) })
		if allocs > 2 {
			t.Errorf("%s: %v allocations per request, want at most 2", name, allocs)
		}
	}
}

func BenchmarkRetryNoRetry(b *testing.B) {
	resp := &http.Response{StatusCode: 200, Body: http.NoBody}
	next := RoundTripperFunc(func(*http.Request) (*http.Response, error) { return resp, nil })
	on := RetryOptions{}
	for _, bc := range []struct {
		name string
		rt   http.RoundTripper
	}{
		{"bare", next},
		{"off", RetryFrom(func() *RetryOptions { return nil })(next)},
		{"on", RetryFrom(func() *RetryOptions { return &on })(next)},
		{"on/Retry", Retry(RetryOptions{})(next)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req, _ := http.NewRequest("GET", "http://example.test/", nil)
			b.ReportAllocs()
			for b.Loop() {
				_, _ = bc.rt.RoundTrip(req)
			}
		})
	}
}
