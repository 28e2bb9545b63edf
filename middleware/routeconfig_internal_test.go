package middleware

import (
	"net/url"
	"reflect"
	"testing"
)

// TestRouteConfigUniform checks when a compiled configuration gives every
// hop the same route without asking its selector, and that the answer is
// the one the selector and the layers give.
func TestRouteConfigUniform(t *testing.T) {
	cases := []struct {
		name string
		o    RouteOptions
		env  routeEnv
		want bool
	}{
		{"nothing", RouteOptions{}, routeEnv{}, true},
		{"an environment without proxies", RouteOptions{TrustEnv: true}, routeEnv{proxy: ProxyEnv{NoProxy: "example.test"}}, true},
		{"an ignored environment's proxy", RouteOptions{}, routeEnv{proxy: ProxyEnv{HTTPProxy: "http://env.test:3128"}}, true},
		{"a session proxy", RouteOptions{Proxies: map[string]string{"http": "http://p.test:8080"}}, routeEnv{}, false},
		{"a key sending a host direct", RouteOptions{Proxies: map[string]string{"http://a.test": ""}}, routeEnv{}, false},
		{"the environment's proxy", RouteOptions{TrustEnv: true}, routeEnv{proxy: ProxyEnv{HTTPSProxy: "http://env.test:3128"}}, false},
		{"ALL_PROXY", RouteOptions{TrustEnv: true}, routeEnv{proxy: ProxyEnv{AllProxy: "socks5://env.test:1080"}}, false},
		{"the environment's CA bundle", RouteOptions{TrustEnv: true}, routeEnv{caBundle: "/etc/ca.pem", caBundleVar: "SSL_CERT_FILE"}, true},
		{"the CA bundle and a proxy", RouteOptions{TrustEnv: true}, routeEnv{proxy: ProxyEnv{HTTPProxy: "http://env.test:3128"}, caBundle: "/etc/ca.pem", caBundleVar: "SSL_CERT_FILE"}, false},
		{"session TLS", RouteOptions{TLS: TLSSettings{InsecureSkipVerify: true}}, routeEnv{}, false},
	}
	urls := []string{"http://a.test/", "https://b.test:8443/x", "HTTP://C.test/"}
	for _, c := range cases {
		cfg := compileRoutes(c.o, c.env, false)
		if cfg.err != nil {
			t.Fatalf("%s: %v", c.name, cfg.err)
		}
		if cfg.uniform != c.want {
			t.Errorf("%s: uniform = %v, want %v", c.name, cfg.uniform, c.want)
		}
		slow := *cfg
		slow.uniform = false
		for _, raw := range urls {
			u, _ := url.Parse(raw)
			r, changed, fresh := cfg.choose(u, nil, nil)
			sr, schanged, sfresh := slow.choose(u, nil, nil)
			if !reflect.DeepEqual(r, sr) || changed != schanged || fresh != sfresh {
				t.Errorf("%s, %s: choose = %v, %v, %v; the selector says %v, %v, %v", c.name, raw, r, changed, fresh, sr, schanged, sfresh)
			}
		}
	}
}
