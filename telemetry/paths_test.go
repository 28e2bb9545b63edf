package telemetry_test

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/proxytest"
	"github.com/relayhttp/relay/telemetry"
)

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// onlySend returns the one send span of the harness.
func onlySend(t *testing.T, h *harness) sdkSpan {
	t.Helper()
	sends := h.ended(trace.SpanKindClient)
	if len(sends) != 1 {
		t.Fatalf("%d send spans, want 1", len(sends))
	}
	return sends[0]
}

func TestRefusedConnection(t *testing.T) {
	h := newHarness(t)
	s := h.session(t)
	addr := closedPort(t)
	_, err := s.Get(context.Background(), "http://"+addr+"/x")
	if err == nil {
		t.Fatal("no error from a closed port")
	}
	sp := onlySend(t, h)
	if got := strAttr(sp, semconv.ErrorTypeKey); got != "connection_refused" {
		t.Errorf("error.type = %q, want connection_refused", got)
	}
	if sp.Status.Code != codes.Error {
		t.Errorf("status %v, want Error", sp.Status)
	}
	if ev := events(sp); !contains(ev, telemetry.EventConnectStart) || !contains(ev, telemetry.EventConnectDone) {
		t.Errorf("events %v, want connect.start and connect.done", ev)
	}
	call := h.named("relay GET")
	if len(call) != 1 || call[0].Status.Code != codes.Error || strAttr(call[0], semconv.ErrorTypeKey) != "connection_refused" {
		t.Errorf("call spans %v: want one failed with connection_refused", call)
	}
	points := h.histogram(t, "http.client.request.duration")
	if len(points) != 1 {
		t.Fatalf("%d metric points, want 1", len(points))
	}
	if et, _ := points[0].Attributes.Value(semconv.ErrorTypeKey); et.AsString() != "connection_refused" {
		t.Errorf("metric error.type = %q", et.AsString())
	}
	if _, ok := points[0].Attributes.Value(semconv.HTTPResponseStatusCodeKey); ok {
		t.Error("a failed send's point has a status code")
	}
	h.assertNoneOpen(t)
}

