package httpbench

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/transport"
)

// newH2Server starts newServer's handlers over TLS with HTTP/2.
func newH2Server(tb testing.TB) *server {
	tb.Helper()
	s := newUnstartedServer()
	s.EnableHTTP2 = true
	s.StartTLS()
	tb.Cleanup(s.Close)
	return s
}

// h2Bare returns a bare client that trusts s's certificate, with
// DefaultTransport's settings and 100 idle connections per host, as
// bareClient.
func h2Bare(tb testing.TB, s *server) (*http.Client, *http.Transport) {
	tb.Helper()
	roots := x509.NewCertPool()
	roots.AddCert(s.Certificate())
	c, t := bareClient()
	t.TLSClientConfig = &tls.Config{RootCAs: roots}
	return c, t
}

// h2Session returns a relay session whose base transport (transport.New)
// trusts s's certificate through a CA bundle file.
func h2Session(tb testing.TB, s *server) *client.Session {
	tb.Helper()
	bundle := filepath.Join(tb.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})
	if err := os.WriteFile(bundle, pemBytes, 0o600); err != nil {
		tb.Fatal(err)
	}
	rt, err := transport.New(transport.CABundle(bundle))
	if err != nil {
		tb.Fatal(err)
	}
	return client.NewSession(client.WithTransport(rt))
}

// TestHTTP2 checks that both sides of BenchmarkHTTP2GET speak HTTP/2.
func TestHTTP2(t *testing.T) {
	s := newH2Server(t)
	c, tr := h2Bare(t, s)
	sess := h2Session(t, s)
	defer tr.CloseIdleConnections()
	defer sess.CloseIdleConnections()
	resp, err := c.Get(s.URL + "/small")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	r, err := sess.Get(context.Background(), s.URL+"/small")
	if err != nil {
		t.Fatal(err)
	}
	body, err := r.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if resp.ProtoMajor != 2 || r.ProtoMajor != 2 || string(body) != string(hello) {
		t.Errorf("net/http spoke %s, relay %s (body %q): want HTTP/2 for both", resp.Proto, r.Proto, body)
	}
}

// BenchmarkHTTP2GET is BenchmarkSmallGET over TLS with HTTP/2 (target:
// relay within 1.05× of bare net/http).
func BenchmarkHTTP2GET(b *testing.B) {
	s := newH2Server(b)
	url := s.URL + "/small"
	c, tr := h2Bare(b, s)
	sess := h2Session(b, s)
	defer tr.CloseIdleConnections()
	defer sess.CloseIdleConnections()
	ctx := context.Background()
	b.Run("net-http", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := bareGet(c, url); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("relay", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := relayGet(ctx, sess, url); err != nil {
				b.Fatal(err)
			}
		}
	})
}
