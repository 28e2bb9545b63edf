package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/middleware"
)

// flaky answers 503 with Retry-After: 0 until it has failed n times.
func flaky(t *testing.T, n int32) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= n {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok"))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestRetryOffByDefault(t *testing.T) {
	srv, calls := flaky(t, 1)
	s := newSession(t)
	if r := mustDo(t, s, "GET", srv.URL); r.StatusCode != 503 || calls.Load() != 1 {
		t.Errorf("status %d after %d calls; a default session does not retry", r.StatusCode, calls.Load())
	}
}

func TestSessionAndRequestRetry(t *testing.T) {
	srv, calls := flaky(t, 2)
	s := newSession(t, client.WithRetry(client.RetryOptions{MaxAttempts: 3}))
	if r := mustDo(t, s, "GET", srv.URL); r.StatusCode != 200 || calls.Load() != 3 {
		t.Errorf("status %d after %d calls, want 200 after 3", r.StatusCode, calls.Load())
	}
	srv2, calls2 := flaky(t, 1)
	if r := mustDo(t, s, "GET", srv2.URL, client.NoRetry()); r.StatusCode != 503 || calls2.Load() != 1 {
		t.Errorf("NoRetry: status %d after %d calls", r.StatusCode, calls2.Load())
	}
	srv3, calls3 := flaky(t, 1)
	plain := newSession(t)
	if r := mustDo(t, plain, "GET", srv3.URL, client.Retry(client.RetryOptions{})); r.StatusCode != 200 || calls3.Load() != 2 {
		t.Errorf("Retry on one request: status %d after %d calls", r.StatusCode, calls3.Load())
	}
	srv4, calls4 := flaky(t, 1)
	if r := mustDo(t, s, "POST", srv4.URL, client.JSON(1)); r.StatusCode != 503 || calls4.Load() != 1 {
		t.Errorf("POST must not be retried: status %d after %d calls", r.StatusCode, calls4.Load())
	}
}

func TestPhaseTimeouts(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow-headers" {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		}
		w.Write([]byte("start"))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(srv.Close)
	s := newSession(t, client.WithTimeouts(client.Timeouts{ResponseHeader: 100 * time.Millisecond}))
	_, err := s.Get(context.Background(), srv.URL+"/slow-headers")
	var te *middleware.TimeoutError
	if !errors.As(err, &te) || te.Kind != middleware.TimeoutResponseHeader || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want a response-header TimeoutError", err)
	}
	r, err := s.Get(context.Background(), srv.URL+"/stall", client.Stream(),
		client.WithTimeouts(client.Timeouts{IdleBody: 100 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Bytes()
	if !errors.As(err, &te) || te.Kind != middleware.TimeoutIdleBody {
		t.Errorf("reading a stalled body: %v, want an idle-body TimeoutError", err)
	}
}
