package telemetry_test

import (
	"context"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/goleak"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/httpbintest"
	"github.com/relayhttp/relay/telemetry"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// harness is an OpenTelemetry SDK that keeps what it records: ended spans
// in memory, metrics behind a manual reader, and a count of the spans
// started and not ended.
type harness struct {
	spans  *tracetest.InMemoryExporter
	open   *openSpans
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
	mp     *sdkmetric.MeterProvider
}

func newHarness(t testing.TB, opts ...sdktrace.TracerProviderOption) *harness {
	t.Helper()
	h := &harness{spans: tracetest.NewInMemoryExporter(), open: &openSpans{}, reader: sdkmetric.NewManualReader()}
	opts = append([]sdktrace.TracerProviderOption{
		sdktrace.WithSyncer(h.spans),
		sdktrace.WithSpanProcessor(h.open),
		sdktrace.WithSampler(sdktrace.AlwaysSample()),
	}, opts...)
	h.tp = sdktrace.NewTracerProvider(opts...)
	h.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(h.reader))
	t.Cleanup(func() {
		_ = h.tp.Shutdown(context.Background())
		_ = h.mp.Shutdown(context.Background())
	})
	return h
}

// options are telemetry's options over the harness, with W3C trace context.
func (h *harness) options() telemetry.Options {
	return telemetry.Options{TracerProvider: h.tp, MeterProvider: h.mp, Propagators: propagation.TraceContext{}}
}

// session returns a session with telemetry over the harness, whose idle
// connections are closed when the test ends.
func (h *harness) session(t testing.TB, opts ...client.SessionOption) *client.Session {
	t.Helper()
	s := client.NewSession(append([]client.SessionOption{telemetry.With(h.options())}, opts...)...)
	t.Cleanup(s.CloseIdleConnections)
	return s
}

// root starts the caller's span, which every call span must be a child of.
func (h *harness) root(ctx context.Context) (context.Context, trace.Span) {
	return h.tp.Tracer("test").Start(ctx, "caller")
}

// ended returns the ended spans of kind k, in the order they ended.
func (h *harness) ended(k trace.SpanKind) tracetest.SpanStubs {
	var out tracetest.SpanStubs
	for _, s := range h.spans.GetSpans() {
		if s.SpanKind == k {
			out = append(out, s)
		}
	}
	return out
}

// named returns the ended spans called name.
func (h *harness) named(name string) tracetest.SpanStubs {
	var out tracetest.SpanStubs
	for _, s := range h.spans.GetSpans() {
		if s.Name == name {
			out = append(out, s)
		}
	}
	return out
}

// histogram returns the data points of the histogram called name.
func (h *harness) histogram(t testing.TB, name string) []metricdata.HistogramDataPoint[float64] {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := h.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	var points []metricdata.HistogramDataPoint[float64]
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != name || sm.Scope.Name != telemetry.ScopeName {
				continue
			}
			hist, ok := m.Data.(metricdata.Histogram[float64])
			if !ok {
				t.Fatalf("%s is a %T, want a float64 histogram", name, m.Data)
			}
			points = append(points, hist.DataPoints...)
		}
	}
	return points
}

// openSpans counts the spans started and not yet ended.
type openSpans struct {
	mu      sync.Mutex
	started map[trace.SpanID]string
}

func (o *openSpans) OnStart(_ context.Context, s sdktrace.ReadWriteSpan) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.started == nil {
		o.started = map[trace.SpanID]string{}
	}
	o.started[s.SpanContext().SpanID()] = s.Name()
}

func (o *openSpans) OnEnd(s sdktrace.ReadOnlySpan) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.started, s.SpanContext().SpanID())
}

func (o *openSpans) Shutdown(context.Context) error   { return nil }
func (o *openSpans) ForceFlush(context.Context) error { return nil }

// names returns the names of the spans still open, sorted.
func (o *openSpans) names() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var names []string
	for _, n := range o.started {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// assertNoneOpen fails the test if a span other than the caller's is open.
func (h *harness) assertNoneOpen(t testing.TB) {
	t.Helper()
	var open []string
	for _, n := range h.open.names() {
		if n != "caller" {
			open = append(open, n)
		}
	}
	if len(open) > 0 {
		t.Errorf("spans still open: %v", open)
	}
}

// attr returns the value of key on s, and whether s has it.
func attr(s tracetest.SpanStub, key attribute.Key) (attribute.Value, bool) {
	for _, kv := range s.Attributes {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return attribute.Value{}, false
}

// intAttr returns an int attribute of s, -1 when s has none.
func intAttr(s tracetest.SpanStub, key attribute.Key) int64 {
	v, ok := attr(s, key)
	if !ok {
		return -1
	}
	return v.AsInt64()
}

// strAttr returns a string attribute of s, "" when s has none.
func strAttr(s tracetest.SpanStub, key attribute.Key) string {
	v, _ := attr(s, key)
	return v.Emit()
}

// events returns the names of the events of s, in order.
func events(s tracetest.SpanStub) []string {
	var names []string
	for _, e := range s.Events {
		names = append(names, e.Name)
	}
	return names
}

// httpbin starts go-httpbin for one test.
func httpbin(t testing.TB) *httptest.Server {
	t.Helper()
	srv := httpbintest.New()
	t.Cleanup(srv.Close)
	return srv
}

// duration is a span's length.
func duration(s tracetest.SpanStub) time.Duration { return s.EndTime.Sub(s.StartTime) }
