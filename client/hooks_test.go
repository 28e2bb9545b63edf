package client_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/httpbintest"
)

func TestHooksOrderAndReplacement(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	var trace []string
	s.Hooks.OnRequest(func(r *http.Request) error { trace = append(trace, "session request"); return nil })
	s.Hooks.OnResponse(func(r *http.Response) (*http.Response, error) {
		trace = append(trace, "session response "+r.Request.URL.Path)
		return nil, nil
	})
	r := mustDo(t, s, "GET", srv.URL+"/redirect/2",
		client.HookRequest(func(r *http.Request) error {
			trace = append(trace, "request")
			r.Header.Set("X-From-Hook", "1")
			return nil
		}),
		client.HookResponse(func(r *http.Response) (*http.Response, error) {
			trace = append(trace, "response")
			return &http.Response{StatusCode: 299, Status: "299 Replaced", Header: http.Header{},
				Body: io.NopCloser(strings.NewReader("replaced")), Request: r.Request}, nil
		}))
	want := []string{"session request", "request", "session response /get", "response"}
	if diff := cmp.Diff(want, trace); diff != "" {
		t.Errorf("hook order (-want +got):\n%s", diff)
	}
	if text, _ := r.Text(); r.StatusCode != 299 || text != "replaced" {
		t.Errorf("replacement: %d %q", r.StatusCode, text)
	}
}

func TestHookRedirectsSeesHops(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	var seen []int
	mustDo(t, s, "GET", srv.URL+"/redirect/2", client.HookRedirects(),
		client.HookResponse(func(r *http.Response) (*http.Response, error) {
			seen = append(seen, r.StatusCode)
			return nil, nil
		}))
	if diff := cmp.Diff([]int{302, 302, 200}, seen); diff != "" {
		t.Errorf("statuses seen (-want +got):\n%s", diff)
	}
}

func TestHookErrorFailsTheCall(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	_, err := s.Get(context.Background(), srv.URL+"/get", client.HookRequest(func(*http.Request) error {
		return fmt.Errorf("refused by policy")
	}))
	if err == nil || !strings.Contains(err.Error(), "refused by policy") {
		t.Errorf("err = %v", err)
	}
}

func TestSessionLogsEachAttempt(t *testing.T) {
	srv := httpbin(t)
	core, logs := observer.New(zapcore.InfoLevel)
	s := newSession(t, client.WithLogger(zap.New(core)))
	mustDo(t, s, "GET", strings.Replace(srv.URL, "http://", "http://user:secret@", 1)+"/redirect/1")
	entries := logs.All()
	if len(entries) != 2 {
		t.Fatalf("%d log entries, want one per hop (2)", len(entries))
	}
	for _, e := range entries {
		if strings.Contains(fmt.Sprint(e.ContextMap()), "secret") {
			t.Errorf("a log entry shows the password: %v", e.ContextMap())
		}
	}
	if got := entries[1].ContextMap()["status"]; fmt.Sprint(got) != "200" {
		t.Errorf("second entry status = %v", got)
	}
}

// Requests' print_url example: a response hook that prints each URL.
func ExampleHookResponse() {
	srv := httpbintest.New()
	defer srv.Close()
	s := client.NewSession()
	defer s.CloseIdleConnections()
	printURL := func(r *http.Response) (*http.Response, error) {
		fmt.Println(r.Request.URL.Path)
		return nil, nil // nil keeps the response
	}
	_, _ = s.Get(context.Background(), srv.URL+"/get", client.HookResponse(printURL))
	// Output: /get
}
