package middleware

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// stallServer answers according to the path:
//
//	/slow-headers  waits for the client to go away before any header
//	/stall-body    writes and flushes "hello", then waits for the client
//	/chunks        writes "a", "b", "c" at once
//	/sleep         sleeps 150 ms, then answers "late"
func stallServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/slow-headers":
			<-r.Context().Done()
		case "/stall-body":
			_, _ = io.WriteString(w, "hello")
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		case "/chunks":
			for _, s := range []string{"a", "b", "c"} {
				_, _ = io.WriteString(w, s)
				w.(http.Flusher).Flush()
			}
		case "/sleep":
			time.Sleep(150 * time.Millisecond)
			_, _ = io.WriteString(w, "late")
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func newTransport(t *testing.T) *http.Transport {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

func TestTimeoutResponseHeader(t *testing.T) {
	srv := stallServer(t)
	rt := Timeout(Timeouts{ResponseHeader: 50 * time.Millisecond})(newTransport(t))
	req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.URL+"/slow-headers", nil)
	start := time.Now()
	resp, err := rt.RoundTrip(req)
	if resp != nil {
		resp.Body.Close()
		t.Fatal("got a response")
	}
	var te *TimeoutError
	if !errors.As(err, &te) || te.Kind != TimeoutResponseHeader || te.After != 50*time.Millisecond {
		t.Fatalf("err = %v, want a response header *TimeoutError after 50ms", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) || !os.IsTimeout(err) {
		t.Errorf("%v: errors.Is(DeadlineExceeded) = %v, os.IsTimeout = %v; want both", err,
			errors.Is(err, context.DeadlineExceeded), os.IsTimeout(err))
	}
	if got, want := err.Error(), "middleware: response header timeout after 50ms"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	if req.Context().Err() != nil {
		t.Error("the caller's context was cancelled")
	}
}

func TestTimeoutIdleBody(t *testing.T) {
	srv := stallServer(t)
	rt := Timeout(Timeouts{IdleBody: 50 * time.Millisecond, ResponseHeader: 5 * time.Second})(newTransport(t))
	req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.URL+"/stall-body", nil)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if string(got) != "hello" {
		t.Errorf("read %q before the stall, want \"hello\"", got)
	}
	var te *TimeoutError
	if !errors.As(err, &te) || te.Kind != TimeoutIdleBody || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want an idle body *TimeoutError", err)
	}
	if _, err := resp.Body.Read(make([]byte, 1)); !errors.As(err, &te) {
		t.Errorf("Read after the timeout = %v, want the timeout again", err)
	}
}

// TestTimeoutIdleBodySlowReader shows that the time a caller spends between
// reads does not count: only a Read that waits for the server does.
func TestTimeoutIdleBodySlowReader(t *testing.T) {
	srv := stallServer(t)
	rt := Timeout(Timeouts{IdleBody: 30 * time.Millisecond})(newTransport(t))
	req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.URL+"/chunks", nil)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	time.Sleep(100 * time.Millisecond) // the whole body has arrived by now
	var got strings.Builder
	buf := make([]byte, 1)
	for {
		n, err := resp.Body.Read(buf)
		got.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		time.Sleep(60 * time.Millisecond)
	}
	if got.String() != "abc" {
		t.Errorf("body = %q, want \"abc\"", got.String())
	}
}

func TestTimeoutPerRequest(t *testing.T) {
	srv := stallServer(t)
	tests := []struct {
		name    string
		session Timeouts
		request *Timeouts
		timeout bool
	}{
		{"none", Timeouts{}, nil, false},
		{"session", Timeouts{ResponseHeader: 30 * time.Millisecond}, nil, true},
		{"request sets one", Timeouts{}, &Timeouts{ResponseHeader: 30 * time.Millisecond}, true},
		{"request lifts the session's", Timeouts{ResponseHeader: 30 * time.Millisecond}, &Timeouts{ResponseHeader: -1}, false},
		{"request raises the session's", Timeouts{ResponseHeader: 30 * time.Millisecond}, &Timeouts{ResponseHeader: 5 * time.Second}, false},
		{"request zero keeps the session's", Timeouts{ResponseHeader: 30 * time.Millisecond}, &Timeouts{IdleBody: time.Second}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			if tt.request != nil {
				ctx = WithTimeouts(ctx, *tt.request)
			}
			req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/sleep", nil)
			resp, err := Timeout(tt.session)(newTransport(t)).RoundTrip(req)
			if err == nil {
				resp.Body.Close()
			}
			var te *TimeoutError
			if got := errors.As(err, &te); got != tt.timeout {
				t.Errorf("err = %v, want a timeout: %v", err, tt.timeout)
			}
		})
	}
}

