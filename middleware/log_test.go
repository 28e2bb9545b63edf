package middleware_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/relayhttp/relay/middleware"
)

// logServer answers /redirect/N with a 302 chain ending at /final, and
// anything else with a Set-Cookie header and a short body.
func logServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/redirect/2":
			w.Header().Set("Location", "/redirect/1")
			w.WriteHeader(http.StatusFound)
		case "/redirect/1":
			w.Header().Set("Location", "/final")
			w.WriteHeader(http.StatusFound)
		default:
			w.Header().Set("Set-Cookie", "session=s3cret")
			w.Header().Set("X-Served-By", "test")
			io.WriteString(w, "hello")
		}
	}))
	t.Cleanup(func() {
		srv.Client().CloseIdleConnections()
		srv.Close()
	})
	return srv
}

// entry is the part of a logged entry a test compares; duration is checked
// separately since it varies.
type entry struct {
	Level   zapcore.Level
	Message string
	Fields  map[string]any
}

func entries(t *testing.T, logs *observer.ObservedLogs) []entry {
	t.Helper()
	var got []entry
	for _, e := range logs.AllUntimed() {
		fields := e.ContextMap()
		d, ok := fields["duration"].(time.Duration)
		if !ok || d <= 0 {
			t.Errorf("entry %q: duration %v (%T), want a positive time.Duration", e.Message, fields["duration"], fields["duration"])
		}
		delete(fields, "duration")
		got = append(got, entry{e.Level, e.Message, fields})
	}
	return got
}

func TestLog(t *testing.T) {
	srv := logServer(t)
	host := strings.TrimPrefix(srv.URL, "http://")
	userURL := "http://alice:pa55word@" + host
	refused := middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		return nil, errors.New("connection refused")
	})
	tests := []struct {
		name  string
		level zapcore.Level // of the observer core
		opts  middleware.LogOptions
		ctx   context.Context
		url   string
		req   func(*http.Request)
		stack func(log middleware.Middleware) http.RoundTripper
		want  []entry
	}{
		{
			name:  "plain request logs one entry without userinfo",
			level: zapcore.InfoLevel,
			url:   userURL + "/get?q=1#frag",
			want: []entry{{zapcore.InfoLevel, "request", map[string]any{
				"method": "GET", "url": srv.URL + "/get?q=1", "status": int64(200),
				"bytes": int64(5), "attempt": int64(1), "hop": int64(0),
			}}},
		},
		{
			name:  "every redirect hop",
			level: zapcore.InfoLevel,
			url:   srv.URL + "/redirect/2",
			stack: func(log middleware.Middleware) http.RoundTripper {
				return middleware.Chain(srv.Client().Transport, middleware.Redirects(middleware.RedirectOptions{}), log)
			},
			want: []entry{
				{zapcore.InfoLevel, "request", map[string]any{
					"method": "GET", "url": srv.URL + "/redirect/2", "status": int64(302),
					"bytes": int64(0), "attempt": int64(1), "hop": int64(0),
				}},
				{zapcore.InfoLevel, "request", map[string]any{
					"method": "GET", "url": srv.URL + "/redirect/1", "status": int64(302),
					"bytes": int64(0), "attempt": int64(1), "hop": int64(1),
				}},
				{zapcore.InfoLevel, "request", map[string]any{
					"method": "GET", "url": srv.URL + "/final", "status": int64(200),
					"bytes": int64(5), "attempt": int64(1), "hop": int64(2),
				}},
			},
		},
		{
			name:  "one entry per attempt",
			level: zapcore.InfoLevel,
			url:   srv.URL,
			stack: func(log middleware.Middleware) http.RoundTripper {
				next := log(srv.Client().Transport)
				// A retry that always resends once, as the retry middleware
				// numbers its attempts.
				return middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
					resp, err := next.RoundTrip(req)
					if err != nil {
						return nil, err
					}
					middleware.DrainAndClose(resp)
					return next.RoundTrip(req.WithContext(middleware.WithAttempt(req.Context(), 2)))
				})
			},
			want: []entry{
				{zapcore.InfoLevel, "request", map[string]any{
					"method": "GET", "url": srv.URL, "status": int64(200),
					"bytes": int64(5), "attempt": int64(1), "hop": int64(0),
				}},
				{zapcore.InfoLevel, "request", map[string]any{
					"method": "GET", "url": srv.URL, "status": int64(200),
					"bytes": int64(5), "attempt": int64(2), "hop": int64(0),
				}},
			},
		},
		{
			name:  "attempt from the context",
			level: zapcore.InfoLevel,
			ctx:   middleware.WithAttempt(context.Background(), 3),
			url:   srv.URL,
			want: []entry{{zapcore.InfoLevel, "request", map[string]any{
				"method": "GET", "url": srv.URL, "status": int64(200),
				"bytes": int64(5), "attempt": int64(3), "hop": int64(0),
			}}},
		},
		{
			name:  "error",
			level: zapcore.InfoLevel,
			url:   userURL + "/get",
			stack: func(log middleware.Middleware) http.RoundTripper { return log(refused) },
			want: []entry{{zapcore.WarnLevel, "request failed", map[string]any{
				"method": "GET", "url": srv.URL + "/get", "attempt": int64(1), "hop": int64(0),
				"error": "connection refused",
			}}},
		},
		{
			name:  "errors only at warn",
			level: zapcore.WarnLevel,
			url:   srv.URL,
		},
		{
			name:  "level option",
			level: zapcore.DebugLevel,
			opts:  middleware.LogOptions{Level: zapcore.ErrorLevel},
			url:   srv.URL,
			stack: func(log middleware.Middleware) http.RoundTripper { return log(refused) },
			want: []entry{{zapcore.ErrorLevel, "request failed", map[string]any{
				"method": "GET", "url": srv.URL, "attempt": int64(1), "hop": int64(0),
				"error": "connection refused", "request_headers": map[string]any{},
			}}},
		},
		{
			name:  "debug redacts headers",
			level: zapcore.DebugLevel,
			opts:  middleware.LogOptions{Redact: []string{"x-api-key"}},
			url:   srv.URL,
			req: func(r *http.Request) {
				r.Header.Set("Authorization", "Basic YWxpY2U6cGE1NXdvcmQ=")
				r.Header.Set("Proxy-Authorization", "Basic cHJveHk=")
				r.Header.Set("Cookie", "session=s3cret")
				r.Header.Set("X-Api-Key", "k3y")
				r.Header["Accept"] = []string{"text/plain", "*/*"}
			},
			want: []entry{{zapcore.InfoLevel, "request", map[string]any{
				"method": "GET", "url": srv.URL, "status": int64(200),
				"bytes": int64(5), "attempt": int64(1), "hop": int64(0),
				"request_headers": map[string]any{
					"Accept":              "text/plain, */*",
					"Authorization":       "[redacted]",
					"Cookie":              "[redacted]",
					"Proxy-Authorization": "[redacted]",
					"X-Api-Key":           "[redacted]",
				},
				"response_headers": map[string]any{
					"Content-Length": "5",
					"Content-Type":   "text/plain; charset=utf-8",
					"Date":           "[date]",
					"Set-Cookie":     "[redacted]",
					"X-Served-By":    "test",
				},
			}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			core, logs := observer.New(tc.level)
			tc.opts.Logger = zap.New(core)
			log := middleware.LogWithOptions(tc.opts)
			var rt http.RoundTripper
			if tc.stack != nil {
				rt = tc.stack(log)
			} else {
				rt = log(srv.Client().Transport)
			}
			ctx := tc.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, tc.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.req != nil {
				tc.req(req)
			}
			resp, err := rt.RoundTrip(req)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			got := entries(t, logs)
			for _, e := range got {
				if h, ok := e.Fields["response_headers"].(map[string]any); ok && h["Date"] != nil {
					h["Date"] = "[date]"
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("entries mismatch (-want +got):\n%s", diff)
			}
			for _, e := range logs.All() {
				for _, secret := range []string{"alice", "pa55word", "s3cret", "k3y", "YWxp", "frag"} {
					if s := encode(t, e); strings.Contains(s, secret) {
						t.Errorf("entry holds %q: %s", secret, s)
					}
				}
			}
		})
	}
}

