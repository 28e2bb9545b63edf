package hooks_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/relayhttp/relay/hooks"
	"github.com/relayhttp/relay/middleware"
)

// A request hook that replaces the body must not leave the old GetBody,
// which would replay the old bytes on a 307 or an auth challenge.
func TestReplacedBodyDropsOldGetBody(t *testing.T) {
	var reg hooks.Registry
	reg.OnRequest(func(r *http.Request) error {
		r.Body = io.NopCloser(strings.NewReader("new"))
		r.ContentLength = 3
		return nil
	})
	var sent *http.Request
	rt := middleware.Chain(middleware.RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		sent = r
		return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
	}), hooks.Middleware(&reg))
	req, _ := http.NewRequest("POST", "http://x.test/", strings.NewReader("old"))
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if sent.GetBody != nil {
		b, _ := sent.GetBody()
		old, _ := io.ReadAll(b)
		t.Errorf("the sent request still replays %q", old)
	}
}
