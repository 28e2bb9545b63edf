package client_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/httpbintest"
	"github.com/relayhttp/relay/internal/proxytest"
	"github.com/relayhttp/relay/transport"
)

func TestSessionProxies(t *testing.T) {
	srv := httpbin(t)
	corp := proxytest.New(t, proxytest.Options{User: "u", Password: "p"})
	other := proxytest.New(t, proxytest.Options{Name: "other"})
	s := newSession(t)
	s.TrustEnv = false
	s.Proxies = map[string]string{"http": "http://u:p@" + corp.URL.Host}

	e := echo(t, mustDo(t, s, "GET", srv.URL+"/headers"))
	if got := e.Headers.Get("Via"); !strings.Contains(got, "proxytest") {
		t.Errorf("Via = %q: the request did not go through the session's proxy", got)
	}
	if _, ok := e.Headers["Proxy-Authorization"]; ok {
		t.Error("the origin received Proxy-Authorization")
	}
	if diff := cmp.Diff([]string{proxytest.BasicAuth("u", "p")}, corp.ProxyAuthorizations()); diff != "" {
		t.Errorf("what the proxy received (-want +got):\n%s", diff)
	}

	mustDo(t, s, "GET", srv.URL+"/get", client.Proxy(other.URL.String()))
	mustDo(t, s, "GET", srv.URL+"/get", client.Proxy(""))
	if corp.Requests() != 1 || other.Requests() != 1 {
		t.Errorf("requests: session proxy %d, per-request proxy %d; want 1 and 1", corp.Requests(), other.Requests())
	}

	if _, err := s.Get(context.Background(), srv.URL, client.Proxy("ftp://nope")); err == nil {
		t.Error("a proxy URL with a bad scheme was accepted")
	}
}

func TestProxyAuthRequired(t *testing.T) {
	srv := httpbin(t)
	p := proxytest.New(t, proxytest.Options{User: "u", Password: "right"})
	s := newSession(t)
	_, err := s.Get(context.Background(), srv.URL+"/get", client.Proxy("http://u:wrong-secret@"+p.URL.Host))
	if !errors.Is(err, client.ErrProxyAuthRequired) {
		t.Fatalf("err = %v, want ErrProxyAuthRequired", err)
	}
	if strings.Contains(err.Error(), "wrong-secret") || !strings.Contains(err.Error(), p.URL.Host) {
		t.Errorf("the error should name the proxy without its password: %v", err)
	}
}

func TestHTTPSThroughConnect(t *testing.T) {
	origin := httpbintest.NewTLS()
	t.Cleanup(origin.Close)
	p := proxytest.New(t, proxytest.Options{User: "u", Password: "p"})
	roots := x509.NewCertPool()
	roots.AddCert(origin.Certificate())
	base, err := transport.New(transport.IgnoreEnvironment(), transport.TLSConfig(tlsConfig(roots)))
	if err != nil {
		t.Fatal(err)
	}
	s := newSession(t, client.WithTransport(base))
	s.Proxies = map[string]string{"https": "http://u:p@" + p.URL.Host}
	e := echo(t, mustDo(t, s, "GET", origin.URL+"/headers"))
	if _, ok := e.Headers["Proxy-Authorization"]; ok {
		t.Error("Proxy-Authorization reached the origin inside the tunnel")
	}
	if p.Connects() != 1 || p.Requests() != 0 {
		t.Errorf("proxy saw %d CONNECTs and %d plain requests; want 1 and 0", p.Connects(), p.Requests())
	}
	if diff := cmp.Diff([]string{proxytest.BasicAuth("u", "p")}, p.ProxyAuthorizations()); diff != "" {
		t.Errorf("credentials in the CONNECT (-want +got):\n%s", diff)
	}
}

func TestThroughTinyproxy(t *testing.T) {
	srv := httpbin(t)
	tp := proxytest.Tinyproxy(t, proxytest.TinyproxyOptions{})
	s := newSession(t)
	s.Proxies = map[string]string{"all": tp.String()}
	e := echo(t, mustDo(t, s, "GET", srv.URL+"/headers"))
	if via := e.Headers.Get("Via"); !strings.Contains(strings.ToLower(via), "tinyproxy") {
		t.Errorf("Via = %q, want tinyproxy's", via)
	}
}

