package transport

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptrace"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/relayhttp/relay/internal/pkitest"
	"github.com/relayhttp/relay/middleware"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

func TestCABundleFromEnvironment(t *testing.T) {
	tests := []struct {
		name       string
		env        map[string]string
		wantPath   string
		wantSource string
	}{
		{"none", nil, "", ""},
		{"RELAY_CA_BUNDLE", map[string]string{"RELAY_CA_BUNDLE": "/r.pem"}, "/r.pem", "environment variable RELAY_CA_BUNDLE"},
		{"SSL_CERT_FILE", map[string]string{"SSL_CERT_FILE": "/s.pem"}, "/s.pem", "environment variable SSL_CERT_FILE"},
		{"RELAY_CA_BUNDLE first", map[string]string{"RELAY_CA_BUNDLE": "/r.pem", "SSL_CERT_FILE": "/s.pem"}, "/r.pem", "environment variable RELAY_CA_BUNDLE"},
		{"empty is unset", map[string]string{"RELAY_CA_BUNDLE": "", "SSL_CERT_FILE": "/s.pem"}, "/s.pem", "environment variable SSL_CERT_FILE"},
		{"REQUESTS_CA_BUNDLE is not read", map[string]string{"REQUESTS_CA_BUNDLE": "/q.pem"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, source := caBundleFromEnvironment(func(k string) string { return tt.env[k] })
			if diff := cmp.Diff([2]string{tt.wantPath, tt.wantSource}, [2]string{path, source}); diff != "" {
				t.Errorf("caBundleFromEnvironment mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCABundle(t *testing.T) {
	p := pkitest.New(t, "bundle")
	other := pkitest.New(t, "other")
	srv := p.NewServer(t, pkitest.ServerOptions{})
	missing := filepath.Join(t.TempDir(), "missing.pem")

	tests := []struct {
		name      string
		env       map[string]string
		opts      []Option
		wantRoots *x509.CertPool // nil: the system roots
		wantOK    bool           // the request to srv verifies
	}{
		{name: "option", opts: []Option{CABundle(p.CAFile)}, wantRoots: p.Pool(), wantOK: true},
		{name: "option is the only roots", opts: []Option{CABundle(other.CAFile)}, wantRoots: other.Pool()},
		{name: "system roots", wantRoots: nil},
		{name: "RELAY_CA_BUNDLE", env: map[string]string{middleware.EnvCABundle: p.CAFile}, wantRoots: p.Pool(), wantOK: true},
		{name: "SSL_CERT_FILE", env: map[string]string{middleware.EnvSSLCertFile: p.CAFile}, wantRoots: p.Pool(), wantOK: true},
		{
			name:      "RELAY_CA_BUNDLE before SSL_CERT_FILE",
			env:       map[string]string{middleware.EnvCABundle: other.CAFile, middleware.EnvSSLCertFile: p.CAFile},
			wantRoots: other.Pool(),
		},
		{
			name:      "option before environment",
			env:       map[string]string{middleware.EnvCABundle: missing},
			opts:      []Option{CABundle(p.CAFile)},
			wantRoots: p.Pool(), wantOK: true,
		},
		{
			name:      "TLSConfig roots before environment",
			env:       map[string]string{middleware.EnvCABundle: missing},
			opts:      []Option{TLSConfig(&tls.Config{RootCAs: p.Pool()})},
			wantRoots: p.Pool(), wantOK: true,
		},
		{
			name:      "option before TLSConfig roots",
			opts:      []Option{TLSConfig(&tls.Config{RootCAs: other.Pool()}), CABundle(p.CAFile)},
			wantRoots: p.Pool(), wantOK: true,
		},
		{
			name:      "IgnoreEnvironment",
			env:       map[string]string{middleware.EnvCABundle: missing, middleware.EnvSSLCertFile: missing},
			opts:      []Option{IgnoreEnvironment()},
			wantRoots: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			tr := mustNew(t, tt.opts...)
			roots := tr.TLSClientConfig.RootCAs
			if tt.wantRoots == nil && roots != nil || tt.wantRoots != nil && !tt.wantRoots.Equal(roots) {
				t.Errorf("RootCAs is not the expected pool (want system roots: %v)", tt.wantRoots == nil)
			}
			_, body, err := get(t, tr, srv.URL)
			if tt.wantOK {
				if err != nil || body != "anonymous" {
					t.Errorf("GET = %q, %v; want a verified response", body, err)
				}
				return
			}
			var verr *tls.CertificateVerificationError
			if !errors.As(err, &verr) {
				t.Errorf("GET error = %v, want a certificate verification error", err)
			}
		})
	}
}

func TestCABundleErrors(t *testing.T) {
	p := pkitest.New(t, "errors")
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	missing := filepath.Join(dir, "missing.pem")
	empty := write("empty.pem", "")
	keyOnly := write("key.pem", string(pkitest.KeyPEMBlock(t, pkitest.NewKey(t))))
	corrupt := write("corrupt.pem", string(pkitest.PEMBlock("CERTIFICATE", []byte("not DER"))))
	goodThenCorrupt := write("mixed.pem", mustRead(t, p.CAFile)+string(pkitest.PEMBlock("CERTIFICATE", []byte("x"))))

	tests := []struct {
		name     string
		env      map[string]string
		opts     []Option
		wantMsgs []string // substrings of the error
		wantIs   error
	}{
		{name: "missing file", opts: []Option{CABundle(missing)}, wantMsgs: []string{missing, "CABundle option"}, wantIs: fs.ErrNotExist},
		{name: "missing from RELAY_CA_BUNDLE", env: map[string]string{middleware.EnvCABundle: missing}, wantMsgs: []string{missing, "environment variable RELAY_CA_BUNDLE"}, wantIs: fs.ErrNotExist},
		{name: "missing from SSL_CERT_FILE", env: map[string]string{middleware.EnvSSLCertFile: missing}, wantMsgs: []string{missing, "environment variable SSL_CERT_FILE"}, wantIs: fs.ErrNotExist},
		{name: "empty file", opts: []Option{CABundle(empty)}, wantMsgs: []string{empty, "no PEM certificates"}},
		{name: "key only", opts: []Option{CABundle(keyOnly)}, wantMsgs: []string{keyOnly, "no PEM certificates"}},
		{name: "bad certificate", opts: []Option{CABundle(corrupt)}, wantMsgs: []string{corrupt, "certificate 1"}},
		{name: "bad second certificate", opts: []Option{CABundle(goodThenCorrupt)}, wantMsgs: []string{goodThenCorrupt, "certificate 2"}},
		{name: "directory", opts: []Option{CABundle(dir)}, wantMsgs: []string{dir, "CABundle option"}},
		{name: "empty path", opts: []Option{CABundle("")}, wantMsgs: []string{"CABundle option", "empty path"}},
		{name: "with InsecureSkipVerify", opts: []Option{CABundle(p.CAFile), InsecureSkipVerify()}, wantMsgs: []string{p.CAFile, "verification turned off"}},
		{
			name:     "with an insecure TLSConfig",
			opts:     []Option{CABundle(p.CAFile), TLSConfig(&tls.Config{InsecureSkipVerify: true})},
			wantMsgs: []string{"verification turned off"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			rt, err := New(tt.opts...)
			if err == nil {
				rt.(*http.Transport).CloseIdleConnections()
				t.Fatal("New succeeded, want an error")
			}
			checkError(t, err, tt.wantMsgs, tt.wantIs)
		})
	}
}

func TestInsecureEnvironmentIsNotRead(t *testing.T) {
	clearEnv(t)
	t.Setenv(middleware.EnvCABundle, filepath.Join(t.TempDir(), "missing.pem"))
	tr := mustNew(t, InsecureSkipVerify())
	if tr.TLSClientConfig.RootCAs != nil {
		t.Error("an insecure transport has RootCAs from the environment")
	}
}

func TestClientCert(t *testing.T) {
	clearEnv(t)
	p := pkitest.New(t, "mtls")
	srv := p.NewServer(t, pkitest.ServerOptions{RequireClientCert: true})
	tests := []struct {
		name   string
		opts   []Option
		wantOK bool
	}{
		{"cert and key files", []Option{ClientCert(p.ClientCertFile, p.ClientKeyFile)}, true},
		{"combined PEM", []Option{ClientCertPEM(p.ClientPEMFile)}, true},
		{"replaces TLSConfig certificates", []Option{TLSConfig(&tls.Config{Certificates: []tls.Certificate{p.Server}}), ClientCertPEM(p.ClientPEMFile)}, true},
		{"no client certificate", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := mustNew(t, append(tt.opts, CABundle(p.CAFile))...)
			_, body, err := get(t, tr, srv.URL)
			switch {
			case tt.wantOK && (err != nil || body != p.ClientCN):
				t.Errorf("GET = %q, %v; want %q", body, err, p.ClientCN)
			case !tt.wantOK && err == nil:
				t.Errorf("GET = %q; want the server to refuse the handshake", body)
			}
		})
	}
}

func TestClientCertErrors(t *testing.T) {
	clearEnv(t)
	p := pkitest.New(t, "bad")
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.pem")
	getCert := func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return nil, nil }
	tests := []struct {
		name     string
		opts     []Option
		wantMsgs []string
		wantIs   error
	}{
		{"missing certificate", []Option{ClientCert(missing, p.ClientKeyFile)}, []string{missing, "ClientCert option"}, fs.ErrNotExist},
		{"missing key", []Option{ClientCert(p.ClientCertFile, missing)}, []string{missing, "client key", "ClientCert option"}, fs.ErrNotExist},
		{"mismatched key", []Option{ClientCert(p.ClientCertFile, p.OtherKeyFile)}, []string{p.ClientCertFile, p.OtherKeyFile, "does not match"}, nil},
		{"key given as certificate", []Option{ClientCert(p.ClientKeyFile, p.ClientKeyFile)}, []string{p.ClientKeyFile, "ClientCert option"}, nil},
		{"missing PEM", []Option{ClientCertPEM(missing)}, []string{missing, "ClientCertPEM option"}, fs.ErrNotExist},
		{"PEM without key", []Option{ClientCertPEM(p.ClientCertFile)}, []string{p.ClientCertFile, "ClientCertPEM option"}, nil},
		{"PEM without certificate", []Option{ClientCertPEM(p.ClientKeyFile)}, []string{p.ClientKeyFile, "ClientCertPEM option"}, nil},
		{"empty paths", []Option{ClientCert("", "")}, []string{"empty path", "ClientCert option"}, nil},
		{"empty PEM path", []Option{ClientCertPEM("")}, []string{"empty path", "ClientCertPEM option"}, nil},
		{"last option wins", []Option{ClientCertPEM(p.ClientPEMFile), ClientCert(missing, missing)}, []string{missing, "ClientCert option"}, fs.ErrNotExist},
		{
			"with GetClientCertificate",
			[]Option{TLSConfig(&tls.Config{GetClientCertificate: getCert}), ClientCertPEM(p.ClientPEMFile)},
			[]string{"GetClientCertificate"}, nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt, err := New(tt.opts...)
			if err == nil {
				rt.(*http.Transport).CloseIdleConnections()
				t.Fatal("New succeeded, want an error")
			}
			checkError(t, err, tt.wantMsgs, tt.wantIs)
		})
	}
}

func TestInsecureSkipVerifyWarnsOncePerNew(t *testing.T) {
	clearEnv(t)
	p := pkitest.New(t, "insecure")
	srv := p.NewServer(t, pkitest.ServerOptions{})
	core, logs := observer.New(zapcore.DebugLevel)
	logger := zap.New(core)

	secure := mustNew(t, Logger(logger), CABundle(p.CAFile))
	if _, _, err := get(t, secure, srv.URL); err != nil {
		t.Fatal(err)
	}
	if n := logs.Len(); n != 0 {
		t.Fatalf("a verifying transport logged %d entries, want none", n)
	}

	for i := range 2 {
		tr := mustNew(t, Logger(logger), InsecureSkipVerify())
		for range 3 {
			if _, body, err := get(t, tr, srv.URL); err != nil || body != "anonymous" {
				t.Fatalf("GET = %q, %v; want an unverified response", body, err)
			}
		}
		if n := logs.Len(); n != i+1 {
			t.Fatalf("after %d New calls and their requests: %d log entries, want %d", i+1, n, i+1)
		}
	}
	mustNew(t, Logger(logger), TLSConfig(&tls.Config{InsecureSkipVerify: true}))

	type entry struct {
		Level  zapcore.Level
		Source string
	}
	var got []entry
	for _, e := range logs.All() {
		if !strings.Contains(e.Message, "verification is disabled") {
			t.Errorf("unexpected log message %q", e.Message)
		}
		got = append(got, entry{e.Level, e.ContextMap()["source"].(string)})
	}
	want := []entry{
		{zapcore.WarnLevel, "InsecureSkipVerify option"},
		{zapcore.WarnLevel, "InsecureSkipVerify option"},
		{zapcore.WarnLevel, "TLSConfig option"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("log entries mismatch (-want +got):\n%s", diff)
	}
}

// TestInsecureConnectionsAreNotReused checks that a connection made without
// verification never serves a verifying request: each New has its own pool.
func TestInsecureConnectionsAreNotReused(t *testing.T) {
	clearEnv(t)
	p := pkitest.New(t, "pools")
	other := pkitest.New(t, "stranger")
	srv := p.NewServer(t, pkitest.ServerOptions{HTTP2: true})

	insecure := mustNew(t, InsecureSkipVerify())
	wrongCA := mustNew(t, CABundle(other.CAFile))
	rightCA := mustNew(t, CABundle(p.CAFile))

	for range 2 {
		if _, _, err := get(t, insecure, srv.URL); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.Conns.Load(); n != 1 {
		t.Fatalf("the insecure transport opened %d connections, want 1", n)
	}

	// A verifying transport must dial and verify on its own, and fail here.
	_, _, err := get(t, wrongCA, srv.URL)
	var verr *tls.CertificateVerificationError
	if !errors.As(err, &verr) {
		t.Errorf("verifying GET error = %v, want a certificate verification error", err)
	}

	var reused []bool
	trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) { reused = append(reused, i.Reused) }}
	req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(t.Context(), trace), http.MethodGet, srv.URL, nil)
	resp, err := rightCA.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if diff := cmp.Diff([]bool{false}, reused); diff != "" {
		t.Errorf("verifying request's connection reuse mismatch (-want +got):\n%s", diff)
	}
	if n := srv.Conns.Load(); n != 3 {
		t.Errorf("server accepted %d connections, want 3 (insecure, failed verify, verified)", n)
	}
}

