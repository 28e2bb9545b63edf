package middleware_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"

	"github.com/relayhttp/relay/middleware"
	"github.com/relayhttp/relay/transport"
)

// fakeProxy starts a loopback "proxy" that answers every plain HTTP request
// itself, saying what it received, or with 407 when it wants credentials it
// did not get.
func fakeProxy(demand string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Proxy-Authorization")
		if demand != "" && auth != demand {
			w.Header().Set("Proxy-Authenticate", `Basic realm="proxy"`)
			w.WriteHeader(http.StatusProxyAuthRequired)
			return
		}
		fmt.Fprintf(w, "proxy got %s %s (Proxy-Authorization: %q)", r.Method, r.URL, auth)
	}))
}

// get prints what a GET for u through rt returns.
func get(ctx context.Context, rt http.RoundTripper, u string) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	fmt.Println(string(b))
}

// baseTransport is the base a relay Session uses under the route
// middleware: a pool per route, direct unless a route names a proxy.
func baseTransport() http.RoundTripper {
	rt, err := transport.New(transport.IgnoreEnvironment(), transport.Proxy(nil))
	if err != nil {
		log.Fatal(err)
	}
	return transport.Pools(rt.(*http.Transport))
}

// A map keyed like Requests' proxies dict: every URL through one proxy,
// with credentials, except one host that goes direct.
func ExampleRoutes() {
	proxy := fakeProxy("")
	defer proxy.Close()
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "origin got %s %s (Proxy-Authorization: %q)", r.Method, r.URL, r.Header.Get("Proxy-Authorization"))
	}))
	defer origin.Close()

	mw, err := middleware.Routes(middleware.RouteOptions{
		Proxies: map[string]string{
			"all": "http://alice:s3cret@" + proxy.Listener.Addr().String(),
			"http://" + origin.Listener.Addr().String(): "", // direct
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	rt := middleware.Chain(baseTransport(), mw)
	get(context.Background(), rt, "http://api.example.com/v1/items")
	get(context.Background(), rt, origin.URL+"/local")
	// Output:
	// proxy got GET http://api.example.com/v1/items (Proxy-Authorization: "Basic YWxpY2U6czNjcmV0")
	// origin got GET /local (Proxy-Authorization: "")
}

// A proxy set for one request wins over the map and the environment.
func ExampleWithProxy() {
	proxy := fakeProxy("")
	defer proxy.Close()
	mw, err := middleware.Proxy(nil) // no map; the environment, if any
	if err != nil {
		log.Fatal(err)
	}
	rt := middleware.Chain(baseTransport(), mw)

	p, err := middleware.ParseProxyURL(proxy.Listener.Addr().String()) // "host:port" means http://
	if err != nil {
		log.Fatal(err)
	}
	get(middleware.WithProxy(context.Background(), p), rt, "http://api.example.com/")
	// Output:
	// proxy got GET http://api.example.com/ (Proxy-Authorization: "")
}

// A 407 from the proxy is an error that names the proxy, never its password.
func ExampleErrProxyAuthRequired() {
	proxy := fakeProxy("Basic YWxpY2U6czNjcmV0")
	defer proxy.Close()
	p := &url.URL{Scheme: "http", Host: proxy.Listener.Addr().String(), User: url.UserPassword("alice", "wrong")}

	mw, err := middleware.Routes(middleware.RouteOptions{Proxies: map[string]string{"all": p.String()}})
	if err != nil {
		log.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, "http://api.example.com/", nil)
	_, err = middleware.Chain(baseTransport(), mw).RoundTrip(req)
	var pe *middleware.ProxyError
	fmt.Println(errors.Is(err, middleware.ErrProxyAuthRequired), errors.As(err, &pe), pe.StatusCode)
	fmt.Println(pe.Proxy == "http://alice:xxxxx@"+proxy.Listener.Addr().String())
	// Output:
	// true true 407
	// true
}

// The most specific key wins: scheme://host:port, scheme://host,
// all://host:port, all://host, scheme, all, then the environment.
func ExampleProxySelector() {
	s, err := middleware.NewProxySelector(middleware.ProxyConfig{
		Proxies: map[string]string{
			"all":                "http://corp-proxy:3128",
			"https":              "http://tls-proxy:3128",
			"all://internal.lan": "", // direct
			"https://api.test":   "socks5h://tunnel:1080",
		},
		Env: &middleware.ProxyEnv{HTTPProxy: "http://env-proxy:8080"}, // never reached: "all" matches first
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, raw := range []string{
		"https://api.test/", "https://www.example.com/", "http://www.example.com/", "http://internal.lan/",
	} {
		u, _ := url.Parse(raw)
		fmt.Println(raw, "->", s.Proxy(u))
	}
	// Output:
	// https://api.test/ -> socks5h://tunnel:1080
	// https://www.example.com/ -> http://tls-proxy:3128
	// http://www.example.com/ -> http://corp-proxy:3128
	// http://internal.lan/ -> <nil>
}
