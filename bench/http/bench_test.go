package httpbench

import (
	"context"

	"runtime"
	"strconv"
	"testing"

	"github.com/relayhttp/relay/cache"
)

// Each benchmark starts one loopback server and runs net/http and relay
// against it back to back, so that the pair shares the machine's state.
// Each sub-benchmark closes its client's idle connections when it is done.

// BenchmarkSmallGET fetches a 13-byte text response: bare is Client.Get +
// io.ReadAll + Close, relay is Session.Get + Response.Bytes.
func BenchmarkSmallGET(b *testing.B) {
	srv := newServer(b)
	url := srv.URL + "/small"
	ctx := context.Background()
	b.Run("net-http", func(b *testing.B) {
		c, tr := bareClient()
		defer tr.CloseIdleConnections()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := bareGet(c, url); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("relay", func(b *testing.B) {
		s := newSession()
		defer s.CloseIdleConnections()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := relayGet(ctx, s, url); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkImageGET fetches a 32 KiB image/png of noise, read up front: a
// body without a charset that is not text, whose encoding relay determines
// as it arrives (Response.Encoding). Bare and relay read it as SmallGET
// does.
func BenchmarkImageGET(b *testing.B) {
	srv := newServer(b)
	url := srv.URL + "/image"
	ctx := context.Background()
	b.Run("net-http", func(b *testing.B) {
		c, tr := bareClient()
		defer tr.CloseIdleConnections()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := bareGet(c, url); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("relay", func(b *testing.B) {
		s := newSession()
		defer s.CloseIdleConnections()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := relayGet(ctx, s, url); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCachedGET compares a fresh hit of relay's cache with the same
// GET through the same kind of session without a cache (target: a hit costs
// at most a quarter, with no more allocations), and checks that a session
// whose Cache is nil costs what SmallGET's relay row costs.
func BenchmarkCachedGET(b *testing.B) {
	srv := newServer(b)
	url := srv.URL + "/cacheable"
	ctx := context.Background()
	b.Run("relay-uncached", func(b *testing.B) {
		s := newSession()
		defer s.CloseIdleConnections()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := relayGet(ctx, s, url); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("relay-hit", func(b *testing.B) {
		s := newSession()
		defer s.CloseIdleConnections()
		s.Cache = cache.New(cache.Options{})
		if _, err := relayGet(ctx, s, url); err != nil { // the miss that stores it
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := relayGet(ctx, s, url); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkPostJSON posts a small struct as JSON and reads the echo: bare is
// json.Marshal + http.NewRequest + Do + io.ReadAll, relay is
// Session.Post(client.JSON(v)) + Response.Bytes.
func BenchmarkPostJSON(b *testing.B) {
	srv := newServer(b)
	url := srv.URL + "/json"
	ctx := context.Background()
	b.Run("net-http", func(b *testing.B) {
		c, tr := bareClient()
		defer tr.CloseIdleConnections()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := barePostJSON(ctx, c, url, &samplePayload); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("relay", func(b *testing.B) {
		s := newSession()
		defer s.CloseIdleConnections()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := relayPostJSON(ctx, s, url, &samplePayload); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// streamSizes are the body sizes of the streaming benchmarks. Two sizes
// show whether memory grows with the body: B/op (the heap allocated per
// operation, server included) should be the same for both.
var streamSizes = []struct {
	name string
	n    int64
}{
	{"size=8MiB", 8 << 20},
	{"size=64MiB", 64 << 20},
}

// BenchmarkDownload streams a body of zeros into io.Discard: bare copies
// resp.Body, relay copies Response.Body of a call made with client.Stream.
func BenchmarkDownload(b *testing.B) {
	srv := newServer(b)
	ctx := context.Background()
	for _, size := range streamSizes {
		url := srv.URL + "/download?n=" + strconv.FormatInt(size.n, 10)
		b.Run(size.name+"/net-http", func(b *testing.B) {
			c, tr := bareClient()
			defer tr.CloseIdleConnections()
			b.ReportAllocs()
			b.SetBytes(size.n)
			for b.Loop() {
				if n, err := bareDownload(c, url); err != nil || n != size.n {
					b.Fatalf("read %d bytes, %v; want %d", n, err, size.n)
				}
			}
		})
		b.Run(size.name+"/relay", func(b *testing.B) {
			s := newSession()
			defer s.CloseIdleConnections()
			b.ReportAllocs()
			b.SetBytes(size.n)
			for b.Loop() {
				if n, err := relayDownload(ctx, s, url); err != nil || n != size.n {
					b.Fatalf("read %d bytes, %v; want %d", n, err, size.n)
				}
			}
		})
	}
}

// BenchmarkUpload streams a body of zeros of unknown length (so chunked) to
// a server that discards it: bare is http.NewRequest with the reader + Do,
// relay is Session.Post(client.Body(reader)).
func BenchmarkUpload(b *testing.B) {
	srv := newServer(b)
	url := srv.URL + "/upload"
	ctx := context.Background()
	for _, size := range streamSizes {
		b.Run(size.name+"/net-http", func(b *testing.B) {
			c, tr := bareClient()
			defer tr.CloseIdleConnections()
			b.ReportAllocs()
			b.SetBytes(size.n)
			for b.Loop() {
				if _, err := bareUpload(ctx, c, url, size.n); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(size.name+"/relay", func(b *testing.B) {
			s := newSession()
			defer s.CloseIdleConnections()
			b.ReportAllocs()
			b.SetBytes(size.n)
			for b.Loop() {
				if _, err := relayUpload(ctx, s, url, size.n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// concurrency is how many goroutines share one client in
// BenchmarkParallelGET.
const concurrency = 64

// BenchmarkParallelGET runs small GETs from 64 goroutines sharing one
// client: one tuned *http.Client, or one Session. It reports requests per
// second, and how many connections the server accepted during the run: a
// few dozen are dialled as the 64 goroutines start; a pool too small for the
// load re-dials, and then the count grows with the number of requests.
func BenchmarkParallelGET(b *testing.B) {
	srv := newServer(b)
	url := srv.URL + "/small"
	ctx := context.Background()
	procs := runtime.GOMAXPROCS(0)
	par := (concurrency + procs - 1) / procs // goroutines = par × GOMAXPROCS

	b.Run("net-http", func(b *testing.B) {
		c, tr := bareClient()
		defer tr.CloseIdleConnections()
		b.ReportAllocs()
		b.SetParallelism(par)
		conns := srv.conns.Load()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := bareGet(c, url); err != nil {
					b.Error(err)
					return
				}
			}
		})
		reportThroughput(b, srv.conns.Load()-conns)
	})
	b.Run("relay", func(b *testing.B) {
		s := newSession()
		defer s.CloseIdleConnections()
		b.ReportAllocs()
		b.SetParallelism(par)
		conns := srv.conns.Load()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := relayGet(ctx, s, url); err != nil {
					b.Error(err)
					return
				}
			}
		})
		reportThroughput(b, srv.conns.Load()-conns)
	})
}

// reportThroughput reports requests per second, and the connections dialled,
// for a parallel run of b.N requests.
func reportThroughput(b *testing.B, dials int64) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	b.ReportMetric(float64(dials), "dials")
}
