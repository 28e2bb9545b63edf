package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/httpbintest"
)

// env is what the steps share: the loopback servers they talk to, the files
// they read, and where they print.
type env struct {
	out io.Writer

	httpbin *httptest.Server // go-httpbin plus the tour's own /tour/ handlers
	other   *httptest.Server // a second origin, to show where credentials go
	tls     *httptest.Server // go-httpbin over TLS (HTTP/2), httptest's certificate
	mtls    *httptest.Server // a TLS server that requires a client certificate
	proxy   *httptest.Server // a forward proxy (e.forward)
	forward *forwardProxy

	dir       string // temporary directory for PEM files and uploads
	tlsCAFile string // the certificate of e.tls, as a CA bundle
	pki       *pki   // the CA and certificates behind e.mtls

	names *strings.Replacer // random ports and paths → stable names
}

// newEnv starts the servers and writes the files. Close releases them, also
// when newEnv fails half-way.
func newEnv(out io.Writer) (_ *env, err error) {
	e := &env{out: out}
	defer func() {
		if err != nil {
			e.Close()
		}
	}()
	quiet := log.New(io.Discard, "", 0) // handshakes the tour fails on purpose

	mux := http.NewServeMux()
	registerTourHandlers(mux)
	mux.Handle("/", httpbintest.Handler())
	e.httpbin = httptest.NewServer(mux)
	e.other = httpbintest.New()
	e.forward = newForwardProxy()
	e.proxy = httptest.NewServer(e.forward)

	e.tls = httptest.NewUnstartedServer(httpbintest.Handler())
	e.tls.EnableHTTP2 = true
	e.tls.Config.ErrorLog = quiet
	e.tls.StartTLS()

	if e.dir, err = os.MkdirTemp("", "relay-tour-"); err != nil {
		return nil, err
	}
	e.tlsCAFile = filepath.Join(e.dir, "httpbin-tls.pem")
	if err := os.WriteFile(e.tlsCAFile, certPEM(e.tls.Certificate().Raw), 0o600); err != nil {
		return nil, err
	}
	if e.pki, err = newPKI(e.dir); err != nil {
		return nil, fmt.Errorf("making certificates: %w", err)
	}
	e.mtls = httptest.NewUnstartedServer(http.HandlerFunc(whoami))
	e.mtls.TLS = &tls.Config{
		Certificates: []tls.Certificate{e.pki.server},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    e.pki.caPool,
	}
	e.mtls.Config.ErrorLog = quiet
	e.mtls.StartTLS()

	e.names = strings.NewReplacer(
		e.httpbin.URL, "http://httpbin",
		e.other.URL, "http://other",
		e.tls.URL, "https://httpbin-tls",
		e.mtls.URL, "https://mtls",
		e.proxy.URL, "http://proxy",
		strings.TrimPrefix(e.httpbin.URL, "http://"), "httpbin",
		strings.TrimPrefix(e.other.URL, "http://"), "other",
		strings.TrimPrefix(e.tls.URL, "https://"), "httpbin-tls",
		strings.TrimPrefix(e.mtls.URL, "https://"), "mtls",
		strings.TrimPrefix(e.proxy.URL, "http://"), "proxy",
		e.dir, "$TMP",
	)
	return e, nil
}

// Close stops the servers and removes the files.
func (e *env) Close() {
	for _, s := range []*httptest.Server{e.proxy, e.httpbin, e.other, e.tls, e.mtls} {
		if s != nil {
			s.Close()
		}
	}
	if e.forward != nil {
		e.forward.Close()
	}
	if e.dir != "" {
		_ = os.RemoveAll(e.dir)
	}
}

// url returns the address of path on the plain go-httpbin server.
func (e *env) url(path string) string { return e.httpbin.URL + path }

// clean replaces the servers' random addresses and the temporary directory
// in s with stable names, so that the tour prints the same text every run.
func (e *env) clean(s string) string {
	if e.names == nil {
		return s
	}
	return e.names.Replace(s)
}

// say prints one indented line of what a step did or saw.
func (e *env) say(format string, args ...any) {
	fmt.Fprintf(e.out, "   %s\n", e.clean(fmt.Sprintf(format, args...)))
}

// echo decodes go-httpbin's echo of a request (/get, /post, /headers, …)
// after checking that the response is a 200.
func echo(r *client.Response) (httpbintest.Echo, error) {
	var e httpbintest.Echo
	if err := status(r, http.StatusOK); err != nil {
		return e, err
	}
	return e, r.JSON(&e)
}

// status checks r's status code.
func status(r *client.Response, want int) error {
	if r.StatusCode != want {
		return fmt.Errorf("%s %s: status %q, want %d", r.Request.Method, r.Request.URL.Path, r.Status, want)
	}
	return nil
}

// equal checks one value the tour saw against the one it expects.
func equal[T comparable](what string, got, want T) error {
	if got != want {
		return fmt.Errorf("%s = %#v, want %#v", what, got, want)
	}
	return nil
}

// expect fails with the message unless ok.
func expect(ok bool, format string, args ...any) error {
	if !ok {
		return fmt.Errorf(format, args...)
	}
	return nil
}

// failed is errors.Join under a name that reads well in a step: the step
// fails with every check that did not hold.
func failed(checks ...error) error { return errors.Join(checks...) }

// setenvs sets environment variables, unsetting those given "", and returns
// what puts every one back as it was. Steps set the environment only for as
// long as they need it.
func setenvs(vars map[string]string) (restore func()) {
	type saved struct {
		value string
		had   bool
	}
	old := map[string]saved{}
	for k, v := range vars {
		value, had := os.LookupEnv(k)
		old[k] = saved{value, had}
		if v == "" {
			os.Unsetenv(k)
		} else {
			os.Setenv(k, v)
		}
	}
	return func() {
		for k, o := range old {
			if o.had {
				os.Setenv(k, o.value)
			} else {
				os.Unsetenv(k)
			}
		}
	}
}
