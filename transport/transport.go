package transport

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"os"

	"github.com/hashicorp/go-cleanhttp"
	"go.uber.org/zap"
)

// DefaultMaxIdleConnsPerHost is how many idle connections per host a
// transport from [New] keeps unless [MaxIdleConnsPerHost] says otherwise. It
// is sized for a few dozen goroutines sharing one transport: a smaller pool
// closes connections that a moment later have to be dialed again.
const DefaultMaxIdleConnsPerHost = 100

// New returns a new base transport configured by opts. Its concrete type is
// [*http.Transport], which callers may type-assert to adjust fields New does
// not set; the transport is the caller's, shared with no one, and
// [http.DefaultTransport] is never used or modified.
//
// The transport starts as cleanhttp.DefaultPooledTransport and then:
//
//   - keeps [DefaultMaxIdleConnsPerHost] idle connections per host;
//   - bounds connecting by [DefaultConnectTimeout] and the TLS handshake by
//     TLSHandshakeTimeout (10 s), unless a request's context sets other
//     limits with middleware.WithTimeouts;
//   - has DisableCompression set, because relay's decompression middleware
//     sets Accept-Encoding and decodes bodies;
//   - attempts HTTP/2 over TLS (ForceAttemptHTTP2), even with a custom TLS
//     configuration or dialer;
//   - verifies server certificates against the system roots, or against
//     exactly the certificates of a CA bundle (see [CABundle]);
//   - reports a proxy's refused CONNECT as a [*middleware.ProxyError] (see
//     [Proxy] for how the proxy is chosen).
//
// Without a CABundle option, a TLSConfig with RootCAs, or InsecureSkipVerify,
// New reads the CA bundle path from the RELAY_CA_BUNDLE environment variable,
// or else from SSL_CERT_FILE; an empty variable counts as unset, and
// [IgnoreEnvironment] turns the lookup off.
//
// New reports bad configuration as an error whose message names the file and
// where its path came from: a missing, unreadable or certificate-less CA
// bundle, an unreadable client certificate or key, a key that does not match
// its certificate, or contradictory options. It never falls back to other
// roots. When the resulting configuration skips verification, New logs one
// warning.
func New(opts ...Option) (http.RoundTripper, error) {
	c := config{maxIdle: DefaultMaxIdleConnsPerHost}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	if c.logger == nil {
		c.logger = zap.NewNop()
	}
	if c.maxIdle < 1 {
		return nil, fmt.Errorf("transport: MaxIdleConnsPerHost(%d): want at least 1", c.maxIdle)
	}
	getenv := os.Getenv
	if c.ignoreEnv {
		getenv = nil
	}
	tlsConf, err := c.tlsConfig(getenv)
	if err != nil {
		return nil, err
	}

	t := cleanhttp.DefaultPooledTransport()
	t.TLSClientConfig = tlsConf
	t.ForceAttemptHTTP2 = true
	t.DisableCompression = true
	t.MaxIdleConnsPerHost = c.maxIdle
	t.MaxIdleConns = max(t.MaxIdleConns, c.maxIdle)
	installTimeouts(t, c.dial) // per-request connect and TLS-handshake timeouts: timeouts.go
	switch {
	case c.proxySet:
		t.Proxy = c.proxy
	case c.ignoreEnv:
		t.Proxy = nil
	}
	t.OnProxyConnectResponse = proxyConnectResponse

	if tlsConf.InsecureSkipVerify {
		source := "InsecureSkipVerify option"
		if !c.insecure {
			source = "TLSConfig option"
		}
		c.logger.Warn("transport: TLS certificate verification is disabled; "+
			"this transport accepts any server certificate",
			zap.String("source", source))
	}
	return t, nil
}

// tlsConfig builds the transport's TLS configuration from c. getenv reads the
// environment; nil means the environment is ignored.
func (c *config) tlsConfig(getenv func(string) string) (*tls.Config, error) {
	var tc *tls.Config
	if c.base != nil {
		tc = c.base.Clone()
	} else {
		tc = &tls.Config{}
	}
	if c.insecure {
		tc.InsecureSkipVerify = true
	}

	switch {
	case c.caBundleSet:
		if tc.InsecureSkipVerify {
			return nil, fmt.Errorf("transport: CABundle(%q) given with verification turned off: "+
				"the bundle would never be used", c.caBundle)
		}
		pool, err := loadCABundle(c.caBundle, "CABundle option")
		if err != nil {
			return nil, err
		}
		tc.RootCAs = pool
	case tc.RootCAs != nil, tc.InsecureSkipVerify, getenv == nil:
		// An explicit configuration wins over the environment, and a
		// transport that does not verify needs no roots.
	default:
		if path, source := caBundleFromEnvironment(getenv); path != "" {
			pool, err := loadCABundle(path, source)
			if err != nil {
				return nil, err
			}
			tc.RootCAs = pool
		}
	}

	if c.clientCert.set {
		if tc.GetClientCertificate != nil {
			return nil, fmt.Errorf("transport: a client certificate option was given with a " +
				"TLSConfig whose GetClientCertificate is set; crypto/tls would use only the latter")
		}
		cert, err := c.clientCert.load()
		if err != nil {
			return nil, err
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}
