package transport

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/url"

	"go.uber.org/zap"
)

// An Option configures a transport built by [New]. Options are applied in
// order; when an option is given twice, the last one wins.
type Option interface {
	apply(*config)
}

// optionFunc adapts a function to the Option interface.
type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// config is what the options describe; New turns it into a transport.
type config struct {
	caBundle    string // path given with CABundle
	caBundleSet bool

	clientCert clientCertSource

	insecure  bool
	base      *tls.Config
	dial      func(ctx context.Context, network, addr string) (net.Conn, error)
	proxy     func(*http.Request) (*url.URL, error)
	proxySet  bool
	logger    *zap.Logger
	maxIdle   int
	ignoreEnv bool
}

// clientCertSource records where a client certificate is to be loaded from:
// two files (ClientCert) or one (ClientCertPEM).
type clientCertSource struct {
	set               bool
	combined          bool   // ClientCertPEM
	certFile, keyFile string // ClientCert
	pemFile           string // ClientCertPEM
}

// CABundle makes the certificates in the PEM file at path the only roots the
// transport trusts: the system roots are not added to them. New reports an
// error if the file is missing, unreadable, holds a CERTIFICATE block that
// does not parse, or holds no certificate at all.
//
// CABundle takes precedence over the RootCAs of a [TLSConfig] and over the
// RELAY_CA_BUNDLE and SSL_CERT_FILE environment variables. It cannot be
// combined with turning verification off.
func CABundle(path string) Option {
	return optionFunc(func(c *config) {
		c.caBundle = path
		c.caBundleSet = true
	})
}

// ClientCert makes the transport present the certificate in certFile (a PEM
// certificate, optionally followed by its intermediates) with the private
// key in keyFile (PEM, unencrypted) to servers that ask for one. New reports
// an error if either file is missing or unreadable or if the key does not
// match the certificate.
//
// The certificate replaces any Certificates of a [TLSConfig]; a TLSConfig
// with GetClientCertificate set together with ClientCert is rejected, since
// crypto/tls would silently ignore one of them.
func ClientCert(certFile, keyFile string) Option {
	return optionFunc(func(c *config) {
		c.clientCert = clientCertSource{certFile: certFile, keyFile: keyFile, set: true}
	})
}

// ClientCertPEM is [ClientCert] for a single PEM file holding the certificate
// chain and the private key, the form Requests' cert="client.pem" and curl's
// --cert accept.
func ClientCertPEM(path string) Option {
	return optionFunc(func(c *config) {
		c.clientCert = clientCertSource{set: true, combined: true, pemFile: path}
	})
}

// InsecureSkipVerify turns off verification of server certificates and host
// names: the transport accepts any certificate, so anyone on the network path
// can read and change its traffic. Each New call given this option logs one
// warning through the [Logger]. The environment's CA bundle variables are not
// read when verification is off.
//
// Use it only against test servers; to trust a private CA, use [CABundle].
func InsecureSkipVerify() Option {
	return optionFunc(func(c *config) { c.insecure = true })
}

// TLSConfig sets the TLS configuration the transport starts from. New clones
// cfg and never modifies it; the other options are applied to the clone. A
// nil cfg means the zero configuration. A cfg with InsecureSkipVerify set is
// logged as [InsecureSkipVerify] is.
func TLSConfig(cfg *tls.Config) Option {
	return optionFunc(func(c *config) { c.base = cfg })
}

// DialContext sets the function the transport opens TCP connections with, in
// place of a [net.Dialer] with cleanhttp's keep-alive. The connect timeout
// (30 seconds, or the request's middleware.Timeouts.Connect) still bounds it,
// through the context it is given. Tests use it to send requests for made-up host names to loopback
// listeners, for example every "a.test:443" to an httptest server's address;
// TLS still verifies the certificate against the host name of the URL. A nil
// dial means the default dialer.
func DialContext(dial func(ctx context.Context, network, addr string) (net.Conn, error)) Option {
	return optionFunc(func(c *config) { c.dial = dial })
}

// Proxy sets the function that picks the proxy for each request, as
// [http.Transport.Proxy] does; a nil proxy, or a nil URL from it, means a
// direct connection. Without this option the transport uses
// [http.ProxyFromEnvironment] (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), unless
// [IgnoreEnvironment] is given.
//
// Under a relay Session, or behind [Pools], routes choose the proxy per
// hop (the route middleware, per-request client.Proxy): each route gets a
// clone of the transport with its own proxy, so this function is what
// applies when no route chooses one. A Session's own base transport is
// built with Proxy(nil) for that reason: its route middleware reads the
// environment when Session.TrustEnv says so, and nothing else must.
func Proxy(proxy func(*http.Request) (*url.URL, error)) Option {
	return optionFunc(func(c *config) {
		c.proxy = proxy
		c.proxySet = true
	})
}

// IgnoreEnvironment stops New from reading the environment, like Requests'
// trust_env = False: the RELAY_CA_BUNDLE and SSL_CERT_FILE variables are not
// read, and without a [Proxy] option requests go direct instead of through
// the proxies named by HTTP_PROXY, HTTPS_PROXY and NO_PROXY.
//
// On Unix systems other than macOS, crypto/x509 itself reads SSL_CERT_FILE
// and SSL_CERT_DIR to find the system roots; IgnoreEnvironment does not
// change that. Give a [CABundle] to fix the roots regardless of the
// environment.
func IgnoreEnvironment() Option {
	return optionFunc(func(c *config) { c.ignoreEnv = true })
}

// Logger sets the logger New reports insecure configurations to. The default,
// and the meaning of a nil logger, is [zap.NewNop].
func Logger(l *zap.Logger) Option {
	return optionFunc(func(c *config) { c.logger = l })
}

// MaxIdleConnsPerHost sets how many idle connections the transport keeps per
// host, [DefaultMaxIdleConnsPerHost] unless given. The transport's
// MaxIdleConns, the limit over all hosts, is raised to n if it is lower. New
// reports an error for n < 1; to stop reusing connections, set
// DisableKeepAlives on the returned transport.
func MaxIdleConnsPerHost(n int) Option {
	return optionFunc(func(c *config) { c.maxIdle = n })
}
