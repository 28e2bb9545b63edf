package client_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/pkitest"
	"github.com/relayhttp/relay/internal/proxytest"
	"github.com/relayhttp/relay/middleware"
	"github.com/relayhttp/relay/transport"
)

// clearCAEnv unsets the CA bundle variables, which this machine may set.
func clearCAEnv(t *testing.T) {
	t.Setenv("RELAY_CA_BUNDLE", "")
	t.Setenv("SSL_CERT_FILE", "")
}

func text(t testing.TB, r *client.Response) string {
	t.Helper()
	s, err := r.Text()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestTLSOptions runs Requests' verify and cert, on the session and per
// request, against a server with a certificate from a test CA, which the
// system roots do not know. The server answers with the client
// certificate's common name, or "anonymous".
func TestTLSOptions(t *testing.T) {
	clearCAEnv(t)
	p := pkitest.New(t, "options")
	other := pkitest.New(t, "other")
	srv := p.NewServer(t, pkitest.ServerOptions{HTTP2: true, VerifyClientCert: true})
	core, logs := observer.New(zapcore.WarnLevel)
	s := newSession(t, client.WithLogger(zap.New(core)))
	ctx := context.Background()

	_, err := s.Get(ctx, srv.URL)
	var verr *tls.CertificateVerificationError
	if !errors.As(err, &verr) {
		t.Fatalf("default: err = %v, want a certificate verification error", err)
	}
	for i := range 2 {
		r, err := s.Get(ctx, srv.URL, client.InsecureSkipVerify())
		if err != nil || text(t, r) != "anonymous" || r.ProtoMajor != 2 {
			t.Fatalf("InsecureSkipVerify (%d): %v", i, err)
		}
	}
	if n := logs.FilterMessageSnippet("verification is disabled").Len(); n != 1 {
		t.Errorf("%d warnings for two insecure requests, want 1 (one per pool)", n)
	}
	if _, err := s.Get(ctx, srv.URL); !errors.As(err, &verr) {
		t.Errorf("after insecure requests, a verifying one: err = %v, want a verification error", err)
	}
	if r := mustDo(t, s, "GET", srv.URL, client.CABundle(p.CAFile)); text(t, r) != "anonymous" {
		t.Error("client.CABundle: unexpected body")
	}
	r := mustDo(t, s, "GET", srv.URL, client.CABundle(p.CAFile), client.ClientCert(p.ClientCertFile, p.ClientKeyFile))
	if got := text(t, r); got != p.ClientCN {
		t.Errorf("client.ClientCert: server saw %q, want %q", got, p.ClientCN)
	}
	if got := text(t, mustDo(t, s, "GET", srv.URL, client.CABundle(p.CAFile), client.ClientCert(p.ClientPEMFile, ""))); got != p.ClientCN {
		t.Errorf(`client.ClientCert(combined, ""): server saw %q`, got)
	}

	// The session's settings, and the request's over them, field by field.
	s.TLS = transport.TLSSettings{CABundle: p.CAFile, CertFile: p.ClientCertFile, KeyFile: p.ClientKeyFile}
	if got := text(t, mustDo(t, s, "GET", srv.URL)); got != p.ClientCN {
		t.Errorf("Session.TLS: server saw %q", got)
	}
	if _, err := s.Get(ctx, srv.URL, client.CABundle(other.CAFile)); !errors.As(err, &verr) {
		t.Errorf("a request's CA bundle over the session's: err = %v, want a verification error", err)
	}
	if got := text(t, mustDo(t, s, "GET", srv.URL, client.InsecureSkipVerify())); got != p.ClientCN {
		t.Errorf("InsecureSkipVerify keeps the session's certificate: server saw %q", got)
	}
	alice, aliceKey, _ := p.IssueClient(t, "alice", "alice")
	if got := text(t, mustDo(t, s, "GET", srv.URL, client.ClientCert(alice, aliceKey))); got != "alice" {
		t.Errorf("a request's certificate over the session's: server saw %q", got)
	}

	// Contradictions at one level are errors, before any connection.
	conns := srv.Conns.Load()
	_, err = s.Get(ctx, srv.URL, client.InsecureSkipVerify(), client.CABundle(p.CAFile))
	if err == nil || !strings.Contains(err.Error(), "verification turned off") {
		t.Errorf("InsecureSkipVerify with CABundle: err = %v", err)
	}
	s.TLS = transport.TLSSettings{InsecureSkipVerify: true, CABundle: p.CAFile}
	if _, err = s.Get(ctx, srv.URL); err == nil || !strings.Contains(err.Error(), "Session.TLS") {
		t.Errorf("contradictory Session.TLS: err = %v, want it named", err)
	}
	if n := srv.Conns.Load(); n != conns {
		t.Errorf("contradictory settings opened %d connections", n-conns)
	}
}

// TestTLSOptionsFollowEveryHop: a call's TLS choice applies to each hop of
// its redirect chain.
func TestTLSOptionsFollowEveryHop(t *testing.T) {
	clearCAEnv(t)
	p := pkitest.New(t, "hops")
	target := p.NewServer(t, pkitest.ServerOptions{})
	first := httptest.NewUnstartedServer(http.RedirectHandler(target.URL+"/", http.StatusFound))
	first.TLS = &tls.Config{Certificates: []tls.Certificate{p.Server}}
	first.StartTLS()
	t.Cleanup(first.Close)
	s := newSession(t)
	r := mustDo(t, s, "GET", first.URL, client.CABundle(p.CAFile))
	if len(r.History) != 1 || text(t, r) != "anonymous" || r.Request.URL.String() != target.URL+"/" {
		t.Errorf("got %d hops to %s, want 1 to %s/", len(r.History), r.Request.URL, target.URL)
	}
}

// TestBadTLSFilePerRequest: a bad file given per request fails that
// request, naming the file and the option, before any connection; the
// session keeps working.
func TestBadTLSFilePerRequest(t *testing.T) {
	clearCAEnv(t)
	p := pkitest.New(t, "badfile")
	srv := p.NewServer(t, pkitest.ServerOptions{})
	missing := filepath.Join(t.TempDir(), "missing.pem")
	s := newSession(t)
	s.TLS.CABundle = p.CAFile
	_, err := s.Get(context.Background(), srv.URL, client.CABundle(missing))
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "client.CABundle") {
		t.Errorf("err = %v, want one naming %s and client.CABundle", err, missing)
	}
	_, err = s.Get(context.Background(), srv.URL, client.ClientCert(p.ClientCertFile, p.OtherKeyFile))
	if err == nil || !strings.Contains(err.Error(), p.OtherKeyFile) || !strings.Contains(err.Error(), "client.ClientCert") {
		t.Errorf("mismatched key: err = %v", err)
	}
	if n := srv.Conns.Load(); n != 0 {
		t.Errorf("bad files let %d connections be made", n)
	}
	mustDo(t, s, "GET", srv.URL)
}

