package telemetry_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	semconv "go.opentelemetry.io/otel/semconv/v1.21.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/telemetry"
)

// A method the conventions do not know is _OTHER, in a span named HTTP.
func TestUnknownMethod(t *testing.T) {
	h := newHarness(t)
	srv := httpbin(t)
	s := h.session(t)
	r, err := s.Do(context.Background(), "PURGE", srv.URL+"/anything")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	sends := h.ended(trace.SpanKindClient)
	if len(sends) != 1 {
		t.Fatalf("%d send spans, want 1", len(sends))
	}
	sp := sends[0]
	if sp.Name != "HTTP" || strAttr(sp, semconv.HTTPRequestMethodKey) != "_OTHER" || strAttr(sp, semconv.HTTPRequestMethodOriginalKey) != "PURGE" {
		t.Errorf("span %q method %q original %q, want HTTP, _OTHER, PURGE", sp.Name, strAttr(sp, semconv.HTTPRequestMethodKey), strAttr(sp, semconv.HTTPRequestMethodOriginalKey))
	}
	if len(h.named("relay HTTP")) != 1 {
		t.Error("no call span named \"relay HTTP\"")
	}
}

// url.full never shows the password of the URL nor a signature in its
// query; the send span's other attributes do not either.
func TestURLFullIsRedacted(t *testing.T) {
	h := newHarness(t)
	srv := httpbin(t)
	s := h.session(t)
	u := strings.Replace(srv.URL, "http://", "http://alice:s3cret@", 1) + "/anything?X-Amz-Signature=abc123&page=2&access_token=tok456"
	r, err := s.Get(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	for _, sp := range h.spans.GetSpans() {
		for _, kv := range sp.Attributes {
			v := kv.Value.Emit()
			for _, secret := range []string{"s3cret", "abc123", "tok456", "alice"} {
				if strings.Contains(v, secret) {
					t.Errorf("span %q attribute %s = %q shows %q", sp.Name, kv.Key, v, secret)
				}
			}
		}
	}
	// The session moves URL credentials into Authorization before the
	// call middleware sees the request (fullURL's own test covers a URL
	// that still has them).
	want := srv.URL + "/anything?X-Amz-Signature=REDACTED&page=2&access_token=REDACTED"
	for _, name := range []string{"relay GET", "GET"} {
		if spans := h.named(name); len(spans) != 1 || strAttr(spans[0], semconv.URLFullKey) != want {
			t.Errorf("%q spans %v: want one with url.full %q", name, spans, want)
		}
	}
}

// A cache hit sends nothing: its call span counts no send, and no CLIENT
// span is made.
func TestCacheHitMakesNoSendSpan(t *testing.T) {
	h := newHarness(t)
	srv := httpbin(t)
	s := h.session(t)
	s.Cache = cache.New(cache.Options{Store: cache.Memory(1 << 20)})
	for range 2 {
		r, err := s.Get(context.Background(), srv.URL+"/cache/60")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Bytes(); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(h.ended(trace.SpanKindClient)); n != 1 {
		t.Errorf("%d send spans for a miss and a hit, want 1", n)
	}
	calls := h.named("relay GET")
	if len(calls) != 2 || intAttr(calls[0], telemetry.SendsKey) != 1 || intAttr(calls[1], telemetry.SendsKey) != 0 {
		t.Errorf("call spans %v: want relay.sends 1, then 0", calls)
	}
}

// The call span names the mount that routed the call: the session's own
// transport, or a prefix mounted on it.
func TestCallSpanNamesTheMount(t *testing.T) {
	h := newHarness(t)
	srv := httpbin(t)
	s := h.session(t)
	if err := s.Mount(srv.URL+"/anything/", http.DefaultTransport); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/get", "/anything/x"} {
		r, err := s.Get(context.Background(), srv.URL+path)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
	}
	var got []string
	for _, c := range h.named("relay GET") {
		got = append(got, strAttr(c, telemetry.MountKey))
	}
	if want := []string{"http://", srv.URL + "/anything/"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("relay.mount of the calls %q, want %q", got, want)
	}
}
