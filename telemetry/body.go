package telemetry

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// bodySpan is a call's response body, watched so that the end of its read
// becomes a span: "relay body", a child of the call span, from the
// response headers to the read's end (EOF, an error, or Close before the
// end). The span is made only when the read ends, with both timestamps
// given, so a body never read to its end nor closed leaves no span open —
// and makes none. The call span itself ended at the headers; OpenTelemetry
// drops events added to an ended span, so the body read cannot be one of
// its events.
type bodySpan struct {
	io.ReadCloser
	in    *instruments
	ctx   context.Context // holds the call span
	start time.Time       // when the response headers arrived

	mu    sync.Mutex
	n     int64
	ended bool
}

func (b *bodySpan) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.mu.Lock()
	b.n += int64(n)
	b.mu.Unlock()
	switch {
	case err == io.EOF:
		b.end("eof", nil)
	case err != nil:
		b.end("error", err)
	}
	return n, err
}

func (b *bodySpan) Close() error {
	err := b.ReadCloser.Close()
	b.end("closed", nil)
	return err
}

// end makes the body span, once.
func (b *bodySpan) end(outcome string, err error) {
	now := time.Now()
	b.mu.Lock()
	if b.ended {
		b.mu.Unlock()
		return
	}
	b.ended = true
	n := b.n
	b.mu.Unlock()
	attrs := []attribute.KeyValue{BodyBytesKey.Int64(n), BodyOutcomeKey.String(outcome)}
	_, span := b.in.tracer.Start(b.ctx, "relay body",
		trace.WithSpanKind(trace.SpanKindInternal), trace.WithTimestamp(b.start), trace.WithAttributes(attrs...))
	if err != nil && !errors.Is(err, io.EOF) {
		et := errorType(err)
		span.SetAttributes(semconv.ErrorTypeKey.String(et))
		span.SetStatus(codes.Error, et)
	}
	span.End(trace.WithTimestamp(now))
}
