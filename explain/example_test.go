package explain_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/explain"
	"github.com/relayhttp/relay/middleware"
)

// A session's call explained: its trail prints as curl -v style lines.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	s := client.NewSession()
	defer s.CloseIdleConnections()
	s.TrustEnv = false
	s.Headers.Set("X-Api-Key", "k-123")
	r, err := s.Get(context.Background(), srv.URL, client.Explain(), client.Without("Accept"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(r.Explain())
	// Output:
	// * header Accept removed ← request option Without
	// * header Accept-Encoding: gzip, deflate, br, zstd ← session default
	// * header User-Agent: relay/0.1.0 ← session default
	// * header X-Api-Key: [redacted] ← session default
	// * mount http:// (the longest mounted prefix that matches)
	// * proxy none (no proxy key or variable matches the URL; the transport's own setting applies)
}

// A middleware of your own notes its decisions with KindUser; a context
// from With collects a trail for any *http.Client, and for calls that
// fail.
func ExampleNote() {
	tenant := func(next http.RoundTripper) http.RoundTripper {
		return middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			explain.Note(req.Context(), explain.Decision{Kind: explain.KindUser, Subject: "tenant",
				Value: "acme", Source: "X-Tenant routing"})
			return next.RoundTrip(req)
		})
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	hc := middleware.Wrap(&http.Client{}, tenant)
	defer hc.CloseIdleConnections()

	ctx, trail := explain.With(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	resp, err := hc.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Print(trail)
	for _, d := range trail.Decisions() {
		fmt.Println(d.Kind, d.Subject, d.Value, d.Hop)
	}
	// Output:
	// * user tenant: acme ← X-Tenant routing
	// user tenant acme 1
}
