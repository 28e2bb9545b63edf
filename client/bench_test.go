package client_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"strconv"
	"strings"
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

// cannedTransport answers every request with the same small text response,
// without a network: what is left in a benchmark over it is the client's own
// cost.
type cannedTransport struct{}

func (cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	return &http.Response{
		StatusCode: 200, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "Content-Length": {"13"}},
		Body:          io.NopCloser(strings.NewReader("hello, world\n")),
		ContentLength: 13,
		Request:       req,
	}, nil
}

// BenchmarkOverhead measures what a Session adds to a request, over a
// transport that answers from memory: net-http is an http.Client over the
// same transport; session-get adds two session headers, a jar with one
// cookie, a per-request header and a param.
func BenchmarkOverhead(b *testing.B) {
	ctx := context.Background()
	b.Run("net-http", func(b *testing.B) { benchCannedBare(b, ctx) })
	b.Run("relay", func(b *testing.B) { benchCannedRelay(b, ctx) })
	b.Run("session-get", func(b *testing.B) {
		s := client.NewSession(client.WithTransport(cannedTransport{}))
		s.Headers.Set("X-Api-Version", "2")
		s.Headers.Set("X-Client", "bench")
		u, _ := neturl.Parse(cannedURL)
		s.Jar.SetCookies(u, []*http.Cookie{{Name: "session", Value: "abc123"}})
		b.ReportAllocs()
		for b.Loop() {
			r, err := s.Get(ctx, cannedURL, client.Header("X-Request-Id", "42"), client.Param("page", "2"))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := r.Bytes(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// callerContext returns a cancelable context holding depth values of its
// own, as a server handler's context holds the server's, the router's, the
// tracer's and the logger's: what relay's lookups of its own keys must not
// walk once for each key (internal/relayctx).
func callerContext(depth int) (context.Context, context.CancelFunc) {
	type callerKey int
	ctx := context.Background()
	for i := range depth {
		ctx = context.WithValue(ctx, callerKey(i), i)
	}
	return context.WithCancel(ctx)
}

// BenchmarkCallerContext is BenchmarkOverhead's small GET made with a
// caller's context of 0 to 32 values: relay's cost should stay flat, as
// net/http's does.
func BenchmarkCallerContext(b *testing.B) {
	for _, depth := range []int{0, 8, 32} {
		ctx, cancel := callerContext(depth)
		b.Run("net-http/"+strconv.Itoa(depth), func(b *testing.B) { benchCannedBare(b, ctx) })
		b.Run("relay/"+strconv.Itoa(depth), func(b *testing.B) { benchCannedRelay(b, ctx) })
		cancel()
	}
}

// cannedURL is the URL of the small GETs over cannedTransport.
const cannedURL = "http://example.test/get"

// benchCannedBare times an http.Client's small GET over cannedTransport.
func benchCannedBare(b *testing.B, ctx context.Context) {
	hc := &http.Client{Transport: cannedTransport{}}
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, cannedURL, nil)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.ReadAll(resp.Body)
		resp.Body.Close()
	}
}

// benchCannedRelay times a default Session's small GET over cannedTransport.
func benchCannedRelay(b *testing.B, ctx context.Context) {
	s := client.NewSession(client.WithTransport(cannedTransport{}))
	b.ReportAllocs()
	for b.Loop() {
		r, err := s.Get(ctx, cannedURL)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}
