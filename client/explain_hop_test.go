package client_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/cookiejar"
	"github.com/relayhttp/relay/explain"
	"github.com/relayhttp/relay/middleware"
	"github.com/relayhttp/relay/transport"
)

// Explain tests of the per-hop decisions below auth: cookies, retries,
// timeouts, the cache, and a user's own middleware.

func TestExplainCookies(t *testing.T) {
	srv := httpbin(t)
	var d net.Dialer
	rt, err := transport.New(transport.IgnoreEnvironment(), transport.Proxy(nil),
		transport.DialContext(func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, srv.Listener.Addr().String())
		}))
	if err != nil {
		t.Fatal(err)
	}
	s := newSession(t, client.WithTransport(rt))
	jar := s.Jar.(*cookiejar.Jar)
	site := &url.URL{Scheme: "https", Host: "a.example.com", Path: "/"}
	jar.SetCookies(site, []*http.Cookie{
		{Name: "plain", Value: "v1"},
		{Name: "secure", Value: "v2", Secure: true},
		{Name: "admin", Value: "v3", Path: "/admin"},
	})
	jar.SetCookies(&url.URL{Scheme: "https", Host: "b.example.com", Path: "/"}, []*http.Cookie{{Name: "other", Value: "v4"}})
	r := mustDo(t, s, "GET", "http://a.example.com/headers", client.Explain())
	tr := r.Explain()
	want(t, tr, explain.KindCookie, "plain", explain.ActionSent, "jar")
	want(t, tr, explain.KindCookie, "secure", explain.ActionWithheld, "Secure cookie over http")
	want(t, tr, explain.KindCookie, "admin", explain.ActionWithheld, "path /admin does not match /headers")
	want(t, tr, explain.KindCookie, "other", explain.ActionWithheld, "host-only cookie of b.example.com")
	if got := echo(t, r).Headers.Get("Cookie"); got != "plain=v1" {
		t.Errorf("Cookie sent: %q", got)
	}
	r = mustDo(t, s, "GET", "http://a.example.com/headers", client.Explain(), client.Cookie(&http.Cookie{Name: "plain", Value: "mine"}))
	want(t, r.Explain(), explain.KindCookie, "plain", explain.ActionSent, "request option Cookie")
}

func TestExplainRetryAndTimeout(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/slow":
			time.Sleep(200 * time.Millisecond)
		case calls.Add(1) == 1:
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(srv.Close)
	s := newSession(t, client.WithRetry(client.RetryOptions{BaseDelay: -1}))
	r := mustDo(t, s, "GET", srv.URL+"/flaky", client.Explain())
	d := want(t, r.Explain(), explain.KindRetry, "after status 503", explain.ActionRetried, "wait 0s")
	if d.Attempt != 2 || !strings.Contains(r.Explain().String(), "* attempt 2: retry after status 503 (wait 0s)\n") {
		t.Errorf("attempt %d, text:\n%s", d.Attempt, r.Explain())
	}

	ctx, tr := explain.With(context.Background())
	_, err := s.Get(ctx, srv.URL+"/slow", client.NoRetry(), client.WithTimeouts(client.Timeouts{ResponseHeader: 20 * time.Millisecond}))
	if err == nil {
		t.Fatal("the slow answer came in time")
	}
	want(t, tr, explain.KindTimeout, string(middleware.TimeoutResponseHeader), explain.ActionFired, "after 20ms")

	ctx, tr = explain.With(context.Background())
	if _, err := s.Get(ctx, srv.URL+"/slow", client.NoRetry(), client.Timeout(30*time.Millisecond)); err == nil {
		t.Fatal("the slow answer came in time")
	}
	want(t, tr, explain.KindTimeout, "call", explain.ActionFired, "after 30ms")
}

func TestExplainCache(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	s.Cache = cache.New(cache.Options{})
	for i, status := range []explain.Action{explain.ActionMiss, explain.ActionHit} {
		r := mustDo(t, s, "GET", srv.URL+"/cache/60", client.Explain())
		if got := r.Explain().Find(explain.KindCache, ""); len(got) != 1 || got[0].Action != status {
			t.Errorf("call %d: cache decisions %v, want %s", i+1, got, status)
		}
	}
}

func TestExplainUserMiddleware(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	s.Use(func(next http.RoundTripper) http.RoundTripper {
		return middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			explain.Note(req.Context(), explain.Decision{Kind: explain.KindUser, Subject: "tenant", Value: "acme",
				Action: explain.ActionChose, Source: "X-Tenant routing"})
			return next.RoundTrip(req)
		})
	})
	s.Explain = true
	r := mustDo(t, s, "GET", srv.URL+"/get")
	if got := fmt.Sprint(r.Explain()); !strings.Contains(got, "* user tenant: acme ← X-Tenant routing\n") {
		t.Errorf("text:\n%s", got)
	}
}
