package transport

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/relayhttp/relay/middleware"
)

// testPKI is a throw-away certificate authority with a server leaf and a
// client leaf, written as PEM files into a test's temporary directory.
type testPKI struct {
	dir string

	ca     *x509.Certificate
	caKey  *ecdsa.PrivateKey
	caFile string // the CA certificate alone

	server tls.Certificate // for 127.0.0.1, ::1, localhost, a.test, b.test

	clientCN       string
	clientCertFile string // client certificate
	clientKeyFile  string // its key
	clientPEMFile  string // certificate and key in one file
	otherKeyFile   string // a key that belongs to no certificate
}

// newPKI generates a CA, a server certificate and a client certificate.
func newPKI(t testing.TB, name string) *testPKI {
	t.Helper()
	p := &testPKI{dir: t.TempDir(), clientCN: name + " client"}
	p.caKey = newKey(t)
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name + " test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &p.caKey.PublicKey, p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	if p.ca, err = x509.ParseCertificate(der); err != nil {
		t.Fatal(err)
	}
	p.caFile = p.write(t, "ca.pem", pemBlock("CERTIFICATE", der))

	serverDER, serverKey := p.issue(t, &x509.Certificate{
		Subject:     pkix.Name{CommonName: name + " server"},
		DNSNames:    []string{"localhost", "a.test", "b.test"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	p.server = tls.Certificate{Certificate: [][]byte{serverDER}, PrivateKey: serverKey}

	clientDER, clientKey := p.issue(t, &x509.Certificate{
		Subject:     pkix.Name{CommonName: p.clientCN},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	certPEM := pemBlock("CERTIFICATE", clientDER)
	keyPEM := keyPEMBlock(t, clientKey)
	p.clientCertFile = p.write(t, "client.pem", certPEM)
	p.clientKeyFile = p.write(t, "client-key.pem", keyPEM)
	p.clientPEMFile = p.write(t, "client-combined.pem", append(append([]byte(nil), certPEM...), keyPEM...))
	p.otherKeyFile = p.write(t, "other-key.pem", keyPEMBlock(t, newKey(t)))
	return p
}

// issue signs a leaf certificate from tmpl with a new key.
func (p *testPKI) issue(t testing.TB, tmpl *x509.Certificate) ([]byte, *ecdsa.PrivateKey) {
	t.Helper()
	key := newKey(t)
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	tmpl.SerialNumber = serial
	tmpl.NotBefore = time.Now().Add(-time.Hour)
	tmpl.NotAfter = time.Now().Add(time.Hour)
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.ca, &key.PublicKey, p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	return der, key
}

// write writes data to a file named name in p's directory and returns its
// path.
func (p *testPKI) write(t testing.TB, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(p.dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// pool returns a certificate pool holding only p's CA.
func (p *testPKI) pool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(p.ca)
	return pool
}

// serverOptions says how newServer starts its server.
type serverOptions struct {
	http2             bool // offer h2 in ALPN
	requireClientCert bool // tls.RequireAndVerifyClientCert against p's CA
}

// testServer is an httptest TLS server that counts the connections it
// accepts.
type testServer struct {
	*httptest.Server
	conns atomic.Int64
}

// newServer starts a TLS server with p's server certificate. Its handler
// answers with the common name of the client certificate, or "anonymous".
// The server is closed when the test ends.
func (p *testPKI) newServer(t testing.TB, o serverOptions) *testServer {
	t.Helper()
	s := &testServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
			_, _ = w.Write([]byte(r.TLS.PeerCertificates[0].Subject.CommonName))
			return
		}
		_, _ = w.Write([]byte("anonymous"))
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected
	s.EnableHTTP2 = o.http2
	s.TLS = &tls.Config{Certificates: []tls.Certificate{p.server}}
	if o.requireClientCert {
		s.TLS.ClientAuth = tls.RequireAndVerifyClientCert
		s.TLS.ClientCAs = p.pool()
	}
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

// dialTo returns a dial function that connects every address to addr, the
// way tests make made-up host names such as a.test reach a loopback server.
func dialTo(addr string) func(ctx context.Context, network, _ string) (net.Conn, error) {
	var d net.Dialer
	return func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func keyPEMBlock(t testing.TB, key *ecdsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pemBlock("PRIVATE KEY", der)
}

// mustNew calls New and fails the test on error. The transport's idle
// connections are closed when the test ends.
func mustNew(t testing.TB, opts ...Option) *http.Transport {
	t.Helper()
	rt, err := New(opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	tr, ok := rt.(*http.Transport)
	if !ok {
		t.Fatalf("New returned %T, want *http.Transport", rt)
	}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// get sends a GET for url through rt and returns the response's protocol
// major version and body.
func get(t testing.TB, rt http.RoundTripper, url string) (proto int, body string, err error) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.ProtoMajor, string(b), err
}

// clearEnv unsets the CA bundle variables for the test.
func clearEnv(t *testing.T) {
	t.Setenv(middleware.EnvCABundle, "")
	t.Setenv(middleware.EnvSSLCertFile, "")
}
