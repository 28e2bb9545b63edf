package main

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/middleware"
)

// withCredentials returns the proxy's URL with userinfo.
func withCredentials(proxyURL, user, pass string) string {
	u, _ := url.Parse(proxyURL)
	u.User = url.UserPassword(user, pass)
	return u.String()
}

// basicCount describes the Proxy-Authorization values a proxy received:
// how many carried Basic credentials.
func basicCount(auth []string) int {
	n := 0
	for _, a := range auth {
		if strings.HasPrefix(a, "Basic ") {
			n++
		}
	}
	return n
}

// proxies: a session's proxy map (Requests' proxies dict) for http and for
// https through CONNECT, a per-request proxy, proxy credentials that reach
// the proxy and never the origin, a 407 as a typed error, and HTTP_PROXY.
func proxies(ctx context.Context, e *env) error {
	withCreds := withCredentials(e.proxy.URL, proxyUser, proxyPassword)
	s, err := sessionOverCA(e) // trusts https://httpbin-tls
	if err != nil {
		return err
	}
	defer s.CloseIdleConnections()
	s.TrustEnv = false // only the map below, whatever the environment says
	s.Proxies = map[string]string{"http": withCreds, "https": withCreds}
	e.say(`s.Proxies = {"http": "http://tour:***@proxy", "https": the same}`)

	// Plain HTTP: the proxy reads the request, takes its Proxy-Authorization
	// off and forwards the rest.
	from := e.forward.mark()
	r, err := s.Get(ctx, e.url("/headers"))
	if err != nil {
		return err
	}
	got, err := echo(r)
	if err != nil {
		return err
	}
	targets, auth := e.forward.seen(from)
	e.say("GET http://httpbin/headers → %s, Via: %s", r.Status, r.Header.Get("Via"))
	e.say("  the proxy saw %q with Basic credentials: %d of %d; httpbin saw Proxy-Authorization: %t",
		targets, basicCount(auth), len(auth), got.Headers.Get("Proxy-Authorization") != "")
	if err := failed(
		equal("Via", r.Header.Get("Via"), "1.1 tour-proxy"),
		equal("requests the proxy saw", strings.Join(targets, ", "), "GET "+e.url("/headers")),
		equal("of them with credentials", basicCount(auth), 1),
		equal("Proxy-Authorization at the origin", got.Headers.Get("Proxy-Authorization"), ""),
	); err != nil {
		return err
	}

	// HTTPS: the credentials go in the CONNECT; TLS runs end to end inside
	// the tunnel, so the proxy sees neither the path nor the headers.
	from = e.forward.mark()
	connects := e.forward.connects.Load()
	r, err = s.Get(ctx, e.tls.URL+"/headers")
	if err != nil {
		return err
	}
	if got, err = echo(r); err != nil {
		return err
	}
	targets, auth = e.forward.seen(from)
	e.say("GET https://httpbin-tls/headers → %s over %s, Via: %q (the proxy only carries the bytes)", r.Status, r.Proto, r.Header.Get("Via"))
	e.say("  the proxy saw %q with Basic credentials: %d of %d; httpbin-tls saw Proxy-Authorization: %t",
		targets, basicCount(auth), len(auth), got.Headers.Get("Proxy-Authorization") != "")
	tlsHost := strings.TrimPrefix(e.tls.URL, "https://")
	if err := failed(
		equal("CONNECTs", e.forward.connects.Load()-connects, 1),
		equal("requests the proxy saw", strings.Join(targets, ", "), "CONNECT "+tlsHost),
		equal("of them with credentials", basicCount(auth), 1),
		equal("Proxy-Authorization at the origin", got.Headers.Get("Proxy-Authorization"), ""),
		equal("Via", r.Header.Get("Via"), ""),
	); err != nil {
		return err
	}
	// A second request reuses the tunnel: no new CONNECT.
	if r, err = s.Get(ctx, e.tls.URL+"/get"); err != nil {
		return err
	}
	e.say("GET https://httpbin-tls/get → %s; CONNECTs so far: %d (the tunnel is reused)", r.Status, e.forward.connects.Load()-connects)
	if err := failed(status(r, http.StatusOK), equal("CONNECTs", e.forward.connects.Load()-connects, 1)); err != nil {
		return err
	}

	// Per request: client.Proxy wins over the map; "" goes direct.
	requests := e.forward.requests.Load()
	if r, err = s.Get(ctx, e.url("/get"), client.Proxy("")); err != nil {
		return err
	}
	e.say(`GET http://httpbin/get with client.Proxy("") → direct: Via %q`, r.Header.Get("Via"))
	if err := failed(
		equal("Via", r.Header.Get("Via"), ""),
		equal("requests through the proxy", e.forward.requests.Load()-requests, 0),
	); err != nil {
		return err
	}
	direct := client.NewSession()
	defer direct.CloseIdleConnections()
	direct.TrustEnv = false
	if r, err = direct.Get(ctx, e.url("/get"), client.Proxy(withCreds)); err != nil {
		return err
	}
	e.say(`a session without proxies, GET http://httpbin/get with client.Proxy("http://tour:***@proxy") → %s, Via: %s`, r.Status, r.Header.Get("Via"))
	if err := failed(
		equal("Via", r.Header.Get("Via"), "1.1 tour-proxy"),
		equal("requests through the proxy", e.forward.requests.Load()-requests, 1),
	); err != nil {
		return err
	}

	// Wrong credentials: the proxy answers 407, which is an error that names
	// the proxy without the password, for a CONNECT and for plain HTTP.
	//
	// A session of its own: s already holds an HTTP/2 connection to
	// httpbin-tls, and net/http pools HTTP/2 connections by origin alone, so
	// s would send the request down the tunnel opened with the right
	// credentials, never asking the proxy (nor going direct for Proxy("")).
	wrong := withCredentials(e.proxy.URL, proxyUser, "wrong")
	refused, err := sessionOverCA(e)
	if err != nil {
		return err
	}
	defer refused.CloseIdleConnections()
	refused.TrustEnv = false
	for _, target := range []string{e.tls.URL + "/get", e.url("/get")} {
		_, err = refused.Get(ctx, target, client.Proxy(wrong), client.NoRetry())
		var pe *middleware.ProxyError
		ok := errors.As(err, &pe)
		e.say(`GET %s with client.Proxy("http://tour:wrong@proxy") →`, target)
		e.say("  errors.Is(err, client.ErrProxyAuthRequired) = %t; pe.Proxy = %s, pe.Status = %q",
			errors.Is(err, client.ErrProxyAuthRequired), proxyName(ok, pe), statusOf(ok, pe))
		if err := failed(
			expect(ok && errors.Is(err, client.ErrProxyAuthRequired), "want a 407 *middleware.ProxyError, got %v", err),
			expect(err == nil || !strings.Contains(err.Error(), "wrong"), "the error shows the password: %v", err),
		); err != nil {
			return err
		}
	}

	return envProxy(ctx, e)
}

