package main

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"path/filepath"
	"strings"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/transport"
)

// sessionOver builds a session over a transport made with opts. The caller
// closes its idle connections.
func sessionOver(opts ...transport.Option) (*client.Session, error) {
	rt, err := transport.New(opts...)
	if err != nil {
		return nil, err
	}
	return client.NewSession(client.WithTransport(rt)), nil
}

// sessionOverCA builds a session over a transport that trusts
// https://httpbin-tls; the session routes it through the proxies it picks.
func sessionOverCA(e *env) (*client.Session, error) {
	return sessionOver(transport.CABundle(e.tlsCAFile), transport.IgnoreEnvironment())
}

// certVerification: certificates are verified by default; Requests'
// verify — a CA bundle, or verification off — is a setting of the session
// and of each request, and turning verification off is explicit and logged.
func certVerification(ctx context.Context, e *env) error {
	core, logs := observer.New(zapcore.WarnLevel)
	s := client.NewSession(client.WithLogger(zap.New(core)))
	defer s.CloseIdleConnections()
	_, err := s.Get(ctx, e.tls.URL+"/get")
	e.say("default session, GET https://httpbin-tls/get (self-signed certificate) →")
	e.say("  %v", err)
	var verr *tls.CertificateVerificationError
	if err := expect(errors.As(err, &verr), "want a *tls.CertificateVerificationError, got %v", err); err != nil {
		return err
	}

	ca := filepath.Base(e.tlsCAFile)
	r, err := s.Get(ctx, e.tls.URL+"/get", client.CABundle(e.tlsCAFile))
	if err != nil {
		return err
	}
	e.say("s.Get(…, client.CABundle(%q)) → %s over %s   (Requests: verify=%q)", ca, r.Status, r.Proto, ca)
	if err := failed(status(r, http.StatusOK), equal("protocol", r.Proto, "HTTP/2.0")); err != nil {
		return err
	}

	for range 2 {
		if r, err = s.Get(ctx, e.tls.URL+"/get", client.InsecureSkipVerify()); err != nil {
			return err
		}
	}
	insecure := logs.FilterMessageSnippet("verification is disabled")
	e.say("s.Get(…, client.InsecureSkipVerify()) twice → %s; the session logged %d warning(s):   (Requests: verify=False)", r.Status, insecure.Len())
	for _, entry := range insecure.All() {
		e.say("  %s: %s", entry.Level, entry.Message)
	}
	if err := failed(status(r, http.StatusOK), equal("warnings", insecure.Len(), 1)); err != nil {
		return err
	}
	_, err = s.Get(ctx, e.tls.URL+"/get")
	e.say("the next request without the option verifies again (the insecure connection is never reused) → %v", err != nil)
	if err := expect(errors.As(err, &verr), "a verifying request after insecure ones: %v", err); err != nil {
		return err
	}

	s.TLS = transport.TLSSettings{CABundle: e.tlsCAFile}
	if r, err = s.Get(ctx, e.tls.URL+"/get"); err != nil {
		return err
	}
	e.say("s.TLS = transport.TLSSettings{CABundle: %q}; s.Get(…) → %s   (Requests: s.verify = %q)", ca, r.Status, ca)
	if err := status(r, http.StatusOK); err != nil {
		return err
	}

	missing := filepath.Join(e.dir, "missing.pem")
	_, err = s.Get(ctx, e.tls.URL+"/get", client.CABundle(missing))
	e.say("a CA bundle that does not exist fails that request, before any connection; the session keeps working:")
	e.say("  %v", err)
	return expect(err != nil && strings.Contains(err.Error(), "missing.pem") && strings.Contains(err.Error(), "client.CABundle"),
		"client.CABundle with a missing file: %v", err)
}

// clientCertificates: a server that requires a client certificate, signed by
// a CA the tour made a moment ago; Requests' cert, per request and per
// session.
func clientCertificates(ctx context.Context, e *env) error {
	p := e.pki
	s := client.NewSession()
	defer s.CloseIdleConnections()
	s.TLS = transport.TLSSettings{CABundle: p.caFile}
	_, err := s.Get(ctx, e.mtls.URL+"/whoami")
	if err := expect(err != nil, "the server accepted a request without a client certificate"); err != nil {
		return err
	}
	// How the refusal surfaces depends on timing (net/http may add its own
	// words to it), so the tour prints the TLS alert the server sent.
	var alert *net.OpError
	if errors.As(err, &alert) && alert.Op == "remote error" {
		e.say("without a client certificate, GET https://mtls/whoami → the server refused: %v", alert)
	} else {
		e.say("without a client certificate, GET https://mtls/whoami → %v", err)
	}

	for _, c := range []struct {
		desc, requests string
		opt            client.Option
	}{
		{"client.ClientCert(client.crt, client.key)", `cert=("client.crt", "client.key")`, client.ClientCert(p.clientCert, p.clientKey)},
		{`client.ClientCert(client.pem, "")`, `cert="client.pem"`, client.ClientCert(p.clientPEM, "")},
	} {
		r, err := s.Get(ctx, e.mtls.URL+"/whoami", c.opt)
		if err != nil {
			return err
		}
		text, err := r.Text()
		if err != nil {
			return err
		}
		e.say("s.Get(…, %s) → %s %q   (Requests: %s)", c.desc, r.Status, text, c.requests)
		if err := failed(status(r, http.StatusOK), equal("answer", text, "hello, "+clientCN+"\n")); err != nil {
			return err
		}
	}

	s.TLS.CertFile, s.TLS.KeyFile = p.clientCert, p.clientKey
	r, err := s.Get(ctx, e.mtls.URL+"/whoami")
	if err != nil {
		return err
	}
	e.say("s.TLS.CertFile, s.TLS.KeyFile = client.crt, client.key; s.Get(…) → %s   (Requests: s.cert = (…))", r.Status)
	if err := status(r, http.StatusOK); err != nil {
		return err
	}

	_, err = s.Get(ctx, e.mtls.URL+"/whoami", client.ClientCert(p.clientCert, p.strayKey))
	e.say("a key that does not belong to the certificate fails that request, before any connection:")
	e.say("  %v", err)
	if err := expect(err != nil, "a key that does not match the certificate was accepted"); err != nil {
		return err
	}
	_, err = transport.New(transport.ClientCert(p.clientCert, p.strayKey))
	e.say("a transport of your own reports it when it is built: transport.New(transport.ClientCert(…)) →")
	e.say("  %v", err)
	return expect(err != nil, "transport.New accepted a key that does not match the certificate")
}
