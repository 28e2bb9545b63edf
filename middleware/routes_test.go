package middleware_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/middleware"
)

// chosenRoute runs one request for target through the route middleware
// built from o, with the request's own route r (nil: none), and returns
// the route the next RoundTripper saw (nil: none).
func chosenRoute(t *testing.T, o middleware.RouteOptions, r *middleware.Route, target string) *middleware.Route {
	t.Helper()
	mw, err := middleware.Routes(o)
	if err != nil {
		t.Fatal(err)
	}
	var seen *middleware.Route
	next := middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		if got, ok := middleware.RouteFromContext(req.Context()); ok {
			seen = &got
		}
		return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: req}, nil
	})
	ctx := context.Background()
	if r != nil {
		ctx = middleware.WithRoute(ctx, *r)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if _, err := mw(next).RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	return seen
}

// summary describes a route as "proxy ← source; verify ← source; cert ←
// source" for comparisons.
func summary(r *middleware.Route) string {
	if r == nil {
		return "none"
	}
	var parts []string
	if r.ProxySource.Set() {
		p := "direct"
		if r.Proxy != nil {
			p = r.Proxy.String()
		}
		parts = append(parts, p+" ← "+r.ProxySource.String())
	}
	if r.VerifySource.Set() {
		v := "insecure"
		if !r.TLS.InsecureSkipVerify {
			v = r.TLS.CABundle
		}
		parts = append(parts, v+" ← "+r.VerifySource.String())
	}
	if r.CertSource.Set() {
		parts = append(parts, r.TLS.CertFile+"+"+r.TLS.KeyFile+" ← "+r.CertSource.String())
	}
	return strings.Join(parts, "; ")
}

// TestRoutesChooseByLayer checks the precedence table of docs/transport.md:
// request > session > environment > transport, per setting.
func TestRoutesChooseByLayer(t *testing.T) {
	setProxyEnv(t, "HTTPS_PROXY", "http://env.test:3128", "NO_PROXY", "internal.test", "RELAY_CA_BUNDLE", "/env/ca.pem")
	reqProxy, _ := url.Parse("http://req.test:3128")
	request := func(r middleware.Route) *middleware.Route { return &r }
	fromReq := func(name string) middleware.Source {
		return middleware.Source{Level: middleware.FromRequest, Name: name}
	}
	session := middleware.RouteOptions{
		Name:    "Session",
		Proxies: map[string]string{"http": "http://session.test:3128"},
		TLS:     middleware.TLSSettings{CABundle: "/session/ca.pem", CertFile: "s.pem", KeyFile: "s.key"},
	}
	withEnv := session
	withEnv.TrustEnv = true
	envOnly := middleware.RouteOptions{TrustEnv: true}
	for _, c := range []struct {
		name   string
		o      middleware.RouteOptions
		req    *middleware.Route
		target string
		want   string
	}{
		{"nothing anywhere", middleware.RouteOptions{}, nil, "https://a.test/", "none"},
		{"session only", session, nil, "http://a.test/",
			`http://session.test:3128 ← Session.Proxies["http"]; /session/ca.pem ← Session.TLS; s.pem+s.key ← Session.TLS`},
		{"request over session, field by field", session,
			request(middleware.Route{Proxy: reqProxy, ProxySource: fromReq("client.Proxy"),
				TLS: middleware.TLSSettings{InsecureSkipVerify: true}, VerifySource: fromReq("client.InsecureSkipVerify")}),
			"http://a.test/",
			`http://req.test:3128 ← client.Proxy option; insecure ← client.InsecureSkipVerify option; s.pem+s.key ← Session.TLS`},
		{"session over environment", withEnv, nil, "https://a.test/",
			`http://env.test:3128 ← environment variable HTTPS_PROXY; /session/ca.pem ← Session.TLS; s.pem+s.key ← Session.TLS`},
		{"environment alone", envOnly, nil, "https://a.test/",
			`http://env.test:3128 ← environment variable HTTPS_PROXY; /env/ca.pem ← environment variable RELAY_CA_BUNDLE`},
		{"NO_PROXY is a direct choice of the environment", envOnly, nil, "https://internal.test/",
			`direct ← environment variable NO_PROXY; /env/ca.pem ← environment variable RELAY_CA_BUNDLE`},
		{"no variable for the scheme: left to the transport", envOnly, nil, "http://a.test/",
			`/env/ca.pem ← environment variable RELAY_CA_BUNDLE`},
		{"without TrustEnv the environment is not read", middleware.RouteOptions{}, nil, "https://a.test/", "none"},
		{"a request's direct choice stops the lookup", withEnv,
			request(middleware.Route{ProxySource: fromReq("client.Proxy")}), "https://a.test/",
			`direct ← client.Proxy option; /session/ca.pem ← Session.TLS; s.pem+s.key ← Session.TLS`},
	} {
		if diff := cmp.Diff(c.want, summary(chosenRoute(t, c.o, c.req, c.target))); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
}

// TestRoutesRejectContradictions: skip-verify with a CA bundle at one
// layer, or a key without its certificate, is an error when the middleware
// is built; RoutesFrom still returns a middleware that fails each request.
func TestRoutesRejectContradictions(t *testing.T) {
	for _, tls := range []middleware.TLSSettings{
		{InsecureSkipVerify: true, CABundle: "/ca.pem"},
		{KeyFile: "k.pem"},
	} {
		if _, err := middleware.Routes(middleware.RouteOptions{TLS: tls}); err == nil || !strings.Contains(err.Error(), "RouteOptions.TLS") {
			t.Errorf("%+v: err = %v, want one naming RouteOptions.TLS", tls, err)
		}
		mw, err := middleware.RoutesFrom(func() middleware.RouteOptions { return middleware.RouteOptions{TLS: tls, Name: "Session"} })
		if err == nil || mw == nil {
			t.Fatalf("RoutesFrom: %v, %v", mw, err)
		}
		req, _ := http.NewRequest(http.MethodGet, "https://a.test/", nil)
		called := false
		_, err = mw(middleware.RoundTripperFunc(func(*http.Request) (*http.Response, error) {
			called = true
			return nil, nil
		})).RoundTrip(req)
		if err == nil || called || !strings.Contains(err.Error(), "Session.TLS") {
			t.Errorf("%+v: a request went on (%v) or err = %v", tls, called, err)
		}
	}
}
