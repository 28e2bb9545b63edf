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

// certVerification: certificates are verified by default; a CA bundle adds
// trust in a private CA; turning verification off is explicit and logged.
func certVerification(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()
	_, err := s.Get(ctx, e.tls.URL+"/get")
	e.say("default session, GET https://httpbin-tls/get (self-signed certificate) →")
	e.say("  %v", err)
	var verr *tls.CertificateVerificationError
	if err := expect(errors.As(err, &verr), "want a *tls.CertificateVerificationError, got %v", err); err != nil {
		return err
	}

	s, err = sessionOver(transport.CABundle(e.tlsCAFile))
	if err != nil {
		return err
	}
	defer s.CloseIdleConnections()
	r, err := s.Get(ctx, e.tls.URL+"/get")
	if err != nil {
		return err
	}
	e.say("transport.CABundle(%q) → %s over %s", filepath.Base(e.tlsCAFile), r.Status, r.Proto)
	if err := failed(status(r, http.StatusOK), equal("protocol", r.Proto, "HTTP/2.0")); err != nil {
		return err
	}

	core, logs := observer.New(zapcore.WarnLevel)
	s, err = sessionOver(transport.InsecureSkipVerify(), transport.Logger(zap.New(core)))
	if err != nil {
		return err
	}
	defer s.CloseIdleConnections()
	if r, err = s.Get(ctx, e.tls.URL+"/get"); err != nil {
		return err
	}
	e.say("transport.InsecureSkipVerify() → %s; New logged %d warning(s):", r.Status, logs.Len())
	for _, entry := range logs.All() {
		e.say("  %s: %s", entry.Level, entry.Message)
	}
	if err := failed(status(r, http.StatusOK), equal("warnings", logs.Len(), 1)); err != nil {
		return err
	}

	_, err = transport.New(transport.CABundle(filepath.Join(e.dir, "missing.pem")))
	e.say("a CA bundle that does not exist fails when the transport is built, not per request:")
	e.say("  %v", err)
	return expect(err != nil && strings.Contains(err.Error(), "missing.pem"), "transport.New with a missing CA bundle: %v", err)
}

// clientCertificates: a server that requires a client certificate, signed by
// a CA the tour made a moment ago.
func clientCertificates(ctx context.Context, e *env) error {
	p := e.pki
	s, err := sessionOver(transport.CABundle(p.caFile))
	if err != nil {
		return err
	}
	defer s.CloseIdleConnections()
	_, err = s.Get(ctx, e.mtls.URL+"/whoami")
	if err := expect(err != nil, "the server accepted a request without a client certificate"); err != nil {
		return err
	}
	// How the refusal surfaces depends on timing (net/http may add its own
	// words to it), so the tour prints the TLS alert the server sent.
	var alert *net.OpError
	if errors.As(err, &alert) && alert.Op == "remote error" {
		e.say("CABundle(ca.pem) without a client certificate, GET https://mtls/whoami → the server refused: %v", alert)
	} else {
		e.say("CABundle(ca.pem) without a client certificate, GET https://mtls/whoami → %v", err)
	}

	for _, c := range []struct {
		desc string
		opt  transport.Option
	}{
		{"ClientCert(client.crt, client.key)", transport.ClientCert(p.clientCert, p.clientKey)},
		{"ClientCertPEM(client.pem)", transport.ClientCertPEM(p.clientPEM)},
	} {
		s, err := sessionOver(transport.CABundle(p.caFile), c.opt)
		if err != nil {
			return err
		}
		defer s.CloseIdleConnections()
		r, err := s.Get(ctx, e.mtls.URL+"/whoami")
		if err != nil {
			return err
		}
		text, err := r.Text()
		if err != nil {
			return err
		}
		e.say("CABundle(ca.pem) + %s → %s %q", c.desc, r.Status, text)
		if err := failed(status(r, http.StatusOK), equal("answer", text, "hello, "+clientCN+"\n")); err != nil {
			return err
		}
	}

	_, err = transport.New(transport.ClientCert(p.clientCert, p.strayKey))
	e.say("a key that does not belong to the certificate fails when the transport is built:")
	e.say("  %v", err)
	return expect(err != nil, "transport.New accepted a key that does not match the certificate")
}
