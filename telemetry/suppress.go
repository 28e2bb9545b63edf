package telemetry

import (
	"context"

	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/embedded"
)

// An instrumentation below the send middleware — the usual one is
// otelhttp.NewTransport wrapped around the session's base transport —
// would make a second CLIENT span for the same send, a child of relay's.
// otelhttp, when not given a TracerProvider of its own, takes its tracer
// from the span in the request's context (span.TracerProvider()); the send
// span relay puts there answers with a provider whose tracers make no new
// CLIENT span under it: Start returns the send span's context, so the
// instrumentation's propagator injects the same traceparent relay did.
// Spans of other kinds are made as usual. An otelhttp given
// otelhttp.WithTracerProvider does not ask, and its span stays — see
// docs/telemetry.md.

// TracerProvider returns the provider of the send span, wrapped so that its
// tracers make no nested CLIENT span.
func (st *sendSpan) TracerProvider() trace.TracerProvider {
	return &nestedClientSuppressor{real: st.Span.TracerProvider(), send: st}
}

type nestedClientSuppressor struct {
	embedded.TracerProvider
	real trace.TracerProvider
	send *sendSpan
}

func (p *nestedClientSuppressor) Tracer(name string, opts ...trace.TracerOption) trace.Tracer {
	return &suppressingTracer{real: p.real.Tracer(name, opts...), send: p.send}
}

type suppressingTracer struct {
	embedded.Tracer
	real trace.Tracer
	send *sendSpan
}

// Start makes no span for a CLIENT span started directly under the send
// span: it returns the context unchanged (the send span stays in it) and a
// non-recording span with the send span's identity, which the caller may
// end and annotate without touching the send span.
func (t *suppressingTracer) Start(ctx context.Context, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	cfg := trace.NewSpanStartConfig(opts...)
	if cfg.SpanKind() == trace.SpanKindClient && !cfg.NewRoot() && trace.SpanFromContext(ctx) == trace.Span(t.send) {
		return ctx, trace.SpanFromContext(trace.ContextWithSpanContext(context.Background(), t.send.SpanContext()))
	}
	return t.real.Start(ctx, name, opts...)
}
