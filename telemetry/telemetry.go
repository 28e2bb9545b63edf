package telemetry

import (
	"net/url"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/semconv/v1.43.0/httpconv"
	"go.opentelemetry.io/otel/trace"

	"github.com/relayhttp/relay/client"
)

// ScopeName is the instrumentation scope of the spans and metrics this
// package makes.
const ScopeName = "github.com/relayhttp/relay/telemetry"

// CallDurationName is the name of the per-call duration histogram: from
// the call's start to its final response headers (or its failure), every
// send, redirect, authentication round and retry backoff included.
const CallDurationName = "relay.client.call.duration"

// durationBuckets are the bucket boundaries the HTTP semantic conventions
// advise for http.client.request.duration, in seconds; the per-call
// histogram uses them too.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

// Options chooses where spans, metrics and trace context go. The zero value
// uses OpenTelemetry's global providers and propagator (otel.SetTracerProvider
// and friends), as they are when a request is made.
type Options struct {
	// TracerProvider makes the call and send spans; nil: the global one.
	TracerProvider trace.TracerProvider
	// MeterProvider makes http.client.request.duration and
	// relay.client.call.duration; nil: the global one.
	MeterProvider metric.MeterProvider
	// Propagators inject the trace context of each send into its headers
	// (traceparent with propagation.TraceContext); nil: the global
	// propagator, which injects nothing until otel.SetTextMapPropagator
	// is called.
	Propagators propagation.TextMapPropagator
}

// With returns the session option that turns telemetry on: a per-call
// middleware (Session.Use) that makes the INTERNAL call span and the
// per-call duration, and a per-send middleware (Session.UseSend) that
// makes the CLIENT span and http.client.request.duration of every physical
// send and injects its trace context.
func With(o Options) client.SessionOption {
	return client.Configure(func(s *client.Session) {
		in := newInstruments(o)
		in.mount = s.MountPrefix
		s.Use(in.callMiddleware)
		s.UseSend(in.sendMiddleware)
	})
}

// instruments are a session's tracer, histograms and propagator, shared by
// its two middlewares.
type instruments struct {
	tracer       trace.Tracer
	propagators  propagation.TextMapPropagator
	sendDuration metric.Float64Histogram
	callDuration metric.Float64Histogram
	mount        func(*url.URL) (string, bool) // the session's MountPrefix
}

func newInstruments(o Options) *instruments {
	tp := o.TracerProvider
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	mp := o.MeterProvider
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	prop := o.Propagators
	if prop == nil {
		prop = otel.GetTextMapPropagator()
	}
	in := &instruments{
		tracer:      tp.Tracer(ScopeName, trace.WithInstrumentationVersion(client.Version)),
		propagators: prop,
	}
	meter := mp.Meter(ScopeName, metric.WithInstrumentationVersion(client.Version))
	// A meter that cannot make an instrument returns a no-op one with the
	// error; the error goes to OpenTelemetry's handler, as otelhttp does.
	send, err := httpconv.NewClientRequestDuration(meter)
	if err != nil {
		otel.Handle(err)
	}
	in.sendDuration = send.Inst()
	in.callDuration, err = meter.Float64Histogram(CallDurationName,
		metric.WithDescription("Duration of relay calls: every send, redirect, authentication round and retry backoff, until the final response headers."),
		metric.WithUnit("s"),
		metric.WithExplicitBucketBoundaries(durationBuckets...))
	if err != nil {
		otel.Handle(err)
	}
	if in.callDuration == nil {
		in.callDuration = noop.Float64Histogram{}
	}
	return in
}

// mountOf is the session's MountPrefix, when the instruments have one.
func (in *instruments) mountOf(u *url.URL) (string, bool) {
	if in.mount == nil {
		return "", false
	}
	return in.mount(u)
}
