package transport

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"reflect"
	"time"

	"github.com/relayhttp/relay/middleware"
)

// DefaultConnectTimeout bounds the TCP connection of a transport from [New]
// (name resolution included) when the request's context sets no
// Connect timeout with [middleware.WithTimeouts]: 30 seconds, cleanhttp's
// dialer timeout.
const DefaultConnectTimeout = 30 * time.Second

// timeoutDialer dials for a transport from New with the per-request connect
// and TLS-handshake timeouts that middleware.WithTimeouts (or the timeout
// middleware) put in the request's context. net/http dials with a context
// that keeps the request's values but not its cancellation, so a dial
// outlives an abandoned request only until its own timeout.
type timeoutDialer struct {
	t    *http.Transport // for TLSClientConfig and TLSHandshakeTimeout, read at dial time
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// installTimeouts makes t dial with dial (a net.Dialer with keep-alive when
// nil) under the per-request connect timeout, and do the TLS handshake of a
// direct https connection itself under the per-request TLS-handshake
// timeout, t.TLSHandshakeTimeout by default. The handshake is the one
// net/http would do: t.TLSClientConfig (with the "h2" protocol net/http adds
// to it) and the dialled host as ServerName unless the configuration names
// one, so HTTP/2 is negotiated as before.
func installTimeouts(t *http.Transport, dial func(ctx context.Context, network, addr string) (net.Conn, error)) {
	if dial == nil {
		d := &net.Dialer{KeepAlive: 30 * time.Second}
		dial = d.DialContext
	}
	td := &timeoutDialer{t: t, dial: dial}
	t.DialContext = td.dialContext
	t.DialTLSContext = td.dialTLSContext
}

func (d *timeoutDialer) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	timeout := DefaultConnectTimeout
	if c := middleware.RequestTimeouts(ctx).Connect; c != 0 {
		timeout = c
	}
	if timeout < 0 {
		return d.dial(ctx, network, addr)
	}
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := d.dial(dctx, network, addr)
	if err != nil && ctx.Err() == nil && errors.Is(dctx.Err(), context.DeadlineExceeded) {
		return nil, &middleware.TimeoutError{Kind: middleware.TimeoutConnect, After: timeout, Err: err}
	}
	return conn, err
}

func (d *timeoutDialer) dialTLSContext(ctx context.Context, network, addr string) (net.Conn, error) {
	conn, err := d.dialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return handshake(ctx, d.t, conn, addr)
}

// isTimeoutDialTLS reports whether f is the DialTLSContext that
// installTimeouts sets: a clone of such a transport must get its own (see
// tlsDialFor), since this one handshakes with the TLS configuration of the
// transport it was installed on.
func isTimeoutDialTLS(f func(ctx context.Context, network, addr string) (net.Conn, error)) bool {
	// A method value's code pointer is the same for every receiver.
	return f != nil && reflect.ValueOf(f).Pointer() == reflect.ValueOf((*timeoutDialer)(nil).dialTLSContext).Pointer()
}

// tlsDialFor returns a DialTLSContext for t that opens the connection with
// t.DialContext and does the handshake as a transport from New does: with
// t.TLSClientConfig, under the per-request TLS-handshake timeout.
func tlsDialFor(t *http.Transport) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := t.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return handshake(ctx, t, conn, addr)
	}
}

// handshake makes conn, dialled to addr, a TLS client connection with
// t.TLSClientConfig (the dialled host as ServerName unless it names one),
// under the request's TLS-handshake timeout, t.TLSHandshakeTimeout by
// default. It closes conn when it fails.
func handshake(ctx context.Context, t *http.Transport, conn net.Conn, addr string) (net.Conn, error) {
	cfg := t.TLSClientConfig.Clone()
	if cfg == nil {
		cfg = &tls.Config{}
	}
	if cfg.ServerName == "" {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			_ = conn.Close()
			return nil, err
		}
		cfg.ServerName = host
	}
	timeout := t.TLSHandshakeTimeout
	if h := middleware.RequestTimeouts(ctx).TLSHandshake; h != 0 {
		timeout = h
	}
	hctx := ctx
	if timeout > 0 {
		var cancel context.CancelFunc
		hctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	tc := tls.Client(conn, cfg)
	if err := tc.HandshakeContext(hctx); err != nil {
		_ = conn.Close()
		if timeout > 0 && ctx.Err() == nil && errors.Is(hctx.Err(), context.DeadlineExceeded) {
			return nil, &middleware.TimeoutError{Kind: middleware.TimeoutTLSHandshake, After: timeout, Err: err}
		}
		return nil, err
	}
	return tc, nil
}
