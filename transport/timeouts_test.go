package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/relayhttp/relay/internal/pkitest"
	"github.com/relayhttp/relay/middleware"
)

// silentListener accepts connections and never writes to them, so a TLS
// handshake with it never completes. Accepted connections are closed when
// the test ends.
func silentListener(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
		wg    sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}

func roundTrip(ctx context.Context, rt http.RoundTripper, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := rt.RoundTrip(req)
	if err == nil {
		resp.Body.Close()
	}
	return err
}

func wantTimeout(t *testing.T, err error, kind middleware.TimeoutKind, after time.Duration) {
	t.Helper()
	var te *middleware.TimeoutError
	if !errors.As(err, &te) || te.Kind != kind || te.After != after {
		t.Fatalf("err = %v, want a %s *TimeoutError after %v", err, kind, after)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("errors.Is(%v, context.DeadlineExceeded) = false", err)
	}
}

func TestTLSHandshakeTimeout(t *testing.T) {
	addr := silentListener(t)
	t.Run("per request", func(t *testing.T) {
		tr := mustNew(t, IgnoreEnvironment())
		ctx := middleware.WithTimeouts(t.Context(), middleware.Timeouts{TLSHandshake: 50 * time.Millisecond})
		start := time.Now()
		err := roundTrip(ctx, tr, "https://"+addr+"/")
		wantTimeout(t, err, middleware.TimeoutTLSHandshake, 50*time.Millisecond)
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("took %v", d)
		}
	})
	t.Run("transport default", func(t *testing.T) {
		tr := mustNew(t, IgnoreEnvironment())
		tr.TLSHandshakeTimeout = 40 * time.Millisecond
		wantTimeout(t, roundTrip(t.Context(), tr, "https://"+addr+"/"), middleware.TimeoutTLSHandshake, 40*time.Millisecond)
	})
}

// TestConnectTimeout cannot make a loopback connect hang, so it gives New a
// dial function that blocks until its context ends, as a dial to a
// black-holed address does. It proves that the per-request limit reaches
// the dial function as a context deadline and that its expiry is reported
// as a connect *TimeoutError — not that the operating system's connect
// honours it, which net.Dialer's own tests cover.
func TestConnectTimeout(t *testing.T) {
	var (
		mu        sync.Mutex
		deadlines []time.Duration // time left when the dial started; -1 for none
	)
	block := func(ctx context.Context, _, _ string) (net.Conn, error) {
		left := time.Duration(-1)
		if d, ok := ctx.Deadline(); ok {
			left = time.Until(d)
		}
		mu.Lock()
		deadlines = append(deadlines, left)
		mu.Unlock()
		<-ctx.Done()
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: ctx.Err()}
	}
	tr := mustNew(t, IgnoreEnvironment(), DialContext(block))

	ctx := middleware.WithTimeouts(t.Context(), middleware.Timeouts{Connect: 50 * time.Millisecond})
	wantTimeout(t, roundTrip(ctx, tr, "http://a.test/"), middleware.TimeoutConnect, 50*time.Millisecond)
	wantTimeout(t, roundTrip(ctx, tr, "https://a.test/"), middleware.TimeoutConnect, 50*time.Millisecond)

	// Without a per-request limit the default bounds the dial; a negative
	// one leaves it unbounded. Both dials are abandoned by the caller here.
	for _, c := range []middleware.Timeouts{{}, {Connect: -1}} {
		ctx, cancel := context.WithTimeout(middleware.WithTimeouts(t.Context(), c), 20*time.Millisecond)
		err := roundTrip(ctx, tr, "http://a.test/")
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("abandoned dial: err = %v", err)
		}
	}
	tr.CloseIdleConnections() // cancels the dials still pending
	mu.Lock()
	defer mu.Unlock()
	if len(deadlines) != 4 {
		t.Fatalf("%d dials, want 4", len(deadlines))
	}
	if left := deadlines[2]; left < DefaultConnectTimeout-time.Second || left > DefaultConnectTimeout {
		t.Errorf("default dial deadline in %v, want about %v", left, DefaultConnectTimeout)
	}
	if left := deadlines[3]; left != -1 {
		t.Errorf("Connect: -1 dial deadline in %v, want none", left)
	}
}

// TestTimeoutDialerKeepsHTTP2 checks that the transport's own TLS dial
// still negotiates HTTP/2, verifies the certificate against the URL's host,
// and presents a client certificate.
func TestTimeoutDialerKeepsHTTP2(t *testing.T) {
	p := pkitest.New(t, "h2-timeouts")
	srv := p.NewServer(t, pkitest.ServerOptions{HTTP2: true})
	tr := mustNew(t, IgnoreEnvironment(), TLSConfig(&tls.Config{RootCAs: p.Pool()}))
	if tr.DialTLSContext == nil {
		t.Fatal("New installed no DialTLSContext")
	}
	ctx := middleware.WithTimeouts(t.Context(), middleware.Timeouts{Connect: time.Second, TLSHandshake: 2 * time.Second})
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.ProtoMajor != 2 {
		t.Errorf("ProtoMajor = %d, want 2", resp.ProtoMajor)
	}

	// The ServerName is the URL's host: a.test, in the certificate, is
	// accepted through a dialer that routes it to the server, and a name
	// the certificate lacks is refused.
	routed := mustNew(t, IgnoreEnvironment(), TLSConfig(&tls.Config{RootCAs: p.Pool()}),
		DialContext(dialTo(srv.Listener.Addr().String())))
	if err := roundTrip(t.Context(), routed, "https://a.test/"); err != nil {
		t.Errorf("https://a.test/ routed to the server: %v", err)
	}
	wrong := mustNew(t, IgnoreEnvironment(), TLSConfig(&tls.Config{RootCAs: p.Pool()}),
		DialContext(dialTo(srv.Listener.Addr().String())))
	err = roundTrip(t.Context(), wrong, "https://not-in-the-cert.test/")
	var he x509.HostnameError
	if err == nil || !errors.As(err, &he) {
		t.Errorf("err = %v, want a host name verification error", err)
	}
}
