package telemetry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"syscall"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/relayhttp/relay/middleware"
)

// Attribute keys of relay's own, on the call span and the send spans.
const (
	// MountKey is the prefix of the mount that routed the call's first
	// request ("https://" for the session's own transport).
	MountKey = attribute.Key("relay.mount")
	// SendsKey counts the physical sends a call made (0 for a cache hit).
	SendsKey = attribute.Key("relay.sends")
	// RedirectsKey counts the redirect hops a call followed.
	RedirectsKey = attribute.Key("relay.redirects")
	// RetriesKey counts the sends the retry middleware made again.
	RetriesKey = attribute.Key("relay.retries")
	// SendCauseKey says why a send was made: "first", "redirect",
	// "retry" or "auth" (an authentication challenge answered).
	SendCauseKey = attribute.Key("relay.send.cause")
	// AttemptKey is the retry attempt a send belongs to, 1 for the first.
	AttemptKey = attribute.Key("relay.attempt")
	// BodyBytesKey is how many bytes of a response body the caller read.
	BodyBytesKey = attribute.Key("relay.body.bytes")
	// BodyOutcomeKey says how a body read ended: "eof", "closed" (before
	// the end) or "error".
	BodyOutcomeKey = attribute.Key("relay.body.outcome")
	// PhaseAbandonedKey marks a phase's closing event that the send's end
	// closed: the phase had not finished when the send failed or was
	// cancelled.
	PhaseAbandonedKey = attribute.Key("relay.phase.abandoned")
)

// method returns the request method as the conventions want it: one of the
// known methods, or _OTHER with known false.
func method(m string) (name string, known bool) {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodDelete, http.MethodConnect, http.MethodOptions,
		http.MethodTrace, http.MethodPatch, "QUERY":
		return m, true
	case "":
		return http.MethodGet, true // net/http's meaning of an empty method
	}
	return "_OTHER", false
}

// spanName is a send span's name: the method, or "HTTP" for a method the
// conventions do not know. relay has no route template to add.
func spanName(m string, known bool) string {
	if !known {
		return "HTTP"
	}
	return m
}

// methodAttrs are http.request.method, and http.request.method_original
// for a method that became _OTHER.
func methodAttrs(attrs []attribute.KeyValue, original, name string, known bool) []attribute.KeyValue {
	attrs = append(attrs, semconv.HTTPRequestMethodKey.String(name))
	if !known {
		attrs = append(attrs, semconv.HTTPRequestMethodOriginal(original))
	}
	return attrs
}

// serverAddress returns the host and port a request is for (the origin,
// not a proxy): the URL's port, else the scheme's default.
func serverAddress(u *url.URL) (host string, port int) {
	host = u.Hostname()
	if p := u.Port(); p != "" {
		port, _ = strconv.Atoi(p)
		return host, port
	}
	switch u.Scheme {
	case "http", "ws":
		return host, 80
	case "https", "wss":
		return host, 443
	}
	return host, 0
}

// protocolVersion is network.protocol.version of a response: "1.0",
// "1.1", "2", "3".
func protocolVersion(resp *http.Response) string {
	switch {
	case resp.ProtoMajor == 1 && resp.ProtoMinor == 1:
		return "1.1"
	case resp.ProtoMajor == 1 && resp.ProtoMinor == 0:
		return "1.0"
	case resp.ProtoMajor == 2:
		return "2"
	case resp.ProtoMajor == 3:
		return "3"
	case resp.ProtoMajor == 0:
		return ""
	}
	return strconv.Itoa(resp.ProtoMajor) + "." + strconv.Itoa(resp.ProtoMinor)
}

// statusIsError reports whether a client span with this status code has
// status Error: 4xx and 5xx, as the conventions say for clients.
func statusIsError(code int) bool { return code >= 400 }

// errorType is error.type for a failed send or call: a few well-known
// classes by name, else the Go type of the innermost error that is not a
// wrapper. The values are few, so metrics stay bounded.
func errorType(err error) string {
	var (
		timeout  *middleware.TimeoutError
		proxy    *middleware.ProxyError
		dns      *net.DNSError
		netErr   net.Error
		certErr  *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		alert    tls.AlertError
		record   tls.RecordHeaderError
	)
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.As(err, &timeout), errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.As(err, &proxy):
		return "proxy_refused"
	case errors.As(err, &dns):
		return "name_resolution_error"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection_refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection_reset"
	case errors.As(err, &certErr), errors.As(err, &unknown), errors.As(err, &hostname):
		return "tls_certificate_error"
	case errors.As(err, &alert), errors.As(err, &record):
		return "tls_error"
	case errors.As(err, &netErr) && netErr.Timeout():
		return "timeout"
	}
	return semconv.ErrorType(innermost(err)).Value.AsString()
}

// innermost unwraps err to the last error of its chain, the one that names
// what went wrong rather than where (a *url.Error or a fmt.Errorf wrapper
// say little).
func innermost(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}