// A proxy that is down: the send dials the proxy (its address in the
// connect events), fails, and its span ends.
func TestProxyDown(t *testing.T) {
	h := newHarness(t)
	srv := httpbin(t)
	s := h.session(t)
	proxy := closedPort(t)
	for _, target := range []string{srv.URL + "/get", "https://" + srv.Listener.Addr().String() + "/get"} {
		h.spans.Reset()
		_, err := s.Get(context.Background(), target, client.Proxy("http://"+proxy))
		if err == nil {
			t.Fatalf("%s: no error through a proxy that is down", target)
		}
		sp := onlySend(t, h)
		if sp.Status.Code != codes.Error || strAttr(sp, semconv.ErrorTypeKey) == "" {
			t.Errorf("%s: status %v error.type %q, want an error", target, sp.Status, strAttr(sp, semconv.ErrorTypeKey))
		}
		_, port, _ := net.SplitHostPort(proxy)
		found := false
		for _, e := range sp.Events {
			if e.Name != telemetry.EventConnectStart {
				continue
			}
			for _, kv := range e.Attributes {
				if kv.Key == semconv.NetworkPeerPortKey && strconv.FormatInt(kv.Value.AsInt64(), 10) == port {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("%s: no connect.start to the proxy's port %s in %v", target, port, events(sp))
		}
		if got := strAttr(sp, semconv.ServerAddressKey); got != "127.0.0.1" {
			t.Errorf("%s: server.address %q, want the origin's", target, got)
		}
		h.assertNoneOpen(t)
	}
}

// stalledTLS accepts connections and never answers, so a TLS handshake
// with it never finishes.
func stalledTLS(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

// Cancelled during the TLS handshake: the send span ends with
// error.type canceled, and nothing stays open. relay's base transport
// makes the handshake of a direct connection inside its dialer, where
// net/http reports no TLS phase until it is over, so the direct case is
// cancelled once the TCP connection is up; through a proxy net/http makes
// the handshake itself, reports its start, and the span's end closes the
// phase.
func TestCancelDuringTLS(t *testing.T) {
	t.Run("direct", func(t *testing.T) {
		h := newHarness(t)
		s := h.session(t)
		addr := stalledTLS(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
			ConnectDone: func(_, _ string, err error) {
				if err == nil {
					go cancel()
				}
			},
		})
		_, err := s.Get(ctx, "https://"+addr+"/")
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context.Canceled", err)
		}
		sp := onlySend(t, h)
		if got := strAttr(sp, semconv.ErrorTypeKey); got != "canceled" {
			t.Errorf("error.type = %q, want canceled", got)
		}
		if ev := events(sp); indexOf(ev, telemetry.EventConnectDone) < indexOf(ev, telemetry.EventConnectStart) || contains(ev, telemetry.EventFirstByte) {
			t.Errorf("events %v: want connect.start, connect.done", ev)
		}
		h.assertNoneOpen(t)
	})
	t.Run("proxy", func(t *testing.T) {
		h := newHarness(t)
		s := h.session(t)
		addr := stalledTLS(t)
		proxy := proxytest.New(t, proxytest.Options{})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
			TLSHandshakeStart: func() { go cancel() },
		})
		_, err := s.Get(ctx, "https://"+addr+"/", client.Proxy(proxy.URL.String()))
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context.Canceled", err)
		}
		sp := onlySend(t, h)
		if got := strAttr(sp, semconv.ErrorTypeKey); got != "canceled" {
			t.Errorf("error.type = %q, want canceled", got)
		}
		ev := events(sp)
		start, done := indexOf(ev, telemetry.EventTLSStart), indexOf(ev, telemetry.EventTLSDone)
		if start < 0 || done < start {
			t.Fatalf("events %v: want tls.start, then tls.done", ev)
		}
		abandoned := false
		for _, kv := range sp.Events[done].Attributes {
			if kv.Key == telemetry.PhaseAbandonedKey && kv.Value.AsBool() {
				abandoned = true
			}
		}
		if !abandoned {
			t.Errorf("tls.done %v: want it marked abandoned", sp.Events[done].Attributes)
		}
		h.assertNoneOpen(t)
	})
}

// A response whose headers are late: the phase timeout fires, and the
// span ends with error.type timeout, after its request was written.
func TestResponseHeaderTimeout(t *testing.T) {
	h := newHarness(t)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/fast" {
			return
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	s := h.session(t)
	// A first call opens the connection, so the timed one only writes its
	// request on it before the timer runs out.
	r, err := s.Get(context.Background(), srv.URL+"/fast")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	h.spans.Reset()
	_, err = s.Get(context.Background(), srv.URL+"/slow", client.WithTimeouts(client.Timeouts{ResponseHeader: 200 * time.Millisecond}))
	if err == nil {
		t.Fatal("no timeout")
	}
	sp := onlySend(t, h)
	if got := strAttr(sp, semconv.ErrorTypeKey); got != "timeout" {
		t.Errorf("error.type = %q, want timeout", got)
	}
	if ev := events(sp); !contains(ev, telemetry.EventRequestWritten) || contains(ev, telemetry.EventFirstByte) {
		t.Errorf("events %v: want request.written and no first_byte", ev)
	}
	h.assertNoneOpen(t)
}

// An HTTPS send reports its TLS phase.
func TestTLSPhases(t *testing.T) {
	h := newHarness(t)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	s := h.session(t)
	r, err := s.Get(context.Background(), srv.URL, client.InsecureSkipVerify())
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	sp := onlySend(t, h)
	ev := events(sp)
	if i, j := indexOf(ev, telemetry.EventTLSStart), indexOf(ev, telemetry.EventTLSDone); i < 0 || j < i {
		t.Errorf("events %v: want tls.start then tls.done", ev)
	}
	for _, e := range sp.Events {
		if e.Name == telemetry.EventTLSDone {
			for _, kv := range e.Attributes {
				if kv.Key == semconv.TLSProtocolVersionKey && kv.Value.AsString() != strings.TrimPrefix(tls.VersionName(tls.VersionTLS13), "TLS ") {
					t.Errorf("tls.protocol.version %q, want 1.3", kv.Value.AsString())
				}
			}
		}
	}
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}
