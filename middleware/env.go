package middleware

import (
	"fmt"
	"net/url"
	"os"

	"golang.org/x/net/http/httpproxy"
)

// ProxyEnv holds the proxy environment variables as they were read: raw
// strings, compiled by [NewProxySelector]. An empty field counts as unset.
type ProxyEnv struct {
	// HTTPProxy is http_proxy, else HTTP_PROXY: the proxy for http:// URLs.
	// [ProxyEnvFromEnvironment] leaves it empty when REQUEST_METHOD is set
	// and the value comes from HTTP_PROXY alone: a CGI program gets
	// HTTP_PROXY from the client's "Proxy:" header ("httpoxy"), so relay,
	// like urllib, does not trust it there.
	HTTPProxy string
	// HTTPSProxy is https_proxy, else HTTPS_PROXY: the proxy for https://
	// URLs.
	HTTPSProxy string
	// AllProxy is all_proxy, else ALL_PROXY: the proxy for either scheme
	// when the scheme's own variable is unset, as curl and Requests read
	// it. httpproxy and net/http ignore it.
	AllProxy string
	// NoProxy is no_proxy, else NO_PROXY: comma-separated host names (each
	// matching itself and its subdomains; a leading "." or "*." matches
	// subdomains only), IP addresses, CIDR ranges, each optionally with a
	// ":port", or "*" for every host. Hosts it matches go direct; it applies
	// to the environment's proxies only, AllProxy included, never to a
	// proxy map. It is matched by golang.org/x/net/http/httpproxy, which
	// also never proxies "localhost" and loopback addresses.
	NoProxy string
}

// ProxyEnvFromEnvironment reads the proxy environment variables: lower-case
// names first, then upper-case, as httpproxy and Requests do. It is the only
// function in relay that reads them, and it reads them on every call: relay
// keeps no per-process cache.
func ProxyEnvFromEnvironment() ProxyEnv {
	e := ProxyEnv{
		HTTPProxy:  os.Getenv("http_proxy"),
		HTTPSProxy: getenvAny("https_proxy", "HTTPS_PROXY"),
		AllProxy:   getenvAny("all_proxy", "ALL_PROXY"),
		NoProxy:    getenvAny("no_proxy", "NO_PROXY"),
	}
	if e.HTTPProxy == "" && os.Getenv("REQUEST_METHOD") == "" {
		e.HTTPProxy = os.Getenv("HTTP_PROXY")
	}
	return e
}

func getenvAny(names ...string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return ""
}

// compile validates e and returns the function that applies it.
func (e ProxyEnv) compile() (func(*url.URL) (*url.URL, error), error) {
	for _, v := range []struct{ name, value string }{
		{"HTTP_PROXY", e.HTTPProxy}, {"HTTPS_PROXY", e.HTTPSProxy}, {"ALL_PROXY", e.AllProxy},
	} {
		if v.value == "" {
			continue
		}
		if _, err := ParseProxyURL(v.value); err != nil {
			return nil, fmt.Errorf("middleware: %s environment variable: %w", v.name, err)
		}
	}
	if e.HTTPProxy == "" && e.HTTPSProxy == "" && e.AllProxy == "" {
		return nil, nil
	}
	cfg := httpproxy.Config{HTTPProxy: e.HTTPProxy, HTTPSProxy: e.HTTPSProxy, NoProxy: e.NoProxy}
	if cfg.HTTPProxy == "" {
		cfg.HTTPProxy = e.AllProxy
	}
	if cfg.HTTPSProxy == "" {
		cfg.HTTPSProxy = e.AllProxy
	}
	// httpproxy parses the values again, with the same rules as
	// ParseProxyURL minus the scheme check, and returns the same *url.URL
	// for every request: no allocation per request.
	return cfg.ProxyFunc(), nil
}

// names returns the variable the proxy of each scheme (http, https) comes
// from: its own, else ALL_PROXY; unset when neither is set.
func (e ProxyEnv) names() [2]Source {
	var n [2]Source
	for i, v := range [2]struct{ own, name string }{{e.HTTPProxy, "HTTP_PROXY"}, {e.HTTPSProxy, "HTTPS_PROXY"}} {
		switch {
		case v.own != "":
			n[i] = Source{FromEnvironment, v.name}
		case e.AllProxy != "":
			n[i] = Source{FromEnvironment, "ALL_PROXY"}
		}
	}
	return n
}

// Environment variables naming a CA bundle, in the order they are read.
const (
	EnvCABundle    = "RELAY_CA_BUNDLE"
	EnvSSLCertFile = "SSL_CERT_FILE"
)

// CABundleFromEnvironment returns the CA bundle path the environment names
// and the variable it came from: RELAY_CA_BUNDLE if it is set and not
// empty, else SSL_CERT_FILE, else "" and "". Like [ProxyEnvFromEnvironment]
// it reads the environment on every call.
func CABundleFromEnvironment() (path, variable string) {
	return CABundleFrom(os.Getenv)
}

// CABundleFrom is [CABundleFromEnvironment] reading variables with getenv.
func CABundleFrom(getenv func(string) string) (path, variable string) {
	for _, name := range [...]string{EnvCABundle, EnvSSLCertFile} {
		if v := getenv(name); v != "" {
			return v, name
		}
	}
	return "", ""
}
