package client

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/relayhttp/relay/cookiejar"
	"github.com/relayhttp/relay/middleware"
	"github.com/relayhttp/relay/transport"
)

// BenchmarkTurns takes a default Session's small GET apart on loopback:
// net/http sending relay's default headers, relay's base transport alone,
// then the light path's layers one by one over it, the whole stack, the
// stack sending the request Get builds, and a Session Get (which adds the
// Response and its body read). Each b.N is one round, in which every one
// of them sends a turn of 20 requests, in a new random order every round,
// and the metric of each is the median over the rounds of its turn's time
// over net/http's turn in the same round: runs of a few thousand rounds
// agree within about 1 %, where back-to-back benchmarks of the same code
// move by several percent. Run it with one CPU, as bench/http's report
// does (docs/benchmarks.md, "Piece by piece, in rounds"):
//
//	go test -run '^$' -bench Turns -benchtime 3000x -cpu 1 ./client/
func BenchmarkTurns(b *testing.B) {
	mux := http.NewServeMux()
	contentType, hello := []string{"text/plain; charset=utf-8"}, []byte("Hello, world\n")
	mux.HandleFunc("GET /small", func(w http.ResponseWriter, _ *http.Request) {
		w.Header()["Content-Type"] = contentType
		_, _ = w.Write(hello)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	url := srv.URL + "/small"
	ctx := context.Background()
	headers := NewSession().Headers

	base := func() *http.Transport {
		rt, err := transport.New(transport.IgnoreEnvironment(), transport.Proxy(nil))
		if err != nil {
			b.Fatal(err)
		}
		t := rt.(*http.Transport)
		b.Cleanup(t.CloseIdleConnections)
		return t
	}
	routed := func() http.RoundTripper { return &guarded{transport.Routed(base(), transport.PoolsOptions{})} }
	session := func() *Session {
		s := NewSession()
		b.Cleanup(s.CloseIdleConnections)
		return s
	}
	layers := session() // the session whose jar and route the partial stacks use
	jar, route := cookiejar.MiddlewareFrom(layers.currentJar), layers.route
	stack := session()
	built := session()
	get := session()

	request := func() *http.Request {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		for name, values := range headers {
			req.Header[name] = values
		}
		return req
	}
	readAndClose := func(resp *http.Response, err error) error {
		if err != nil {
			return err
		}
		body, err := io.ReadAll(resp.Body)
		if closeErr := resp.Body.Close(); err == nil {
			err = closeErr
		}
		if err == nil && (resp.StatusCode != http.StatusOK || string(body) != string(hello)) {
			err = fmt.Errorf("%s, body %q", resp.Status, body)
		}
		return err
	}
	through := func(rt http.RoundTripper) func() error {
		return func() error { return readAndClose(rt.RoundTrip(request())) }
	}
	netHTTP := &http.Client{Transport: base()}
	turns := []struct {
		name string
		send func() error
	}{
		{"net/http", func() error { return readAndClose(netHTTP.Do(request())) }}, // the reference
		{"transport", through(base())},
		{"routed", through(routed())},
		{"decompress", through(middleware.Chain(routed(), middleware.Decompress()))},
		{"route", through(middleware.Chain(routed(), route, middleware.Decompress()))},
		{"jar", through(middleware.Chain(routed(), jar, route, middleware.Decompress()))}, // the light path's layers
		{"stack", func() error { return readAndClose(stack.roundTrip(request(), true)) }},
		{"newRequest", func() error { // the request as Get builds it, sent as stack sends its own
			cfg := getConfig()
			defer putConfig(cfg)
			req, err := built.newRequest(ctx, http.MethodGet, url, cfg, nil)
			if err != nil {
				return err
			}
			return readAndClose(built.roundTrip(req, true))
		}},
		{"Get", func() error {
			r, err := get.Get(ctx, url)
			if err != nil {
				return err
			}
			body, err := r.Bytes()
			if err == nil && string(body) != string(hello) {
				err = fmt.Errorf("body %q", body)
			}
			return err
		}},
	}

	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for _, t := range turns {
		for range 200 { // connections dialled, pools and caches filled
			if err := t.send(); err != nil {
				b.Fatalf("%s: %v", t.name, err)
			}
		}
	}
	const turn = 20
	took := make([]time.Duration, len(turns))
	ratios := make([][]float64, len(turns))
	b.ReportAllocs()
	for b.Loop() {
		for _, i := range rand.Perm(len(turns)) {
			start := time.Now()
			for range turn {
				if err := turns[i].send(); err != nil {
					b.Fatalf("%s: %v", turns[i].name, err)
				}
			}
			took[i] = time.Since(start)
		}
		for i := range turns {
			ratios[i] = append(ratios[i], float64(took[i])/float64(took[0]))
		}
	}
	for i, t := range turns[1:] {
		r := ratios[i+1]
		slices.Sort(r)
		b.ReportMetric(r[len(r)/2], fmt.Sprintf("%s/net-http", t.name))
	}
}
