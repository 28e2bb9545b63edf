package telemetry

import (
	"crypto/tls"
	"net"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// Event names of the phases of a send, from net/http/httptrace.
const (
	EventDNSStart       = "dns.start"
	EventDNSDone        = "dns.done"
	EventConnectStart   = "connect.start"
	EventConnectDone    = "connect.done"
	EventTLSStart       = "tls.start"
	EventTLSDone        = "tls.done"
	EventConnAcquired   = "conn.acquired" // relay.conn.reused says whether it was a pooled one
	EventRequestWritten = "request.written"
	EventFirstByte      = "first_byte"
)

// ConnReusedKey says whether a send went over a connection from the pool.
const ConnReusedKey = attribute.Key("relay.conn.reused")

// sendSpan is a recording send span with what its phases reported. The
// httptrace hooks may run on other goroutines, and after the send has
// ended (net/http finishes a dial in the background when the request that
// started it is cancelled), so its fields are guarded by mu and a phase
// reported after the end is dropped.
type sendSpan struct {
	trace.Span
	url *url.URL

	mu         sync.Mutex
	ended      bool
	dnsOpen    bool
	tlsOpen    bool
	connecting int // dials started and not done (several with happy eyeballs)
	peer       string
	peerPort   int
}

// clientTrace returns the hooks that turn a send's phases into events.
func (st *sendSpan) clientTrace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		DNSStart: func(info httptrace.DNSStartInfo) {
			st.event(EventDNSStart, func() { st.dnsOpen = true }, semconv.ServerAddress(info.Host))
		},
		DNSDone: func(info httptrace.DNSDoneInfo) {
			st.event(EventDNSDone, func() { st.dnsOpen = false }, errorAttrs(info.Err)...)
		},
		ConnectStart: func(network, addr string) {
			st.event(EventConnectStart, func() { st.connecting++ }, peerAttrs(addr)...)
		},
		ConnectDone: func(network, addr string, err error) {
			st.event(EventConnectDone, func() { st.connecting = max(0, st.connecting-1) }, append(peerAttrs(addr), errorAttrs(err)...)...)
		},
		TLSHandshakeStart: func() {
			st.event(EventTLSStart, func() { st.tlsOpen = true })
		},
		TLSHandshakeDone: func(state tls.ConnectionState, err error) {
			attrs := errorAttrs(err)
			if err == nil {
				attrs = append(attrs, semconv.TLSProtocolVersion(tlsVersion(state.Version)), semconv.TLSResumed(state.DidResume))
			}
			st.event(EventTLSDone, func() { st.tlsOpen = false }, attrs...)
		},
		GotConn: func(info httptrace.GotConnInfo) {
			st.event(EventConnAcquired, func() {
				if addr := info.Conn.RemoteAddr(); addr != nil {
					if host, port, err := net.SplitHostPort(addr.String()); err == nil {
						st.peer = host
						st.peerPort, _ = strconv.Atoi(port)
					}
				}
			}, ConnReusedKey.Bool(info.Reused))
		},
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			st.event(EventRequestWritten, nil, errorAttrs(info.Err)...)
		},
		GotFirstResponseByte: func() {
			st.event(EventFirstByte, nil)
		},
	}
}

// event adds a phase event and runs update, unless the send has ended.
func (st *sendSpan) event(name string, update func(), attrs ...attribute.KeyValue) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.ended {
		return
	}
	if update != nil {
		update()
	}
	st.AddEvent(name, trace.WithAttributes(attrs...))
}

// closePhases adds the closing event of every phase that had begun and not
// finished when the send ended, marked abandoned and, when the send
// failed, with its error.type. Callers hold mu.
func (st *sendSpan) closePhases(errType string) {
	attrs := []attribute.KeyValue{PhaseAbandonedKey.Bool(true)}
	if errType != "" {
		attrs = append(attrs, semconv.ErrorTypeKey.String(errType))
	}
	if st.dnsOpen {
		st.AddEvent(EventDNSDone, trace.WithAttributes(attrs...))
	}
	for range st.connecting {
		st.AddEvent(EventConnectDone, trace.WithAttributes(attrs...))
	}
	if st.tlsOpen {
		st.AddEvent(EventTLSDone, trace.WithAttributes(attrs...))
	}
	st.dnsOpen, st.tlsOpen, st.connecting = false, false, 0
}

func errorAttrs(err error) []attribute.KeyValue {
	if err == nil {
		return nil
	}
	return []attribute.KeyValue{semconv.ErrorTypeKey.String(errorType(err))}
}

func peerAttrs(addr string) []attribute.KeyValue {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return []attribute.KeyValue{semconv.NetworkPeerAddress(addr)}
	}
	p, _ := strconv.Atoi(port)
	return []attribute.KeyValue{semconv.NetworkPeerAddress(host), semconv.NetworkPeerPort(p)}
}

// tlsVersion is tls.protocol.version: "1.2", "1.3".
func tlsVersion(v uint16) string {
	return strings.TrimPrefix(tls.VersionName(v), "TLS ")
}

// describe is a failed send's status description: the error's text, with
// the request's URL in its url.full form wherever the text repeats it, so
// the description shows no signature that url.full hides.
func describe(err error, u *url.URL) string {
	msg := err.Error()
	if u == nil || (u.User == nil && u.RawQuery == "") {
		return msg
	}
	safe := fullURL(u)
	msg = strings.ReplaceAll(msg, u.String(), safe)
	return strings.ReplaceAll(msg, u.Redacted(), safe)
}