// TestTimeoutCallerDeadlineWins checks that an expired deadline of the
// caller's own is reported as the transport reports it.
func TestTimeoutCallerDeadlineWins(t *testing.T) {
	srv := stallServer(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/slow-headers", nil)
	_, err := Timeout(Timeouts{ResponseHeader: time.Hour})(newTransport(t)).RoundTrip(req)
	var te *TimeoutError
	if errors.As(err, &te) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the context's deadline, not a *TimeoutError", err)
	}
}

// TestTimeoutHandsOn checks what the middleware gives the next
// RoundTripper: the request itself when nothing is set, and a context with
// the merged Connect and TLSHandshake for the base transport's dialer.
func TestTimeoutHandsOn(t *testing.T) {
	var got *http.Request
	next := RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		got = req
		return &http.Response{StatusCode: 204, Body: http.NoBody, Request: req}, nil
	})
	req, _ := http.NewRequest("GET", "http://example.test/", nil)
	if _, err := Timeout(Timeouts{})(next).RoundTrip(req); err != nil || got != req {
		t.Errorf("with no timeouts the request was not handed on as it is (err %v)", err)
	}
	static := &http.Response{StatusCode: 204, Body: http.NoBody}
	off := Timeout(Timeouts{})(RoundTripperFunc(func(*http.Request) (*http.Response, error) { return static, nil }))
	if allocs := testing.AllocsPerRun(100, func() { _, _ = off.RoundTrip(req) }); allocs != 0 {
		t.Errorf("%v allocations with no timeouts, want 0", allocs)
	}

	ctx := WithTimeouts(context.Background(), Timeouts{TLSHandshake: 3 * time.Second})
	req = req.WithContext(ctx)
	_, err := Timeout(Timeouts{Connect: time.Second, TLSHandshake: time.Second, ResponseHeader: time.Minute})(next).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	want := Timeouts{Connect: time.Second, TLSHandshake: 3 * time.Second, ResponseHeader: time.Minute}
	if diff := cmp.Diff(want, RequestTimeouts(got.Context())); diff != "" {
		t.Errorf("timeouts handed on mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Timeouts{TLSHandshake: 3 * time.Second}, RequestTimeouts(req.Context())); diff != "" {
		t.Errorf("caller's context changed (-want +got):\n%s", diff)
	}
}

type switchedBody struct {
	io.Reader
	written strings.Builder
	closed  bool
}

func (b *switchedBody) Write(p []byte) (int, error) { return b.written.Write(p) }
func (b *switchedBody) Close() error                { b.closed = true; return nil }

func TestTimeoutKeeps101Writer(t *testing.T) {
	body := &switchedBody{Reader: strings.NewReader("")}
	next := RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 101, Body: body, Request: req}, nil
	})
	req, _ := http.NewRequest("GET", "http://example.test/", nil)
	resp, err := Timeout(Timeouts{IdleBody: time.Millisecond})(next).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	w, ok := resp.Body.(io.Writer)
	if !ok {
		t.Fatalf("101 body %T lost its Write method", resp.Body)
	}
	_, _ = io.WriteString(w, "ping")
	time.Sleep(5 * time.Millisecond) // longer than IdleBody: not timed
	if _, err := resp.Body.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("Read = %v, want io.EOF", err)
	}
	resp.Body.Close()
	if body.written.String() != "ping" || !body.closed {
		t.Errorf("written %q, closed %v", body.written.String(), body.closed)
	}
}

func TestTimeoutsWith(t *testing.T) {
	session := Timeouts{Connect: 1, TLSHandshake: 2, ResponseHeader: 3, IdleBody: 4}
	got := session.With(Timeouts{TLSHandshake: -1, IdleBody: 40})
	want := Timeouts{Connect: 1, TLSHandshake: -1, ResponseHeader: 3, IdleBody: 40}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("With mismatch (-want +got):\n%s", diff)
	}
	ctx := WithTimeouts(WithTimeouts(context.Background(), Timeouts{Connect: 5}), Timeouts{IdleBody: 6})
	if diff := cmp.Diff(Timeouts{Connect: 5, IdleBody: 6}, RequestTimeouts(ctx)); diff != "" {
		t.Errorf("WithTimeouts twice mismatch (-want +got):\n%s", diff)
	}
}
