package telemetry_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/telemetry"
)

// A call redirected twice makes three CLIENT spans, children of one
// INTERNAL call span that is the caller's span's child; the second and
// third carry resend counts 1 and 2.
func TestRedirectHopsAreSendSpans(t *testing.T) {
	h := newHarness(t)
	srv := httpbin(t)
	s := h.session(t)
	ctx, root := h.root(context.Background())
	r, err := s.Get(ctx, srv.URL+"/redirect/2")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Bytes(); err != nil {
		t.Fatal(err)
	}
	root.End()

	calls := h.named("relay GET")
	if len(calls) != 1 {
		t.Fatalf("%d call spans, want 1", len(calls))
	}
	call := calls[0]
	if call.Parent.SpanID() != root.SpanContext().SpanID() {
		t.Errorf("call span's parent is %v, want the caller's span %v", call.Parent.SpanID(), root.SpanContext().SpanID())
	}
	if got := [3]int64{intAttr(call, telemetry.SendsKey), intAttr(call, telemetry.RedirectsKey), intAttr(call, telemetry.RetriesKey)}; got != [3]int64{3, 2, 0} {
		t.Errorf("call span sends, redirects, retries = %v, want [3 2 0]", got)
	}

	sends := h.ended(trace.SpanKindClient)
	want := []struct {
		path   string
		status int64
		resend int64
		cause  string
	}{
		{"/redirect/2", 302, -1, "first"},
		{"/relative-redirect/1", 302, 1, "redirect"},
		{"/get", 200, 2, "redirect"},
	}
	if len(sends) != len(want) {
		t.Fatalf("%d send spans, want %d", len(sends), len(want))
	}
	for i, w := range want {
		sp := sends[i]
		if sp.Name != "GET" {
			t.Errorf("send %d is named %q, want GET", i, sp.Name)
		}
		if sp.Parent.SpanID() != call.SpanContext.SpanID() {
			t.Errorf("send %d's parent is not the call span", i)
		}
		if got := strAttr(sp, semconv.URLFullKey); got != srv.URL+w.path {
			t.Errorf("send %d url.full = %q, want %q", i, got, srv.URL+w.path)
		}
		if got := intAttr(sp, semconv.HTTPResponseStatusCodeKey); got != w.status {
			t.Errorf("send %d status = %d, want %d", i, got, w.status)
		}
		if got := intAttr(sp, semconv.HTTPRequestResendCountKey); got != w.resend {
			t.Errorf("send %d http.request.resend_count = %d, want %d (-1: absent)", i, got, w.resend)
		}
		if got := strAttr(sp, telemetry.SendCauseKey); got != w.cause {
			t.Errorf("send %d cause = %q, want %q", i, got, w.cause)
		}
		if got := strAttr(sp, semconv.HTTPRequestMethodKey); got != "GET" {
			t.Errorf("send %d method = %q", i, got)
		}
		if got := strAttr(sp, semconv.NetworkProtocolVersionKey); got != "1.1" {
			t.Errorf("send %d network.protocol.version = %q, want 1.1", i, got)
		}
		if got := strAttr(sp, semconv.NetworkPeerAddressKey); got != "127.0.0.1" {
			t.Errorf("send %d network.peer.address = %q, want 127.0.0.1", i, got)
		}
		if got := strAttr(sp, semconv.ServerAddressKey); got != "127.0.0.1" {
			t.Errorf("send %d server.address = %q", i, got)
		}
		if got := intAttr(sp, semconv.ServerPortKey); got != int64(srv.Listener.Addr().(*net.TCPAddr).Port) {
			t.Errorf("send %d server.port = %d", i, got)
		}
		if sp.EndTime.After(call.EndTime) {
			t.Errorf("send %d ended after its call", i)
		}
	}
	// The first send opened the connection; the others reused it.
	if ev := events(sends[0]); !contains(ev, telemetry.EventConnectStart) || !contains(ev, telemetry.EventConnectDone) || !contains(ev, telemetry.EventFirstByte) {
		t.Errorf("first send's events = %v, want connect and first byte", ev)
	}
	if ev := events(sends[1]); contains(ev, telemetry.EventConnectStart) {
		t.Errorf("second send connected again: %v", ev)
	}
	h.assertNoneOpen(t)
}