// TestEveryMountIsRouted: the session's proxies reach every kind of base it
// can be given, and the transport given is never changed.
func TestEveryMountIsRouted(t *testing.T) {
	clearCAEnv(t)
	p := pkitest.New(t, "mounts")
	srv := p.NewServer(t, pkitest.ServerOptions{HTTP2: true})
	proxy := proxytest.New(t, proxytest.Options{})
	for _, c := range []struct {
		name string
		make func(rt *http.Transport) *client.Session
	}{
		{"WithTransport", func(rt *http.Transport) *client.Session { return newSession(t, client.WithTransport(rt)) }},
		{"WithHTTPClient", func(rt *http.Transport) *client.Session {
			return newSession(t, client.WithHTTPClient(&http.Client{Transport: rt}))
		}},
		{"Mount", func(rt *http.Transport) *client.Session {
			s := newSession(t)
			if err := s.Mount(srv.URL, rt); err != nil {
				t.Fatal(err)
			}
			return s
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rt, err := transport.New(transport.CABundle(p.CAFile))
			if err != nil {
				t.Fatal(err)
			}
			tr := rt.(*http.Transport)
			t.Cleanup(tr.CloseIdleConnections)
			proxyFunc, tc, roots := tr.Proxy != nil, tr.TLSClientConfig, tr.TLSClientConfig.RootCAs
			s := c.make(tr)
			s.TrustEnv = false
			s.Proxies = map[string]string{"https": proxy.URL.String()}
			before := proxy.Connects()
			if r := mustDo(t, s, "GET", srv.URL); text(t, r) != "anonymous" {
				t.Fatal("unexpected body")
			}
			if proxy.Connects() != before+1 {
				t.Errorf("the proxy saw %d CONNECTs, want 1: the request went direct", proxy.Connects()-before)
			}
			if (tr.Proxy != nil) != proxyFunc || tr.TLSClientConfig != tc || tc.RootCAs != roots {
				t.Error("the transport given was changed")
			}
		})
	}
}

