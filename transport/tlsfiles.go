package transport

import (
	"crypto/tls"
	"fmt"
	"os"
	"time"
)

// fileCheckInterval is how often, at most, a route's CA bundle and client
// certificate files are looked at again for changes.
const fileCheckInterval = time.Second

// watchedFile is a file a route's pool was built from, as it was on disk
// just before it was read.
type watchedFile struct {
	path string
	info os.FileInfo // nil: it could not be read
}

// snapshot returns how the files at paths are on disk now.
func snapshot(paths ...string) []watchedFile {
	w := make([]watchedFile, 0, len(paths))
	for _, p := range paths {
		if p == "" {
			continue
		}
		info, _ := os.Stat(p)
		w = append(w, watchedFile{p, info})
	}
	return w
}

// changed reports whether any of files differs on disk from its snapshot:
// another file in its place (a rename, as certificate rotation tools do),
// another size or modification time, or readable where it was not (or the
// reverse).
func changed(files []watchedFile) bool {
	for _, f := range files {
		info, _ := os.Stat(f.path)
		switch {
		case (info == nil) != (f.info == nil):
			return true
		case info == nil:
		case !os.SameFile(info, f.info), info.Size() != f.info.Size(), !info.ModTime().Equal(f.info.ModTime()):
			return true
		}
	}
	return false
}

// loadKeyPair reads a client certificate (PEM, with optional
// intermediates) and its key: from keyFile, or from certFile itself when
// keyFile is "". source says where the names came from, for errors.
func loadKeyPair(certFile, keyFile, source string) (tls.Certificate, error) {
	certPEM, err := readPEMFile(certFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("transport: client certificate (from %s): %w", source, err)
	}
	keyPEM := certPEM
	if keyFile != "" {
		if keyPEM, err = readPEMFile(keyFile); err != nil {
			return tls.Certificate{}, fmt.Errorf("transport: client key (from %s): %w", source, err)
		}
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		if keyFile == "" {
			return tls.Certificate{}, fmt.Errorf("transport: client certificate %q (from %s): %w", certFile, source, err)
		}
		return tls.Certificate{}, fmt.Errorf("transport: client certificate %q with key %q (from %s): %w",
			certFile, keyFile, source, err)
	}
	return cert, nil
}
