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

	// A console logger as a program would set one up, minus what changes
	// from run to run: no timestamp, and the duration field written as "…".
	// The observer beside it keeps the entries for the checks below.
	lines := &lineWriter{e: e, names: strings.NewReplacer(flaky.URL, "http://flaky")}
	console := zapcore.NewCore(zapcore.NewConsoleEncoder(zapcore.EncoderConfig{
		MessageKey:       "msg",
		LevelKey:         "level",
		EncodeLevel:      zapcore.CapitalLevelEncoder,
		EncodeDuration:   func(_ time.Duration, enc zapcore.PrimitiveArrayEncoder) { enc.AppendString("…") },
		ConsoleSeparator: " ",
	}), zapcore.AddSync(lines), zapcore.InfoLevel)
	observed, logs := observer.New(zapcore.InfoLevel)
	logger := zap.New(zapcore.NewTee(console, observed))

	s := client.NewSession(client.WithLogger(logger), client.WithRetry(client.RetryOptions{MaxAttempts: 3}))
	defer s.CloseIdleConnections()
	e.say("client.NewSession(client.WithLogger(logger), client.WithRetry(client.RetryOptions{MaxAttempts: 3}))")
	e.say("GET http://flaky/flaky, a handler that answers 503 with Retry-After: 0 twice, then 200; the log:")
	r, err := s.Get(ctx, flaky.URL+"/flaky")
	if err != nil {
		return err
	}
	text, _ := r.Text()
	e.say("→ %s %q after %d attempts", r.Status, text, calls.Load())
	var got []string
	for _, entry := range logs.All() {
		f := entry.ContextMap()
		got = append(got, fmt.Sprintf("%v:%v", f["status"], f["attempt"]))
	}
	return failed(
		status(r, http.StatusOK),
		equal("attempts", calls.Load(), int32(3)),
		equal("status:attempt of the log entries", strings.Join(got, " "), "503:1 503:2 200:3"),
		equal("lines written by the console logger", lines.n, 3),
	)
}

// lineWriter prints what a logger writes through e.say, one indented line
// per entry, with names for addresses e does not know.
type lineWriter struct {
	e     *env
	names *strings.Replacer
	n     int
}

func (w *lineWriter) Write(p []byte) (int, error) {
	for line := range strings.Lines(string(p)) {
		w.e.say("  %s", w.names.Replace(strings.TrimRight(line, "\n")))
		w.n++
	}
	return len(p), nil
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
