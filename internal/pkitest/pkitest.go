// Package pkitest makes throw-away certificate authorities for tests: a CA,
// a server certificate for the loopback names, a client certificate, each
// written as PEM files into the test's temporary directory, and TLS test
// servers that use them.
package pkitest

import (
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
)

// PKI is a throw-away certificate authority with a server leaf and a
// client leaf, written as PEM files into a test's temporary directory.
type PKI struct {
	Dir string

	CA     *x509.Certificate
	caKey  *ecdsa.PrivateKey
	CAFile string // the CA certificate alone

	Server tls.Certificate // for 127.0.0.1, ::1, localhost, a.test, b.test

	ClientCN       string
	ClientCertFile string // client certificate
	ClientKeyFile  string // its key
	ClientPEMFile  string // certificate and key in one file
	OtherKeyFile   string // a key that belongs to no certificate
}

// New generates a CA, a server certificate and a client certificate.
func New(t testing.TB, name string) *PKI {
	t.Helper()
	p := &PKI{Dir: t.TempDir(), ClientCN: name + " client"}
	p.caKey = NewKey(t)
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
	if p.CA, err = x509.ParseCertificate(der); err != nil {
		t.Fatal(err)
	}
	p.CAFile = p.Write(t, "ca.pem", PEMBlock("CERTIFICATE", der))

	serverDER, serverKey := p.Issue(t, &x509.Certificate{
		Subject:     pkix.Name{CommonName: name + " server"},
		DNSNames:    []string{"localhost", "a.test", "b.test"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	p.Server = tls.Certificate{Certificate: [][]byte{serverDER}, PrivateKey: serverKey}

	clientDER, clientKey := p.Issue(t, &x509.Certificate{
		Subject:     pkix.Name{CommonName: p.ClientCN},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	certPEM := PEMBlock("CERTIFICATE", clientDER)
	keyPEM := KeyPEMBlock(t, clientKey)
	p.ClientCertFile = p.Write(t, "client.pem", certPEM)
	p.ClientKeyFile = p.Write(t, "client-key.pem", keyPEM)
	p.ClientPEMFile = p.Write(t, "client-combined.pem", append(append([]byte(nil), certPEM...), keyPEM...))
	p.OtherKeyFile = p.Write(t, "other-key.pem", KeyPEMBlock(t, NewKey(t)))
	return p
}

// issue signs a leaf certificate from tmpl with a new key.
func (p *PKI) Issue(t testing.TB, tmpl *x509.Certificate) ([]byte, *ecdsa.PrivateKey) {
	t.Helper()
	key := NewKey(t)
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	tmpl.SerialNumber = serial
	tmpl.NotBefore = time.Now().Add(-time.Hour)
	tmpl.NotAfter = time.Now().Add(time.Hour)
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.CA, &key.PublicKey, p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	return der, key
}

// write writes data to a file named name in p's directory and returns its
// path.
func (p *PKI) Write(t testing.TB, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(p.Dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// pool returns a certificate pool holding only p's CA.
func (p *PKI) Pool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(p.CA)
	return pool
}

// ServerOptions says how newServer starts its server.
type ServerOptions struct {
	HTTP2             bool // offer h2 in ALPN
	RequireClientCert bool // tls.RequireAndVerifyClientCert against p's CA
	VerifyClientCert  bool // tls.VerifyClientCertIfGiven against p's CA
}

// Server is an httptest TLS server that counts the connections it
// accepts.
type Server struct {
	*httptest.Server
	Conns atomic.Int64
}

// newServer starts a TLS server with p's server certificate. Its handler
// answers with the common name of the client certificate, or "anonymous".
// The server is closed when the test ends.
func (p *PKI) NewServer(t testing.TB, o ServerOptions) *Server {
	t.Helper()
	s := &Server{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
			_, _ = w.Write([]byte(r.TLS.PeerCertificates[0].Subject.CommonName))
			return
		}
		_, _ = w.Write([]byte("anonymous"))
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.Conns.Add(1)
		}
	}
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected
	s.EnableHTTP2 = o.HTTP2
	s.TLS = &tls.Config{Certificates: []tls.Certificate{p.Server}}
	switch {
	case o.RequireClientCert:
		s.TLS.ClientAuth = tls.RequireAndVerifyClientCert
		s.TLS.ClientCAs = p.Pool()
	case o.VerifyClientCert:
		s.TLS.ClientAuth = tls.VerifyClientCertIfGiven
		s.TLS.ClientCAs = p.Pool()
	}
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

func NewKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func PEMBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func KeyPEMBlock(t testing.TB, key *ecdsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return PEMBlock("PRIVATE KEY", der)
}

// IssueClient signs a client certificate for cn and writes it, its key, and
// both in one file into p's directory, under names starting with name.
func (p *PKI) IssueClient(t testing.TB, cn, name string) (certFile, keyFile, pemFile string) {
	t.Helper()
	der, key := p.Issue(t, &x509.Certificate{
		Subject:     pkix.Name{CommonName: cn},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	certPEM, keyPEM := PEMBlock("CERTIFICATE", der), KeyPEMBlock(t, key)
	return p.Write(t, name+".pem", certPEM), p.Write(t, name+"-key.pem", keyPEM),
		p.Write(t, name+"-combined.pem", append(append([]byte(nil), certPEM...), keyPEM...))
}
