package telemetry

import (
	"context"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/relayhttp/relay/middleware"
)

// sendStart are the start options of every send span, made once.
var sendStart = []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindClient)}

func (in *instruments) sendMiddleware(next http.RoundTripper) http.RoundTripper {
	return &sendTripper{in: in, next: next}
}

// sendTripper makes the CLIENT span of every physical send, injects its
// trace context and records http.client.request.duration.
type sendTripper struct {
	in   *instruments
	next http.RoundTripper
}

func (t *sendTripper) CloseIdleConnections() { middleware.CloseIdleConnections(t.next) }

func (t *sendTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	in := t.in
	ctx := req.Context()
	resends, cause := 0, "first"
	if call := callFrom(ctx); call != nil {
		resends = call.sends
		cause = call.cause(req)
	}
	start := time.Now()
	name, known := method(req.Method)
	spanCtx, span := in.tracer.Start(ctx, spanName(name, known), sendStart...)
	var st *sendSpan
	if span.IsRecording() {
		if s, ok := span.(interface{ StartTime() time.Time }); ok {
			start = s.StartTime() // the SDK's own, so the metric equals the span
		}
		st = &sendSpan{Span: span}
		st.begin(req, name, known, resends, cause)
		// The send span in the context is wrapped so that an
		// instrumentation below (otelhttp) makes no second CLIENT span:
		// see suppress.go.
		ctx = httptrace.WithClientTrace(trace.ContextWithSpan(ctx, st), st.clientTrace())
	} else {
		ctx = spanCtx
	}
	out := req.WithContext(ctx)
	out.Header = headerCopy(req.Header)
	in.propagators.Inject(ctx, headerCarrier(out.Header))

	resp, err := t.next.RoundTrip(out)
	end := time.Now()
	if in.sendDuration.Enabled(ctx) {
		in.recordSend(ctx, req, name, resp, err, end.Sub(start))
	}
	if st != nil {
		st.finish(resp, err, end)
	} else {
		span.End()
	}
	return resp, err
}

// recordSend records http.client.request.duration with the attributes the
// conventions name for it.
func (in *instruments) recordSend(ctx context.Context, req *http.Request, name string, resp *http.Response, err error, d time.Duration) {
	host, port := serverAddress(req.URL)
	attrs := make([]attribute.KeyValue, 0, 7)
	attrs = append(attrs, semconv.HTTPRequestMethodKey.String(name), semconv.ServerAddress(host), semconv.ServerPort(port), semconv.URLScheme(req.URL.Scheme))
	if err != nil {
		attrs = append(attrs, semconv.ErrorTypeKey.String(errorType(err)))
	} else {
		attrs = responseAttrs(attrs, resp)
	}
	in.sendDuration.Record(ctx, d.Seconds(), metric.WithAttributes(attrs...))
}

// begin sets the attributes known before the send.
func (st *sendSpan) begin(req *http.Request, name string, known bool, resends int, cause string) {
	host, port := serverAddress(req.URL)
	attrs := make([]attribute.KeyValue, 0, 9)
	attrs = methodAttrs(attrs, req.Method, name, known)
	attrs = append(attrs, semconv.ServerAddress(host), semconv.ServerPort(port), semconv.URLFull(fullURL(req.URL)),
		semconv.URLScheme(req.URL.Scheme), SendCauseKey.String(cause), AttemptKey.Int(middleware.Attempt(req.Context())))
	if resends > 0 {
		attrs = append(attrs, semconv.HTTPRequestResendCount(resends))
	}
	st.SetAttributes(attrs...)
	st.url = req.URL
}

// finish sets what the response or the failure says, closes the phases
// still open, and ends the span at end: when the response headers arrived
// or the send failed.
func (st *sendSpan) finish(resp *http.Response, err error, end time.Time) {
	st.mu.Lock()
	defer st.mu.Unlock()
	var attrs []attribute.KeyValue
	if st.peer != "" {
		attrs = append(attrs, semconv.NetworkPeerAddress(st.peer), semconv.NetworkPeerPort(st.peerPort))
	}
	if err != nil {
		et := errorType(err)
		attrs = append(attrs, semconv.ErrorTypeKey.String(et))
		st.SetStatus(codes.Error, describe(err, st.url))
		st.closePhases(et)
	} else {
		attrs = responseAttrs(attrs, resp)
		if statusIsError(resp.StatusCode) {
			st.SetStatus(codes.Error, "")
		}
		st.closePhases("")
	}
	st.SetAttributes(attrs...)
	st.ended = true
	st.Span.End(trace.WithTimestamp(end))
}

// headerCopy is a copy of h for the propagator to write into, so the
// request the send middleware was given is never changed. The values are
// shared, their capacity capped, so that an append below copies them
// rather than writing into h's arrays: one allocation, where Clone makes
// three.
func headerCopy(h http.Header) http.Header {
	c := make(http.Header, len(h)+2)
	for k, v := range h {
		c[k] = v[:len(v):len(v)]
	}
	return c
}

// headerCarrier is the header map a propagator writes into. Its Set
// spells the usual trace-context fields in canonical form without
// computing it.
type headerCarrier http.Header

func (c headerCarrier) Get(key string) string { return http.Header(c).Get(key) }

func (c headerCarrier) Keys() []string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	return keys
}

func (c headerCarrier) Set(key, value string) {
	switch key {
	case "traceparent":
		key = "Traceparent"
	case "tracestate":
		key = "Tracestate"
	case "baggage":
		key = "Baggage"
	default:
		key = http.CanonicalHeaderKey(key)
	}
	c[key] = []string{value}
}

// responseAttrs appends a send's response attributes to attrs: the status
// code, the protocol version, and the status as error.type when it is an
// error (the span and the duration metric carry the same ones).
func responseAttrs(attrs []attribute.KeyValue, resp *http.Response) []attribute.KeyValue {
	attrs = append(attrs, semconv.HTTPResponseStatusCode(resp.StatusCode))
	if v := protocolVersion(resp); v != "" {
		attrs = append(attrs, semconv.NetworkProtocolVersion(v))
	}
	if statusIsError(resp.StatusCode) {
		attrs = append(attrs, semconv.ErrorTypeKey.String(strconv.Itoa(resp.StatusCode)))
	}
	return attrs
}