// encode renders e as the JSON a production logger would write.
func encode(t *testing.T, e observer.LoggedEntry) string {
	t.Helper()
	buf, err := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()).EncodeEntry(e.Entry, e.Context)
	if err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestLogFromReadsOptionsPerRequest(t *testing.T) {
	core, logs := observer.New(zapcore.DebugLevel)
	var redact atomic.Pointer[[]string]
	redact.Store(&[]string{})
	rt := middleware.LogFrom(func() middleware.LogOptions {
		return middleware.LogOptions{Logger: zap.New(core), Redact: *redact.Load()}
	})(middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 204, ContentLength: -1, Body: http.NoBody, Request: req}, nil
	}))
	var got []any
	for _, names := range [][]string{{}, {"X-Token"}} {
		redact.Store(&names)
		req, _ := http.NewRequest(http.MethodPost, "http://example.test/", nil)
		req.Header.Set("X-Token", "t")
		if _, err := rt.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
		got = append(got, logs.TakeAll()[0].ContextMap()["request_headers"])
	}
	want := []any{map[string]any{"X-Token": "t"}, map[string]any{"X-Token": "[redacted]"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("request headers mismatch (-want +got):\n%s", diff)
	}
}

func TestLogSilentLoggersCostNothing(t *testing.T) {
	resp := &http.Response{StatusCode: 200, Body: http.NoBody}
	next := middleware.RoundTripperFunc(func(*http.Request) (*http.Response, error) { return resp, nil })
	req, _ := http.NewRequest(http.MethodGet, "https://user:pw@example.test/", nil)
	disabled, logs := observer.New(zapcore.ErrorLevel + 1)
	for name, rt := range map[string]http.RoundTripper{
		"nil":      middleware.Log(nil)(next),
		"nop":      middleware.Log(zap.NewNop())(next),
		"disabled": middleware.Log(zap.New(disabled))(next),
	} {
		if n := testing.AllocsPerRun(100, func() { _, _ = rt.RoundTrip(req) }); n != 0 {
			t.Errorf("%s logger: %v allocations per request, want 0", name, n)
		}
	}
	if logs.Len() != 0 {
		t.Errorf("a disabled logger got %d entries", logs.Len())
	}
}

func TestLogForwardsCloseIdleConnections(t *testing.T) {
	base := &idleCounter{RoundTripper: middleware.RoundTripperFunc(ok)}
	middleware.CloseIdleConnections(middleware.Log(zap.NewNop())(base))
	if base.n != 1 {
		t.Errorf("CloseIdleConnections reached the base %d times, want 1", base.n)
	}
}
