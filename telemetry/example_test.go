package telemetry_test

import (
	"context"
	"fmt"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/httpbintest"
	"github.com/relayhttp/relay/telemetry"
)

// A call redirected once is one INTERNAL span with two CLIENT spans under
// it, the second a resend.
func ExampleWith() {
	srv := httpbintest.New()
	defer srv.Close()
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	defer tp.Shutdown(context.Background())

	s := client.NewSession(telemetry.With(telemetry.Options{
		TracerProvider: tp,
		Propagators:    propagation.TraceContext{},
	}))
	defer s.CloseIdleConnections()
	r, err := s.Get(context.Background(), srv.URL+"/redirect/1")
	if err != nil {
		fmt.Println(err)
		return
	}
	r.Body.Close()

	// Spans are exported as they end: the sends, the call at its final
	// headers, and the body read (Get reads it whole) when it ended.
	for _, sp := range spans.GetSpans() {
		fmt.Println(sp.SpanKind, sp.Name, pick(sp.Attributes,
			"http.response.status_code", "http.request.resend_count", "relay.send.cause", "relay.sends", "relay.redirects", "relay.body.outcome"))
	}
	// Output:
	// client GET http.response.status_code=302 relay.send.cause=first
	// client GET http.response.status_code=200 http.request.resend_count=1 relay.send.cause=redirect
	// internal relay GET http.response.status_code=200 relay.sends=2 relay.redirects=1
	// internal relay body relay.body.outcome=eof
}

// pick prints the attributes named, in that order, that attrs has.
func pick(attrs []attribute.KeyValue, keys ...string) string {
	var out []string
	for _, k := range keys {
		for _, kv := range attrs {
			if string(kv.Key) == k {
				out = append(out, k+"="+kv.Value.Emit())
			}
		}
	}
	return strings.Join(out, " ")
}
