package client

import (
	"errors"
	"fmt"

	"github.com/relayhttp/relay/middleware"
)

// Proxy sends this request, and its redirect hops, through the proxy at
// rawURL (http, https, socks5 or socks5h; "host:port" means http), whatever
// Session.Proxies and the environment say; "" sends it direct. Credentials
// in the URL go to the proxy alone. A URL that does not parse fails the call
// before anything is sent, as does a proxy that the mounted transport
// cannot take (see transport.Routed).
func Proxy(rawURL string) Option {
	return optionFunc(func(c *requestConfig) {
		c.routeSet = true
		c.route.ProxySource = middleware.Source{Level: middleware.FromRequest, Name: "client.Proxy"}
		if rawURL == "" {
			c.route.Proxy = nil
			return
		}
		u, err := middleware.ParseProxyURL(rawURL)
		if err != nil {
			c.fail(fmt.Errorf("client: proxy: %w", err))
			return
		}
		c.route.Proxy = u
	})
}

// InsecureSkipVerify turns off verification of server certificates and
// host names for this request and its redirect hops, as Requests'
// verify=False: anyone on the network path can read and change the
// traffic. Use it against test servers only. Its connections have a pool
// of their own and are never reused by a request that verifies; the first
// one logs a warning through the session's logger. It cannot be combined
// with CABundle.
func InsecureSkipVerify() Option {
	return optionFunc(func(c *requestConfig) {
		c.routeSet = true
		c.route.TLS.InsecureSkipVerify = true
		c.route.VerifySource = middleware.Source{Level: middleware.FromRequest, Name: "client.InsecureSkipVerify"}
	})
}

// CABundle verifies the servers of this request and its redirect hops
// against the certificates in the PEM file at path alone (the system roots
// are not added), as Requests' verify="/path". A file that is missing,
// unreadable or holds no certificate fails the request before any
// connection, with an error naming the file; the file is read again when it
// changes on disk. It wins over Session.TLS and RELAY_CA_BUNDLE.
func CABundle(path string) Option {
	return optionFunc(func(c *requestConfig) {
		if path == "" {
			c.fail(errors.New("client: CABundle: empty path"))
			return
		}
		c.routeSet = true
		c.route.TLS.CABundle = path
		c.route.VerifySource = middleware.Source{Level: middleware.FromRequest, Name: "client.CABundle"}
	})
}

// ClientCert presents the certificate in certFile (PEM, optionally followed
// by its intermediates) with the key in keyFile to the servers of this
// request and its redirect hops that ask for one, as Requests' cert=(cert,
// key); keyFile "" means the key is in certFile, as cert="combined.pem".
// Files that cannot be read, or a key that does not match, fail the
// request before any connection; the files are read again when they change
// on disk. It wins over the session's client certificate.
func ClientCert(certFile, keyFile string) Option {
	return optionFunc(func(c *requestConfig) {
		if certFile == "" {
			c.fail(errors.New("client: ClientCert: empty certificate path"))
			return
		}
		c.routeSet = true
		c.route.TLS.CertFile, c.route.TLS.KeyFile = certFile, keyFile
		c.route.CertSource = middleware.Source{Level: middleware.FromRequest, Name: "client.ClientCert"}
	})
}

// checkRoute reports contradictory route options of one request.
func (c *requestConfig) checkRoute() error {
	if !c.routeSet {
		return nil
	}
	if err := c.route.TLS.Check("request options"); err != nil {
		return fmt.Errorf("client: %w", err)
	}
	return nil
}
