package client

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/explain"
	"github.com/relayhttp/relay/hooks"
	"github.com/relayhttp/relay/middleware"
)

// TestQuiet pins which requests take a mount's light path: a default
// session's plain requests, and none that any of the left-out middlewares
// (auth, cache, retry, timeouts, hop hooks, logging, UseSend's) would act
// on. The suite's feature tests send through both paths; this one checks
// the choice itself.
func TestQuiet(t *testing.T) {
	dir := t.TempDir()
	netrc := filepath.Join(dir, "netrc")
	if err := os.WriteFile(netrc, []byte("machine example.test login ada password s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte("# no entries\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	atInfo, _ := observer.New(zapcore.InfoLevel)
	atError, _ := observer.New(zapcore.ErrorLevel)
	trail, _ := explain.With(context.Background())
	cases := []struct {
		name  string
		netrc string
		opts  []SessionOption
		set   func(*Session)
		ctx   context.Context
		want  bool
	}{
		{name: "a default session", want: true},
		{name: "a netrc file without entries", netrc: empty, want: true},
		{name: "a logger that logs nothing at Warn", opts: []SessionOption{WithLogger(zap.New(atError))}, want: true},
		{name: "a caller's context of its own values", ctx: context.WithValue(context.Background(), callerKey{}, 1), want: true},
		{name: "session auth", set: func(s *Session) { s.Auth = auth.Basic("ada", "s3cret") }},
		{name: "a netrc entry", netrc: netrc},
		{name: "a netrc entry, TrustEnv off", netrc: netrc, set: func(s *Session) { s.TrustEnv = false }, want: true},
		{name: "a cache", set: func(s *Session) { s.Cache = cache.New(cache.Options{Store: cache.Memory(1 << 20)}) }},
		{name: "session retries", opts: []SessionOption{WithRetry(RetryOptions{MaxAttempts: 2})}},
		{name: "session timeouts", opts: []SessionOption{WithTimeouts(Timeouts{ResponseHeader: time.Second})}},
		{name: "a logger at Info", opts: []SessionOption{WithLogger(zap.New(atInfo))}},
		{name: "UseSend", set: func(s *Session) { s.UseSend(func(rt http.RoundTripper) http.RoundTripper { return rt }) }},
		{name: "per-request auth", ctx: auth.NewContext(context.Background(), auth.Basic("ada", "s3cret"))},
		{name: "per-request retries", ctx: middleware.WithRetry(context.Background(), RetryOptions{MaxAttempts: 2})},
		{name: "per-request timeouts", ctx: middleware.WithTimeouts(context.Background(), Timeouts{IdleBody: time.Second})},
		{name: "an explained call", ctx: trail},
		{name: "hooks on every hop", ctx: hooks.WithHops(context.Background())},
		{name: "session hooks, which run above the mounts", set: func(s *Session) {
			s.Hooks.OnRequest(func(*http.Request) error { return nil })
		}, want: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.netrc == "" {
				c.netrc = empty // not the machine's ~/.netrc
			}
			t.Setenv("NETRC", c.netrc)
			s := NewSession(c.opts...)
			if c.set != nil {
				c.set(s)
			}
			ctx := c.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://example.test/", nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.quiet(req); got != c.want {
				t.Errorf("quiet = %v, want %v", got, c.want)
			}
		})
	}
}

type callerKey struct{}
