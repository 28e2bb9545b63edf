package middleware_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/relayhttp/relay/middleware"
)

// TestLogAnswers: a response the layer below answered itself is logged
// with its cache field; one that was sent (answered says "") and a
// failure are not, since the logging middleware below logged them.
func TestLogAnswers(t *testing.T) {
	core, logs := observer.New(zapcore.InfoLevel)
	o := middleware.LogOptions{Logger: zap.New(core)}
	fail := errors.New("refused")
	below := middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		if req.URL.Path == "/fail" {
			return nil, fail
		}
		return &http.Response{StatusCode: 200, Header: http.Header{"X": {req.URL.Path}}, Body: http.NoBody, ContentLength: 7, Request: req}, nil
	})
	answered := func(resp *http.Response) string {
		if resp.Header.Get("X") == "/stored" {
			return "hit"
		}
		return ""
	}
	rt := middleware.LogAnswersFrom(func() middleware.LogOptions { return o }, answered)(below)
	for _, path := range []string{"/stored", "/sent", "/fail"} {
		req, _ := http.NewRequest("GET", "http://user:pw@example.test"+path, nil)
		resp, err := rt.RoundTrip(req)
		if path == "/fail" != (err != nil) {
			t.Fatalf("%s: %v", path, err)
		}
		if resp != nil {
			resp.Body.Close()
		}
	}
	entries := logs.All()
	if len(entries) != 1 {
		t.Fatalf("%d entries, want the one of /stored: %v", len(entries), entries)
	}
	m := entries[0].ContextMap()
	if got := fmt.Sprint(m["url"], " ", m["status"], " ", m["cache"], " ", m["bytes"]); got != "http://example.test/stored 200 hit 7" {
		t.Errorf("entry %q", got)
	}

	o.Logger = nil // off: answered is not even asked
	rt = middleware.LogAnswersFrom(func() middleware.LogOptions { return o }, func(*http.Response) string {
		t.Error("answered called with logging off")
		return ""
	})(below)
	req, _ := http.NewRequest("GET", "http://example.test/stored", nil)
	if resp, err := rt.RoundTrip(req); err != nil || resp.StatusCode != 200 {
		t.Errorf("with logging off: %v, %v", resp, err)
	}
}