func TestTLSConfigIsNotModified(t *testing.T) {
	clearEnv(t)
	p := pkitest.New(t, "base")
	srv := p.NewServer(t, pkitest.ServerOptions{HTTP2: true, RequireClientCert: true})
	base := &tls.Config{ServerName: "a.test", MinVersion: tls.VersionTLS12}
	tr := mustNew(t, TLSConfig(base), CABundle(p.CAFile), ClientCertPEM(p.ClientPEMFile), IgnoreEnvironment(),
		DialContext(dialTo(srv.Listener.Addr().String())))
	proto, body, err := get(t, tr, "https://b.test/")
	if err != nil || body != p.ClientCN || proto != 2 {
		t.Fatalf("GET = HTTP/%d %q, %v; want HTTP/2 %q", proto, body, err, p.ClientCN)
	}
	if tr.TLSClientConfig == base {
		t.Fatal("the transport uses the caller's *tls.Config")
	}
	type snapshot struct {
		ServerName   string
		MinVersion   uint16
		NextProtos   []string
		Certificates int
		RootCAs      bool
		Insecure     bool
	}
	got := snapshot{base.ServerName, base.MinVersion, base.NextProtos, len(base.Certificates), base.RootCAs != nil, base.InsecureSkipVerify}
	want := snapshot{ServerName: "a.test", MinVersion: tls.VersionTLS12}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("base TLS config was modified (-want +got):\n%s", diff)
	}
}

// checkError fails t unless err starts with "transport: ", contains every
// string of msgs, and, if is is not nil, wraps is.
func checkError(t *testing.T, err error, msgs []string, is error) {
	t.Helper()
	if !strings.HasPrefix(err.Error(), "transport: ") {
		t.Errorf("error %q does not start with %q", err, "transport: ")
	}
	for _, m := range msgs {
		if !strings.Contains(err.Error(), m) {
			t.Errorf("error %q does not mention %q", err, m)
		}
	}
	if is != nil && !errors.Is(err, is) {
		t.Errorf("error %q does not wrap %v", err, is)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
