package client_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/explain"
)

// BenchmarkGetExplain is BenchmarkGet's small GET through a default
// Session, unexplained and explained: docs/explain.md's target is at most
// 1.15 times the time of the unexplained one. A trail is made first, so
// that "off" pays the context lookups of a process where some calls are
// explained (BenchmarkGet, run alone, measures one where none is).
func BenchmarkGetExplain(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello, world\n")
	}))
	defer srv.Close()
	ctx := context.Background()
	explain.With(ctx)
	for _, bc := range []struct {
		name string
		opts []client.Option
	}{
		{"off", nil},
		{"on", []client.Option{client.Explain()}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s := client.NewSession()
			defer s.CloseIdleConnections()
			b.ReportAllocs()
			for b.Loop() {
				r, err := s.Get(ctx, srv.URL, bc.opts...)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := r.Bytes(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
