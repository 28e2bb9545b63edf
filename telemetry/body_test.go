package telemetry_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/telemetry"
)

// A body never read nor closed leaves no span open: the call and send
// spans ended at the headers. Closing it later makes the body span.
func TestBodyNeverClosedLeavesNothingOpen(t *testing.T) {
	h := newHarness(t)
	srv := httpbin(t)
	s := h.session(t)
	r, err := s.Get(context.Background(), srv.URL+"/bytes/4096", client.Stream())
	if err != nil {
		t.Fatal(err)
	}
	h.assertNoneOpen(t)
	if len(h.ended(trace.SpanKindClient)) != 1 || len(h.named("relay GET")) != 1 {
		t.Fatalf("spans %v: want the call and send spans ended", h.spans.GetSpans())
	}
	if b := h.named("relay body"); len(b) != 0 {
		t.Fatalf("a body span before the body was read: %v", b)
	}
	buf := make([]byte, 10)
	if _, err := io.ReadFull(r.Body, buf); err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	body := h.named("relay body")
	if len(body) != 1 {
		t.Fatalf("%d body spans after Close, want 1", len(body))
	}
	if got := strAttr(body[0], telemetry.BodyOutcomeKey); got != "closed" {
		t.Errorf("outcome %q, want closed", got)
	}
	if got := intAttr(body[0], telemetry.BodyBytesKey); got != 10 {
		t.Errorf("bytes %d, want 10", got)
	}
	call := h.named("relay GET")[0]
	if body[0].Parent.SpanID() != call.SpanContext.SpanID() || body[0].StartTime != call.EndTime {
		t.Errorf("body span: parent %v start %v, want the call span %v, from its end %v", body[0].Parent.SpanID(), body[0].StartTime, call.SpanContext.SpanID(), call.EndTime)
	}
}

// A body read to its end makes a body span with outcome eof.
func TestBodyReadToEOF(t *testing.T) {
	h := newHarness(t)
	srv := httpbin(t)
	s := h.session(t)
	r, err := s.Get(context.Background(), srv.URL+"/bytes/2048")
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Bytes()
	if err != nil || len(b) != 2048 {
		t.Fatalf("read %d bytes, %v", len(b), err)
	}
	body := h.named("relay body")
	if len(body) != 1 || strAttr(body[0], telemetry.BodyOutcomeKey) != "eof" || intAttr(body[0], telemetry.BodyBytesKey) != 2048 {
		t.Fatalf("body spans %v: want one, eof, 2048 bytes", body)
	}
	h.assertNoneOpen(t)
}

// With a sampler that drops everything nothing is recorded, but each send
// still carries a traceparent (not sampled) and the metrics still count.
func TestNeverSample(t *testing.T) {
	h := newHarness(t, sdktrace.WithSampler(sdktrace.NeverSample()))
	var got []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get("Traceparent"))
		mu.Unlock()
	}))
	defer srv.Close()
	s := h.session(t)
	for range 2 {
		r, err := s.Get(context.Background(), srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
	}
	if spans := h.spans.GetSpans(); len(spans) != 0 {
		t.Errorf("%d spans recorded, want none", len(spans))
	}
	if len(got) != 2 || !strings.HasSuffix(got[0], "-00") || got[0] == got[1] {
		t.Errorf("traceparents %q: want two different, not sampled", got)
	}
	points := h.histogram(t, "http.client.request.duration")
	if len(points) != 1 || points[0].Count != 2 {
		t.Errorf("metric points %+v, want 2 sends counted", points)
	}
}
