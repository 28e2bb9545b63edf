package transport

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
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
	cfg := d.t.TLSClientConfig.Clone()
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
	timeout := d.t.TLSHandshakeTimeout
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