func TestConcurrentSessionWithSeveralProxies(t *testing.T) {
	srv := httpbin(t)
	a := proxytest.New(t, proxytest.Options{Name: "a"})
	b := proxytest.New(t, proxytest.Options{Name: "b", User: "u", Password: "p"})
	s := newSession(t, client.WithRetry(client.RetryOptions{}))
	s.TrustEnv = false
	s.Proxies = map[string]string{"http": a.URL.String()}
	var wg sync.WaitGroup
	errs := make(chan error, 48)
	for i := range 48 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var opts []client.Option
			want := "a"
			switch i % 3 {
			case 1:
				opts, want = append(opts, client.Proxy("http://u:p@"+b.URL.Host)), "b"
			case 2:
				opts, want = append(opts, client.Proxy("")), ""
			}
			r, err := s.Get(context.Background(), srv.URL+"/headers", opts...)
			if err != nil {
				errs <- err
				return
			}
			var e struct{ Headers http.Header }
			if err := r.JSON(&e); err != nil {
				errs <- err
				return
			}
			if via := e.Headers.Get("Via"); (want == "") != (via == "") || !strings.HasSuffix(via, want) {
				errs <- fmt.Errorf("request %d: Via %q, want proxy %q", i, via, want)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if a.Requests() != 16 || b.Requests() != 16 {
		t.Errorf("proxy a saw %d requests, b %d; want 16 each", a.Requests(), b.Requests())
	}
}

// TestEnvironmentProxies reads HTTP_PROXY and NO_PROXY when the session is
// created. httpproxy never proxies loopback names, so the origin is a made-up
// name that only the proxy resolves, to the httpbin listener.
func TestEnvironmentProxies(t *testing.T) {
	srv := httpbin(t)
	var d net.Dialer
	p := proxytest.New(t, proxytest.Options{Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, srv.Listener.Addr().String())
	}})
	for _, k := range []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy", "REQUEST_METHOD"} {
		t.Setenv(k, "")
	}
	t.Setenv("HTTP_PROXY", "http://u:p@"+p.URL.Host)
	t.Setenv("NO_PROXY", "skip.example.com")
	s := newSession(t, client.WithTransport(loopbackOnly(t)))
	e := echo(t, mustDo(t, s, "GET", "http://api.example.com/headers"))
	if e.Headers.Get("Host") != "api.example.com" && !strings.Contains(fmt.Sprint(e.Headers), "proxytest") {
		t.Errorf("the request did not go through the environment's proxy: %v", e.Headers)
	}
	if _, ok := e.Headers["Proxy-Authorization"]; ok {
		t.Error("the origin received the proxy's credentials")
	}
	if diff := cmp.Diff([]string{proxytest.BasicAuth("u", "p")}, p.ProxyAuthorizations()); diff != "" {
		t.Errorf("credentials the proxy received (-want +got):\n%s", diff)
	}
	// NO_PROXY: sent direct, and the transport dials nothing but loopback.
	if _, err := s.Get(context.Background(), "http://skip.example.com/get", client.NoRetry()); err == nil || p.Requests() != 1 {
		t.Errorf("NO_PROXY host: err %v, proxy requests %d", err, p.Requests())
	}
	// TrustEnv = false: the environment is ignored.
	s2 := newSession(t, client.WithTransport(loopbackOnly(t)))
	s2.TrustEnv = false
	if _, err := s2.Get(context.Background(), "http://api.example.com/get"); err == nil || p.Requests() != 1 {
		t.Errorf("TrustEnv=false: err %v, proxy requests %d", err, p.Requests())
	}
}

// TestHTTP2PoolsKeepProxiesApart: net/http pools HTTP/2 connections by origin
// only; the session's base transport must still never reuse a tunnel opened
// through a proxy for a direct request, another proxy, or other credentials.
func TestHTTP2PoolsKeepProxiesApart(t *testing.T) {
	origin := httptest.NewUnstartedServer(httpbintest.Handler())
	origin.EnableHTTP2 = true
	origin.StartTLS()
	t.Cleanup(origin.Close)
	p := proxytest.New(t, proxytest.Options{User: "u", Password: "p"})
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: origin.Certificate().Raw}), 0o600)
	s := newSession(t)
	s.TLS = transport.TLSSettings{CABundle: ca}

	good := "http://u:p@" + p.URL.Host
	r := mustDo(t, s, "GET", origin.URL+"/get", client.Proxy(good))
	if r.ProtoMajor != 2 || p.Connects() != 1 {
		t.Fatalf("through the proxy: HTTP/%d, %d CONNECTs", r.ProtoMajor, p.Connects())
	}
	mustDo(t, s, "GET", origin.URL+"/get", client.Proxy(""))
	if p.Connects() != 1 {
		t.Errorf("a direct request went through the proxy's tunnel (%d CONNECTs)", p.Connects())
	}
	_, err := s.Get(context.Background(), origin.URL+"/get", client.Proxy("http://u:wrong@"+p.URL.Host))
	if !errors.Is(err, client.ErrProxyAuthRequired) {
		t.Errorf("wrong proxy credentials reused the authenticated tunnel: err = %v", err)
	}
	mustDo(t, s, "GET", origin.URL+"/get", client.Proxy(good))
	if p.Connects() != 2 {
		t.Errorf("the good credentials' tunnel was not reused: %d CONNECTs, want 2", p.Connects())
	}
}
