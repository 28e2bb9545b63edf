package telemetry

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/relayhttp/relay/middleware"
)

// callStart are the start options of every call span, made once.
var callStart = []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindInternal)}

// callState is what the send middleware learns about its call, carried in
// the request's context from the call middleware down to every send. It is
// that context itself (the call span's, with Value answering callKey), one
// allocation rather than two. The sends of one call are made one after
// another, on the caller's goroutine, so its counters need no lock.
type callState struct {
	context.Context
	sends     int            // physical sends so far
	redirects int            // sends that began a redirect hop
	retries   int            // sends the retry middleware made again
	hop       *http.Response // the redirect response of the current hop
}

// callKey is the context key of a call's *callState.
type callKey struct{}

// Value returns the call's state for callKey, and what the call span's
// context holds for any other key.
func (c *callState) Value(key any) any {
	if key == (callKey{}) {
		return c
	}
	return c.Context.Value(key)
}

func callFrom(ctx context.Context) *callState {
	c, _ := ctx.Value(callKey{}).(*callState)
	return c
}

// cause classifies the send req is about to make, and counts it. A
// redirect hop's request carries the redirect it follows (req.Response),
// the same for all the sends of that hop; the retry middleware numbers its
// attempts in the context; any other send after a call's first answers an
// authentication challenge.
func (c *callState) cause(req *http.Request) string {
	c.sends++
	switch {
	case c.sends == 1:
		return "first"
	case middleware.Attempt(req.Context()) > 1:
		c.retries++
		return "retry"
	case req.Response != nil && req.Response != c.hop:
		c.hop = req.Response
		c.redirects++
		return "redirect"
	}
	return "auth"
}

func (in *instruments) callMiddleware(next http.RoundTripper) http.RoundTripper {
	return &callTripper{in: in, next: next}
}

// callTripper makes a call's INTERNAL span and measures its duration.
type callTripper struct {
	in   *instruments
	next http.RoundTripper
}

func (t *callTripper) CloseIdleConnections() { middleware.CloseIdleConnections(t.next) }

func (t *callTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	in := t.in
	start := time.Now()
	name, known := method(req.Method)
	ctx, span := in.tracer.Start(req.Context(), callSpanName(name, known), callStart...)
	recording := span.IsRecording()
	if recording {
		host, port := serverAddress(req.URL)
		attrs := make([]attribute.KeyValue, 0, 7)
		attrs = methodAttrs(attrs, req.Method, name, known)
		attrs = append(attrs, semconv.ServerAddress(host), semconv.ServerPort(port), semconv.URLFull(fullURL(req.URL)))
		if prefix, ok := in.mountOf(req.URL); ok {
			attrs = append(attrs, MountKey.String(prefix))
		}
		span.SetAttributes(attrs...)
	}
	// The sends' counters serve the call span's attributes and the send
	// spans' resend counts; a sampler that drops the call span drops its
	// sends too (unless it samples children of unsampled parents), so an
	// unrecorded call counts nothing and costs one allocation less.
	var call *callState
	if recording {
		call = &callState{Context: ctx}
		ctx = call
	}
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	end := time.Now()
	if in.callDuration.Enabled(ctx) {
		in.recordCall(ctx, req, name, resp, err, end.Sub(start))
	}
	if !recording {
		span.End()
		return resp, err
	}
	attrs := []attribute.KeyValue{SendsKey.Int(call.sends), RedirectsKey.Int(call.redirects), RetriesKey.Int(call.retries)}
	switch {
	case err != nil:
		et := errorType(err)
		attrs = append(attrs, semconv.ErrorTypeKey.String(et))
		span.SetStatus(codes.Error, et)
	default:
		attrs = append(attrs, semconv.HTTPResponseStatusCode(resp.StatusCode))
		if statusIsError(resp.StatusCode) {
			attrs = append(attrs, semconv.ErrorTypeKey.String(strconv.Itoa(resp.StatusCode)))
			span.SetStatus(codes.Error, "")
		}
		// A 101's body is the connection itself (an io.ReadWriteCloser):
		// it is left as it is.
		if _, duplex := resp.Body.(io.Writer); !duplex && resp.Body != http.NoBody {
			resp.Body = &bodySpan{ReadCloser: resp.Body, in: in, ctx: ctx, start: end}
		}
	}
	span.SetAttributes(attrs...)
	span.End(trace.WithTimestamp(end))
	return resp, err
}

// callSpanName is the call span's name: "relay " and the send spans' name,
// spelled out so that naming a call allocates nothing.
func callSpanName(name string, known bool) string {
	switch {
	case !known:
		return "relay HTTP"
	case name == http.MethodGet:
		return "relay GET"
	case name == http.MethodHead:
		return "relay HEAD"
	case name == http.MethodPost:
		return "relay POST"
	case name == http.MethodPut:
		return "relay PUT"
	case name == http.MethodDelete:
		return "relay DELETE"
	case name == http.MethodPatch:
		return "relay PATCH"
	case name == http.MethodOptions:
		return "relay OPTIONS"
	}
	return "relay " + name
}

// recordCall records relay.client.call.duration with the call's bounded
// attributes: never its path or query.
func (in *instruments) recordCall(ctx context.Context, req *http.Request, name string, resp *http.Response, err error, d time.Duration) {
	host, port := serverAddress(req.URL)
	attrs := make([]attribute.KeyValue, 0, 6)
	attrs = append(attrs, semconv.HTTPRequestMethodKey.String(name), semconv.ServerAddress(host), semconv.ServerPort(port), semconv.URLScheme(req.URL.Scheme))
	if err != nil {
		attrs = append(attrs, semconv.ErrorTypeKey.String(errorType(err)))
	} else {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(resp.StatusCode))
		if statusIsError(resp.StatusCode) {
			attrs = append(attrs, semconv.ErrorTypeKey.String(strconv.Itoa(resp.StatusCode)))
		}
	}
	in.callDuration.Record(ctx, d.Seconds(), metric.WithAttributes(attrs...))
}
