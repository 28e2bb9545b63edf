package transport

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/relayhttp/relay/middleware"
)

// maxPEMFileSize bounds how much of a CA bundle or certificate file is read.
// The Mozilla bundle is about 220 KiB; a file larger than this is a mistake
// (or a device such as /dev/zero), not a certificate store.
const maxPEMFileSize = 16 << 20

// caBundleFromEnvironment returns the CA bundle path the environment (read
// with getenv) names and a description of the variable it came from. It is
// the only place this package reads the environment.
func caBundleFromEnvironment(getenv func(string) string) (path, source string) {
	path, name := middleware.CABundleFrom(getenv)
	if path == "" {
		return "", ""
	}
	return path, "environment variable " + name
}

// loadCABundle reads the PEM file at path into a new pool holding exactly its
// certificates. source says where path came from, for error messages. Blocks
// other than CERTIFICATE (and text between blocks) are skipped; a CERTIFICATE
// block that does not parse is an error, as is a file with no certificate.
func loadCABundle(path, source string) (*x509.CertPool, error) {
	data, err := readPEMFile(path)
	if err != nil {
		return nil, fmt.Errorf("transport: CA bundle (from %s): %w", source, err)
	}
	pool := x509.NewCertPool()
	n := 0
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		n++
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("transport: CA bundle %q (from %s): certificate %d: %w", path, source, n, err)
		}
		pool.AddCert(cert)
	}
	if n == 0 {
		return nil, fmt.Errorf("transport: CA bundle %q (from %s): no PEM certificates found", path, source)
	}
	return pool, nil
}

// load reads the client certificate and key s names and checks that they
// belong together.
func (s clientCertSource) load() (tls.Certificate, error) {
	if s.combined {
		return loadKeyPair(s.pemFile, "", "ClientCertPEM option")
	}
	if s.keyFile == "" { // not the combined form: a key file was asked for
		return tls.Certificate{}, fmt.Errorf("transport: client key (from ClientCert option): %w",
			&os.PathError{Op: "open", Path: "", Err: errors.New("empty path")})
	}
	return loadKeyPair(s.certFile, s.keyFile, "ClientCert option")
}

// errFileTooLarge is reported for a PEM file over maxPEMFileSize.
var errFileTooLarge = errors.New("file too large for a PEM certificate store")

// readPEMFile reads at most maxPEMFileSize bytes of the file at path. Its
// errors name the path, as those of the os package do.
func readPEMFile(path string) ([]byte, error) {
	if path == "" {
		return nil, &os.PathError{Op: "open", Path: path, Err: errors.New("empty path")}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPEMFileSize+1))
	if err != nil {
		return nil, err // an *os.PathError naming path
	}
	if len(data) > maxPEMFileSize {
		return nil, &os.PathError{Op: "read", Path: path, Err: errFileTooLarge}
	}
	return data, nil
}

// TLSSettings are the TLS choices of a route — Requests' verify and cert —
// as a relay Session takes them in its TLS field: InsecureSkipVerify, or a
// CABundle whose certificates are the only roots, and a client certificate
// (CertFile, with its key in KeyFile or, when KeyFile is "", in CertFile).
// See middleware.TLSSettings for each field.
type TLSSettings = middleware.TLSSettings
