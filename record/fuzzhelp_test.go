package record_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/relayhttp/relay/middleware"
	"github.com/relayhttp/relay/record"
)

// recordFuzzed records one exchange with the given parts through a
// transport that answers from memory, replays it, and returns the
// recorded entries; nil when the request cannot be built.
func recordFuzzed(t *testing.T, u, authz, cookie, setCookie, body, mimeType string) []record.Entry {
	req, err := http.NewRequest("POST", u, strings.NewReader(body))
	if err != nil {
		return nil
	}
	req.Header.Set("Authorization", authz)
	req.Header.Set("Cookie", cookie)
	req.Header.Set("Content-Type", mimeType)
	answer := middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(req.Body)
		req.Body.Close()
		return &http.Response{StatusCode: 200, Status: "200 OK", Request: req,
			Header: http.Header{"Set-Cookie": {setCookie}, "Content-Type": {mimeType}},
			Body:   io.NopCloser(strings.NewReader(string(b) + req.URL.RawQuery))}, nil
	})
	path := t.TempDir() + "/f.har"
	rec, err := record.Open(path, record.Record)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := rec.Middleware()(answer).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	entries := rec.Entries()
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	replay, err := record.Open(path, record.Replay)
	if err != nil {
		t.Fatalf("reading what was written: %v", err)
	}
	again, _ := http.NewRequest("POST", u, strings.NewReader(body))
	again.Header = req.Header.Clone()
	resp, err = replay.Middleware()(nil).RoundTrip(again)
	if err != nil {
		t.Fatalf("the recorded request does not match itself: %v", err)
	}
	resp.Body.Close()
	return entries
}
