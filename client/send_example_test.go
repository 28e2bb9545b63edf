package client_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/httpbintest"
	"github.com/relayhttp/relay/middleware"
)

// UseSend's middlewares see every physical send: here a call that is
// redirected twice makes three sends, where a Use middleware sees one call.
func ExampleSession_UseSend() {
	srv := httpbintest.New()
	defer srv.Close()

	s := client.NewSession()
	defer s.CloseIdleConnections()
	s.UseSend(func(next http.RoundTripper) http.RoundTripper {
		return middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			resp, err := next.RoundTrip(req)
			if err == nil {
				fmt.Println("sent", req.Method, req.URL.Path, "→", resp.StatusCode)
			}
			return resp, err
		})
	})
	r, err := s.Get(context.Background(), srv.URL+"/redirect/2")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("call →", r.StatusCode, "after", len(r.History), "redirects")
	// Output:
	// sent GET /redirect/2 → 302
	// sent GET /relative-redirect/1 → 302
	// sent GET /get → 200
	// call → 200 after 2 redirects
}

// Configure is how a package outside client offers a SessionOption: here
// one that counts the sends of every session made with it.
func ExampleConfigure() {
	srv := httpbintest.New()
	defer srv.Close()

	sends := 0
	countSends := client.Configure(func(s *client.Session) {
		s.UseSend(func(next http.RoundTripper) http.RoundTripper {
			return middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
				sends++ // one request at a time here; use an atomic counter otherwise
				return next.RoundTrip(req)
			})
		})
	})
	s := client.NewSession(countSends)
	defer s.CloseIdleConnections()
	if _, err := s.Get(context.Background(), srv.URL+"/redirect/3"); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sends, "sends")
	// Output:
	// 4 sends
}
