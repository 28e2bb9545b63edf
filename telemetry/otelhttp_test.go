package telemetry_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/trace"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/transport"
)

// traceparents is a server that records the traceparent of every request
// and redirects /start to /end.
func traceparents(t *testing.T) (*httptest.Server, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get("Traceparent"))
		mu.Unlock()
		if r.URL.Path == "/start" {
			http.Redirect(w, r, "/end", http.StatusFound)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), got...)
	}
}

// otelhttp wrapped around the session's base transport, as it usually is
// (otelhttp.NewTransport without a TracerProvider of its own), asks the
// span in the request's context for its tracer: relay's send span answers
// with one that makes no nested CLIENT span, so each send has one CLIENT
// span, relay's, and carries its traceparent.
func TestOtelhttpBelowMakesNoSecondClientSpan(t *testing.T) {
	h := newHarness(t)
	srv, got := traceparents(t)
	base, err := transport.New(transport.IgnoreEnvironment())
	if err != nil {
		t.Fatal(err)
	}
	s := h.session(t, client.WithTransport(otelhttp.NewTransport(base,
		otelhttp.WithPropagators(propagation.TraceContext{}), otelhttp.WithMeterProvider(h.mp))))
	ctx, root := h.root(context.Background())
	r, err := s.Get(ctx, srv.URL+"/start")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	root.End()

	sends := h.ended(trace.SpanKindClient)
	if len(sends) != 2 {
		t.Fatalf("%d CLIENT spans for 2 sends, want 2: %v", len(sends), spanNames(sends))
	}
	wire := got()
	for i, sp := range sends {
		if sp.InstrumentationScope.Name != "github.com/relayhttp/relay/telemetry" {
			t.Errorf("CLIENT span %d is %s's", i, sp.InstrumentationScope.Name)
		}
		if want := fmt.Sprintf("00-%s-%s-01", root.SpanContext().TraceID(), sp.SpanContext.SpanID()); wire[i] != want {
			t.Errorf("send %d traceparent %q, want relay's span %q", i, wire[i], want)
		}
	}
	// otelhttp still records its own metric, under its own scope.
	if n := otelhttpSends(t, h); n != 2 {
		t.Errorf("otelhttp counted %d sends, want 2", n)
	}
	h.assertNoneOpen(t)
}

// Given a TracerProvider of its own, otelhttp does not ask the context,
// and makes its CLIENT span under relay's: two per send, otelhttp's the
// child, and the traceparent on the wire is otelhttp's (it injects last).
func TestOtelhttpWithItsOwnProviderMakesAChildSpan(t *testing.T) {
	h := newHarness(t)
	srv, got := traceparents(t)
	base, err := transport.New(transport.IgnoreEnvironment())
	if err != nil {
		t.Fatal(err)
	}
	s := h.session(t, client.WithTransport(otelhttp.NewTransport(base,
		otelhttp.WithTracerProvider(h.tp), otelhttp.WithPropagators(propagation.TraceContext{}))))
	r, err := s.Get(context.Background(), srv.URL+"/start")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()

	var relay, theirs []sdkSpan
	for _, sp := range h.ended(trace.SpanKindClient) {
		if sp.InstrumentationScope.Name == "github.com/relayhttp/relay/telemetry" {
			relay = append(relay, sp)
		} else {
			theirs = append(theirs, sp)
		}
	}
	if len(relay) != 2 || len(theirs) != 2 {
		t.Fatalf("relay made %d CLIENT spans and otelhttp %d, want 2 and 2", len(relay), len(theirs))
	}
	wire := got()
	for i := range relay {
		if theirs[i].Parent.SpanID() != relay[i].SpanContext.SpanID() {
			t.Errorf("otelhttp's span %d is not a child of relay's", i)
		}
		if want := fmt.Sprintf("00-%s-%s-01", relay[i].SpanContext.TraceID(), theirs[i].SpanContext.SpanID()); wire[i] != want {
			t.Errorf("send %d traceparent %q, want otelhttp's %q", i, wire[i], want)
		}
	}
}

func spanNames(spans []sdkSpan) []string {
	var names []string
	for _, s := range spans {
		names = append(names, s.InstrumentationScope.Name+": "+s.Name)
	}
	return names
}

// otelhttpSends is the count of otelhttp's http.client.request.duration.
func otelhttpSends(t *testing.T, h *harness) uint64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := h.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	var n uint64
	for _, sm := range rm.ScopeMetrics {
		if sm.Scope.Name != otelhttp.ScopeName {
			continue
		}
		for _, m := range sm.Metrics {
			if m.Name != "http.client.request.duration" {
				continue
			}
			if hist, ok := m.Data.(metricdata.Histogram[float64]); ok {
				for _, p := range hist.DataPoints {
					n += p.Count
				}
			}
		}
	}
	return n
}
