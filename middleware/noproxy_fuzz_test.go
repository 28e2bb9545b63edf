package middleware_test

import (
	"net/url"
	"testing"

	"github.com/relayhttp/relay/middleware"
)

// FuzzNoProxy compiles NO_PROXY values and matches hosts against them: the
// selector must never panic, and a host it does not exclude goes through the
// environment's proxy.
func FuzzNoProxy(f *testing.F) {
	for _, seed := range []string{
		"", "*", "example.com", ".example.com,*.internal", "10.0.0.0/8,192.168.1.1:8080",
		"[::1]", "::1/128", "a.test:80, b.test ,,", "1.2.3.4/33", "%zz", "*.",
	} {
		f.Add(seed, "api.example.com")
	}
	f.Fuzz(func(t *testing.T, noProxy, host string) {
		sel, err := middleware.NewProxySelector(middleware.ProxyConfig{
			Env: &middleware.ProxyEnv{HTTPProxy: "http://proxy.test:3128", NoProxy: noProxy},
		})
		if err != nil {
			return // a value relay rejects is reported, not used
		}
		u := &url.URL{Scheme: "http", Host: host, Path: "/"}
		if p := sel.Proxy(u); p != nil && p.Host != "proxy.test:3128" {
			t.Fatalf("NO_PROXY %q, host %q: chose %s", noProxy, host, p)
		}
	})
}
