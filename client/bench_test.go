package client_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/transport"
)

// BenchmarkGet compares a small GET through a default Session with the same
// GET on a bare net/http client over an equally tuned transport. The bench
// module has the fuller comparison; this one keeps allocations in view.
func BenchmarkGet(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello, world\n")
	}))
	defer srv.Close()
	ctx := context.Background()

	b.Run("net-http", func(b *testing.B) {
		rt, _ := transport.New(transport.IgnoreEnvironment())
		hc := &http.Client{Transport: rt}
		defer hc.CloseIdleConnections()
		b.ReportAllocs()
		for b.Loop() {
			req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			io.ReadAll(resp.Body)
			resp.Body.Close()
		}
	})
	b.Run("relay", func(b *testing.B) {
		s := client.NewSession()
		defer s.CloseIdleConnections()
		b.ReportAllocs()
		for b.Loop() {
			r, err := s.Get(ctx, srv.URL)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := r.Bytes(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
