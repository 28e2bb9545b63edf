package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// pki is a throwaway certificate authority made in memory for the tour: a
// server certificate for 127.0.0.1 and a client certificate, with the files
// a user would have on disk written as PEM into a temporary directory.
type pki struct {
	caPool *x509.CertPool  // trusts the tour CA: the mTLS server's ClientCAs
	server tls.Certificate // the mTLS server's certificate, for 127.0.0.1

	caFile     string // the CA certificate (transport.CABundle)
	clientCert string // the client certificate (transport.ClientCert)
	clientKey  string // its private key
	clientPEM  string // certificate and key in one file (transport.ClientCertPEM)
	strayKey   string // a key that belongs to no certificate
}

// clientCN is the common name of the tour's client certificate.
const clientCN = "tour-client"

// newPKI generates the CA and both leaves and writes the PEM files into dir.
func newPKI(dir string) (*pki, error) {
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "relay tour CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}

	leaf := func(serial int64, cn string, usage x509.ExtKeyUsage, ips []net.IP) ([]byte, *ecdsa.PrivateKey, error) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, nil, err
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial),
			Subject:      pkix.Name{CommonName: cn},
			NotBefore:    now.Add(-time.Hour),
			NotAfter:     now.Add(time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature,
			ExtKeyUsage:  []x509.ExtKeyUsage{usage},
			IPAddresses:  ips,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		return der, key, err
	}
	serverDER, serverKey, err := leaf(2, "127.0.0.1", x509.ExtKeyUsageServerAuth, []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback})
	if err != nil {
		return nil, err
	}
	clientDER, clientKey, err := leaf(3, clientCN, x509.ExtKeyUsageClientAuth, nil)
	if err != nil {
		return nil, err
	}
	strayKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}

	p := &pki{
		caPool:     x509.NewCertPool(),
		server:     tls.Certificate{Certificate: [][]byte{serverDER}, PrivateKey: serverKey},
		caFile:     filepath.Join(dir, "ca.pem"),
		clientCert: filepath.Join(dir, "client.crt"),
		clientKey:  filepath.Join(dir, "client.key"),
		clientPEM:  filepath.Join(dir, "client.pem"),
		strayKey:   filepath.Join(dir, "stray.key"),
	}
	p.caPool.AddCert(ca)

	clientCertPEM := certPEM(clientDER)
	clientKeyPEM, err := keyPEM(clientKey)
	if err != nil {
		return nil, err
	}
	strayKeyPEM, err := keyPEM(strayKey)
	if err != nil {
		return nil, err
	}
	for path, content := range map[string][]byte{
		p.caFile:     certPEM(caDER),
		p.clientCert: clientCertPEM,
		p.clientKey:  clientKeyPEM,
		p.clientPEM:  append(append([]byte{}, clientCertPEM...), clientKeyPEM...),
		p.strayKey:   strayKeyPEM,
	} {
		if err := os.WriteFile(path, content, 0o600); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func certPEM(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func keyPEM(key *ecdsa.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("encoding key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}