func proxyName(ok bool, pe *middleware.ProxyError) string {
	if !ok {
		return "-"
	}
	return pe.Proxy
}

func statusOf(ok bool, pe *middleware.ProxyError) string {
	if !ok {
		return "-"
	}
	return pe.Status
}

// envProxy: with TrustEnv (the default), a session created while HTTP_PROXY
// is set sends http:// URLs through it. Go never proxies loopback addresses
// from the environment, so the request names a host, httpbin.test, that only
// the proxy knows how to reach.
func envProxy(ctx context.Context, e *env) error {
	u, err := url.Parse(e.httpbin.URL)
	if err != nil {
		return err
	}
	e.forward.hosts.Store("httpbin.test:80", u.Host)
	defer e.forward.hosts.Delete("httpbin.test:80")

	restore := setenvs(map[string]string{
		"HTTP_PROXY": withCredentials(e.proxy.URL, proxyUser, proxyPassword),
		"http_proxy": "", "NO_PROXY": "", "no_proxy": "", "REQUEST_METHOD": "",
	})
	s := client.NewSession() // reads the environment now
	restore()
	defer s.CloseIdleConnections()

	from := e.forward.mark()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	r, err := s.Get(ctx, "http://httpbin.test/headers")
	if err != nil {
		return err
	}
	got, err := echo(r)
	if err != nil {
		return err
	}
	targets, auth := e.forward.seen(from)
	e.say("HTTP_PROXY=http://tour:***@proxy when client.NewSession() ran; GET http://httpbin.test/headers → %s, Via: %s", r.Status, r.Header.Get("Via"))
	e.say("  the proxy saw %q with Basic credentials: %d of %d; httpbin saw Proxy-Authorization: %t",
		targets, basicCount(auth), len(auth), got.Headers.Get("Proxy-Authorization") != "")
	return failed(
		equal("requests the proxy saw", strings.Join(targets, ", "), "GET http://httpbin.test/headers"),
		equal("of them with credentials", basicCount(auth), 1),
		equal("Proxy-Authorization at the origin", got.Headers.Get("Proxy-Authorization"), ""),
	)
}