// Retries are resends too: every attempt is a CLIENT span with its attempt
// number and resend count, a 503 has error.type "503" and status Error,
// and each span's duration is its http.client.request.duration point.
func TestRetriesAreSendSpans(t *testing.T) {
	h := newHarness(t)
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	s := h.session(t, client.WithRetry(client.RetryOptions{MaxAttempts: 3, BaseDelay: -1}))
	r, err := s.Get(context.Background(), srv.URL+"/flaky")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()

	sends := h.ended(trace.SpanKindClient)
	if len(sends) != 3 {
		t.Fatalf("%d send spans, want 3", len(sends))
	}
	for i, sp := range sends {
		if got := intAttr(sp, telemetry.AttemptKey); got != int64(i+1) {
			t.Errorf("send %d attempt = %d, want %d", i, got, i+1)
		}
		wantResend, wantCause, wantStatus := int64(i), "retry", int64(503)
		if i == 0 {
			wantResend, wantCause = -1, "first"
		}
		if i == 2 {
			wantStatus = 200
		}
		if got := intAttr(sp, semconv.HTTPRequestResendCountKey); got != wantResend {
			t.Errorf("send %d resend count = %d, want %d", i, got, wantResend)
		}
		if got := strAttr(sp, telemetry.SendCauseKey); got != wantCause {
			t.Errorf("send %d cause = %q, want %q", i, got, wantCause)
		}
		if got := intAttr(sp, semconv.HTTPResponseStatusCodeKey); got != wantStatus {
			t.Errorf("send %d status = %d, want %d", i, got, wantStatus)
		}
		if wantStatus == 503 {
			if got := strAttr(sp, semconv.ErrorTypeKey); got != "503" {
				t.Errorf("send %d error.type = %q, want \"503\"", i, got)
			}
			if sp.Status.Code != codes.Error {
				t.Errorf("send %d status code = %v, want Error", i, sp.Status.Code)
			}
		} else if _, ok := attr(sp, semconv.ErrorTypeKey); ok || sp.Status.Code == codes.Error {
			t.Errorf("the 200 send has an error: %v %v", strAttr(sp, semconv.ErrorTypeKey), sp.Status)
		}
	}
	call := h.named("relay GET")
	if len(call) != 1 || intAttr(call[0], telemetry.RetriesKey) != 2 || intAttr(call[0], telemetry.SendsKey) != 3 {
		t.Fatalf("call spans %v: want one with relay.retries 2 and relay.sends 3", call)
	}

	points := h.histogram(t, "http.client.request.duration")
	var count uint64
	var sum float64
	for _, p := range points {
		count += p.Count
		sum += p.Sum
		for _, kv := range p.Attributes.ToSlice() {
			if kv.Key == semconv.URLFullKey || kv.Key == "url.path" {
				t.Errorf("metric point has %s: unbounded", kv.Key)
			}
		}
		status, _ := p.Attributes.Value(semconv.HTTPResponseStatusCodeKey)
		want := uint64(1)
		if status.AsInt64() == 503 {
			want = 2
			if et, _ := p.Attributes.Value(semconv.ErrorTypeKey); et.AsString() != "503" {
				t.Errorf("503 point error.type = %q", et.AsString())
			}
		}
		if p.Count != want {
			t.Errorf("status %d: %d points, want %d", status.AsInt64(), p.Count, want)
		}
		for _, k := range []string{"http.request.method", "server.address", "server.port", "url.scheme", "network.protocol.version"} {
			if !p.Attributes.HasValue(attributeKey(k)) {
				t.Errorf("status %d point lacks %s", status.AsInt64(), k)
			}
		}
	}
	if count != 3 {
		t.Errorf("http.client.request.duration counted %d sends, want 3", count)
	}
	var spanSum float64
	for _, sp := range sends {
		spanSum += duration(sp).Seconds()
	}
	if diff := sum - spanSum; diff > 1e-9 || diff < -1e-9 {
		t.Errorf("metric sum %v s, spans' durations %v s: want equal", sum, spanSum)
	}

	callPoints := h.histogram(t, telemetry.CallDurationName)
	if len(callPoints) != 1 || callPoints[0].Count != 1 {
		t.Fatalf("call duration points %+v, want one call", callPoints)
	}
	if callPoints[0].Sum < spanSum {
		t.Errorf("call took %v s, less than its sends' %v s", callPoints[0].Sum, spanSum)
	}
	h.assertNoneOpen(t)
}

// A Digest challenge is answered by a second send on the same hop: cause
// "auth", resend count 1, the 401 first.
func TestDigestChallengeIsASendSpan(t *testing.T) {
	h := newHarness(t)
	srv := httpbin(t)
	s := h.session(t)
	r, err := s.Get(context.Background(), srv.URL+"/digest-auth/auth/user/passwd/MD5", client.WithAuth(auth.Digest("user", "passwd")))
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 200 {
		t.Fatalf("status %d, want 200", r.StatusCode)
	}
	sends := h.ended(trace.SpanKindClient)
	if len(sends) != 2 {
		t.Fatalf("%d send spans, want 2", len(sends))
	}
	if got := intAttr(sends[0], semconv.HTTPResponseStatusCodeKey); got != 401 {
		t.Errorf("first send status %d, want 401", got)
	}
	if got := intAttr(sends[1], semconv.HTTPRequestResendCountKey); got != 1 {
		t.Errorf("second send resend count %d, want 1", got)
	}
	if got := strAttr(sends[1], telemetry.SendCauseKey); got != "auth" {
		t.Errorf("second send cause %q, want auth", got)
	}
	if sends[0].Parent.SpanID() != sends[1].Parent.SpanID() {
		t.Error("the two sends have different parents")
	}
	h.assertNoneOpen(t)
}

// Every send carries its own traceparent: the trace of the caller, the
// span id of the send's CLIENT span.
func TestTraceparentPerSend(t *testing.T) {
	h := newHarness(t)
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get("Traceparent"))
		mu.Unlock()
		if r.URL.Path == "/start" {
			http.Redirect(w, r, "/end", http.StatusFound)
			return
		}
		fmt.Fprint(w, "done")
	}))
	defer srv.Close()
	s := h.session(t)
	ctx, root := h.root(context.Background())
	req, err := s.Prepare(ctx, "GET", srv.URL+"/start")
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Send(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	root.End()
	if v := req.Header.Get("Traceparent"); v != "" {
		t.Errorf("the caller's request was changed: it has Traceparent %q", v)
	}
	sends := h.ended(trace.SpanKindClient)
	if len(got) != 2 || len(sends) != 2 {
		t.Fatalf("server saw %d sends, %d send spans: want 2 and 2", len(got), len(sends))
	}
	for i, sp := range sends {
		want := fmt.Sprintf("00-%s-%s-01", root.SpanContext().TraceID(), sp.SpanContext.SpanID())
		if got[i] != want {
			t.Errorf("send %d traceparent %q, want %q", i, got[i], want)
		}
	}
	if got[0] == got[1] {
		t.Error("both sends carried the same traceparent")
	}
}