// TestUnroutableMount: a mounted RoundTripper that is not an
// *http.Transport gets no proxy it cannot take: the call fails naming the
// mount and the setting; direct and environment choices reach it.
func TestUnroutableMount(t *testing.T) {
	calls := 0
	fake := middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		calls++
		return cannedResponse(req, "fake"), nil
	})
	mount := func(s *client.Session) {
		if err := s.Mount("http://api.test", fake); err != nil {
			t.Fatal(err)
		}
	}
	s := newSession(t)
	s.TrustEnv = false
	mount(s)
	s.Proxies = map[string]string{"all": "http://user:secret@proxy.test:3128"}
	_, err := s.Get(context.Background(), "http://api.test/x")
	if !errors.Is(err, transport.ErrUnroutable) || !strings.Contains(err.Error(), `mount "http://api.test"`) ||
		!strings.Contains(err.Error(), `Session.Proxies["all"]`) || strings.Contains(err.Error(), "secret") {
		t.Fatalf("err = %v, want a RouteError naming the mount and the key, without the password", err)
	}
	if calls != 0 {
		t.Fatal("the mount was called with a proxy it cannot take")
	}
	s.Proxies["all://api.test"] = ""
	if r := mustDo(t, s, "GET", "http://api.test/x"); text(t, r) != "fake" {
		t.Error("a direct choice did not reach the mount")
	}

	for _, k := range []string{"http_proxy", "https_proxy", "all_proxy", "no_proxy", "NO_PROXY", "ALL_PROXY", "HTTPS_PROXY"} {
		t.Setenv(k, "")
	}
	t.Setenv("HTTP_PROXY", "http://proxy.test:3128")
	s2 := newSession(t)
	mount(s2)
	if r := mustDo(t, s2, "GET", "http://api.test/x"); text(t, r) != "fake" {
		t.Error("an environment proxy was not left to the mount")
	}
	if calls != 2 {
		t.Errorf("the mount was called %d times, want 2", calls)
	}
}

// TestTrustEnvCAVariables: RELAY_CA_BUNDLE is the session's roots with
// TrustEnv, and ignored without it; a bad one fails requests, naming the
// variable, until TrustEnv is turned off.
func TestTrustEnvCAVariables(t *testing.T) {
	clearCAEnv(t)
	p := pkitest.New(t, "env")
	srv := p.NewServer(t, pkitest.ServerOptions{})
	t.Setenv("RELAY_CA_BUNDLE", p.CAFile)
	s := newSession(t)
	mustDo(t, s, "GET", srv.URL)
	s.TrustEnv = false
	var verr *tls.CertificateVerificationError
	if _, err := s.Get(context.Background(), srv.URL); !errors.As(err, &verr) {
		t.Errorf("TrustEnv=false: err = %v, want the system roots' verification error", err)
	}

	plain := httpbin(t)
	t.Setenv("RELAY_CA_BUNDLE", filepath.Join(t.TempDir(), "missing.pem"))
	s = newSession(t)
	if _, err := s.Get(context.Background(), plain.URL+"/get"); err == nil || !strings.Contains(err.Error(), "RELAY_CA_BUNDLE") {
		t.Errorf("bad RELAY_CA_BUNDLE: err = %v, want it named", err)
	}
	s.TrustEnv = false
	mustDo(t, s, "GET", plain.URL+"/get")
}

// TestWithHTTPClientCheckRedirect: the client's CheckRedirect sees every
// hop with the via list net/http gives it, and ErrUseLastResponse returns
// the 3xx.
func TestWithHTTPClientCheckRedirect(t *testing.T) {
	srv := httpbin(t)
	type call struct {
		url string
		via int
	}
	run := func(do func(hc *http.Client) (int, error)) ([]call, int, error) {
		var calls []call
		hc := &http.Client{CheckRedirect: func(req *http.Request, via []*http.Request) error {
			calls = append(calls, call{req.URL.String(), len(via)})
			if len(via) == 2 {
				return http.ErrUseLastResponse
			}
			return nil
		}}
		status, err := do(hc)
		hc.CloseIdleConnections()
		return calls, status, err
	}
	url := srv.URL + "/redirect/5"
	want, wantStatus, err := run(func(hc *http.Client) (int, error) {
		resp, err := hc.Get(url)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, status, err := run(func(hc *http.Client) (int, error) {
		r, err := newSession(t, client.WithHTTPClient(hc)).Get(context.Background(), url)
		if err != nil {
			return 0, err
		}
		return r.StatusCode, nil
	})
	if err != nil || status != wantStatus || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("relay: %v, status %d, calls %v; net/http: status %d, calls %v", err, status, got, wantStatus, want)
	}

	stop := errors.New("no more")
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return stop }}
	if _, err := newSession(t, client.WithHTTPClient(hc)).Get(context.Background(), url); !errors.Is(err, stop) {
		t.Errorf("CheckRedirect's error: got %v", err)
	}
}

// TestSendTakesTLSOptions: Requests' s.send(prepped, verify=…, cert=…)
// is Send with the same options.
func TestSendTakesTLSOptions(t *testing.T) {
	clearCAEnv(t)
	p := pkitest.New(t, "send")
	srv := p.NewServer(t, pkitest.ServerOptions{RequireClientCert: true})
	s := newSession(t)
	req, err := s.Prepare(context.Background(), "GET", srv.URL, client.CABundle(p.CAFile))
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Send(req, client.ClientCert(p.ClientCertFile, p.ClientKeyFile))
	if err != nil || text(t, r) != p.ClientCN {
		t.Fatalf("Send with a CA bundle from Prepare and a certificate from Send: %v", err)
	}
	if _, err := s.Send(req); err == nil {
		t.Error("without its certificate the request should be refused by the server")
	}
}
