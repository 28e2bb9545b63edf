package auth_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/middleware"
)

// benchOrigin is an in-memory origin: it challenges a request without
// Authorization once (Digest) and answers everything else with 200, reusing
// one response so that the benchmark measures the middleware.
type benchOrigin struct{ challenge string }

func (o benchOrigin) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Header.Get("Authorization") == "" && o.challenge != "" {
		return &http.Response{StatusCode: 401, Header: http.Header{"Www-Authenticate": {o.challenge}}, Body: http.NoBody, Request: r}, nil
	}
	return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
}

// BenchmarkAuth compares one request through the auth middleware with Basic
// and with Digest after its first challenge: Digest costs hashing on top of
// Basic, never a round trip (each iteration is one RoundTrip of the origin).
func BenchmarkAuth(b *testing.B) {
	for _, bc := range []struct {
		name      string
		a         auth.Authenticator
		challenge string
	}{
		{"Basic", auth.Basic("user", "passwd"), ""},
		{"Bearer", auth.Bearer("token"), ""},
		{"Digest-MD5", auth.Digest("user", "passwd"), `Digest realm="r", qop="auth", algorithm=MD5, nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"`},
		{"Digest-SHA-256", auth.Digest("user", "passwd"), `Digest realm="r", qop="auth", algorithm=SHA-256, nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"`},
		{"Digest-SHA-256-sess", auth.Digest("user", "passwd"), `Digest realm="r", qop="auth", algorithm=SHA-256-sess, nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"`},
	} {
		b.Run(bc.name, func(b *testing.B) {
			origin := benchOrigin{bc.challenge}
			var trips int
			counting := rtFunc(func(r *http.Request) (*http.Response, error) { trips++; return origin.RoundTrip(r) })
			rt := middleware.Chain(counting, auth.Middleware(bc.a))
			req, _ := http.NewRequest("GET", "http://example.test/dir/index.html?page=2", nil)
			resp, err := rt.RoundTrip(req) // the first challenge
			if err != nil || resp.StatusCode != 200 {
				b.Fatal(resp, err)
			}
			trips = 0
			b.ReportAllocs()
			for b.Loop() {
				resp, err := rt.RoundTrip(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
			}
			if trips != b.N {
				b.Fatalf("%d round trips for %d requests", trips, b.N)
			}
		})
	}
}

// BenchmarkDigestParallel measures many goroutines sharing one Digest
// authenticator (one mutex-guarded nonce count).
func BenchmarkDigestParallel(b *testing.B) {
	a := auth.Digest("user", "passwd")
	rt := middleware.Chain(benchOrigin{`Digest realm="r", qop="auth", algorithm=SHA-256, nonce="n"`}, auth.Middleware(a))
	req, _ := http.NewRequest("GET", "http://example.test/", nil)
	if _, err := rt.RoundTrip(req); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		req, _ := http.NewRequest("GET", "http://example.test/", nil)
		for pb.Next() {
			if _, err := rt.RoundTrip(req); err != nil {
				b.Fatal(err)
			}
		}
	})
}
