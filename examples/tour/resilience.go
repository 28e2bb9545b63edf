package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/middleware"
)

// loggedRetries: a zap logger gets one entry per attempt, and a session with
// retries turned on gets past two 503s.
func loggedRetries(ctx context.Context, e *env) error {
	var calls atomic.Int32
	flaky := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("third time lucky"))
	}))
	defer flaky.Close()

	core, logs := observer.New(zapcore.InfoLevel)
	s := client.NewSession(client.WithLogger(zap.New(core)), client.WithRetry(client.RetryOptions{MaxAttempts: 3}))
	defer s.CloseIdleConnections()
	r, err := s.Get(ctx, flaky.URL+"/flaky")
	if err != nil {
		return err
	}
	text, _ := r.Text()
	e.say("client.WithRetry(MaxAttempts: 3), client.WithLogger(zap); GET /flaky → %s %q", r.Status, text)
	for _, entry := range logs.All() {
		f := entry.ContextMap()
		e.say("  log: %s %v %v status=%v attempt=%v", entry.Message, f["method"], strings.TrimPrefix(fmt.Sprint(f["url"]), flaky.URL), f["status"], f["attempt"])
	}
	return failed(
		status(r, http.StatusOK),
		equal("attempts", calls.Load(), int32(3)),
		equal("log entries", logs.Len(), 3),
	)
}

// phaseTimeouts: timeouts per phase, each naming itself in its error.
func phaseTimeouts(ctx context.Context, e *env) error {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer slow.Close()
	s := client.NewSession(client.WithTimeouts(client.Timeouts{ResponseHeader: 50 * time.Millisecond}))
	defer s.CloseIdleConnections()
	_, err := s.Get(ctx, slow.URL+"/slow", client.NoRetry())
	var te *middleware.TimeoutError
	ok := errors.As(err, &te)
	e.say("client.WithTimeouts(ResponseHeader: 50ms); GET a handler that never answers →")
	if ok {
		e.say("  *middleware.TimeoutError, phase %q; errors.Is(err, context.DeadlineExceeded) = %t", te.Kind, errors.Is(err, context.DeadlineExceeded))
	}
	return expect(ok && te.Kind == middleware.TimeoutResponseHeader && errors.Is(err, context.DeadlineExceeded),
		"want a response-header TimeoutError, got %v", err)
}
