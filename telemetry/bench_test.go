package telemetry_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/telemetry"
)

// smallGET serves the small GET of client's BenchmarkGet from a bare
// HTTP/1.1 responder that allocates nothing per request, so that the
// allocations counted are the client's alone (a net/http server would
// count one more for every header telemetry adds).
func smallGET(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	const response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nhello, world\n"
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Go(func() {
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadSlice('\n')
					if err != nil {
						return
					}
					if len(line) <= 2 { // the blank line after the headers
						if _, err := io.WriteString(c, response); err != nil {
							return
						}
					}
				}
			})
		}
	})
	tb.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return "http://" + ln.Addr().String() + "/"
}

// droppingSession is a session with telemetry on, a sampler that drops
// every span, W3C propagation, and no metrics (the global no-op meter).
func droppingSession(tb testing.TB) *client.Session {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.NeverSample()))
	tb.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	s := client.NewSession(telemetry.With(telemetry.Options{
		TracerProvider: tp, MeterProvider: noop.NewMeterProvider(), Propagators: propagation.TraceContext{},
	}))
	tb.Cleanup(s.CloseIdleConnections)
	return s
}

func get(tb testing.TB, s *client.Session, url string) {
	r, err := s.Get(context.Background(), url)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := r.Bytes(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkGet compares a small GET without telemetry, with telemetry and
// a sampler that drops everything, and with every span recorded.
func BenchmarkGet(b *testing.B) {
	url := smallGET(b)
	b.Run("off", func(b *testing.B) {
		s := client.NewSession()
		defer s.CloseIdleConnections()
		b.ReportAllocs()
		for b.Loop() {
			get(b, s, url)
		}
	})
	b.Run("never-sample", func(b *testing.B) {
		s := droppingSession(b)
		b.ReportAllocs()
		for b.Loop() {
			get(b, s, url)
		}
	})
	b.Run("recorded", func(b *testing.B) {
		h := newHarness(b)
		s := h.session(b)
		b.ReportAllocs()
		for b.Loop() {
			get(b, s, url)
			h.spans.Reset()
		}
	})
}
