package transport

import (
	"crypto/tls"
	"net/http"

	"go.uber.org/zap"

	"github.com/relayhttp/relay/middleware"
)

// build makes the pool of a route: a clone of the base transport with the
// route's proxy and TLS settings applied. It reads the route's files, and
// fails, naming the file and where it came from, when one cannot be used.
func (p *pools) build(key routeKey, r *middleware.Route, now int64) (*pool, error) {
	if err := p.check(key, r); err != nil {
		return nil, err
	}
	pl := &pool{owner: p, key: key, route: *r}
	pl.lastUsed.Store(now)
	pl.nextCheck.Store(now + p.checkEvery)
	pl.files = snapshot(key.caBundle, key.certFile, key.keyFile)
	if len(pl.files) == 0 {
		pl.files = nil
	}
	t := p.cloneWithProxy(key, r)
	if key.insecure || key.caBundle != "" || key.certFile != "" {
		tc, err := p.tlsConfig(t.TLSClientConfig, key, r)
		if err != nil {
			return nil, err
		}
		t.TLSClientConfig = tc
		p.ownTLSDial(t)
	}
	pl.t = t
	return pl, nil
}

// failing returns the pool that replaces old when its files turned bad:
// its TLS connections fail with err, which names the file; plain HTTP
// through its proxy still works, and it is rebuilt once the files change
// again.
func (p *pools) failing(old *pool, err error, now int64) *pool {
	pl := &pool{owner: p, key: old.key, route: old.route}
	pl.nextCheck.Store(now + p.checkEvery)
	pl.files = snapshot(old.key.caBundle, old.key.certFile, old.key.keyFile)
	t := p.cloneWithProxy(old.key, &old.route)
	tc := t.TLSClientConfig
	if tc == nil {
		tc = &tls.Config{}
	}
	// Every handshake fails with err. Verification is skipped only so that
	// err, which names the file, is what the caller sees, not an unknown
	// authority: VerifyConnection runs after it and refuses every server.
	tc.InsecureSkipVerify = true
	tc.VerifyConnection = func(tls.ConnectionState) error { return err }
	t.TLSClientConfig = tc
	p.ownTLSDial(t)
	pl.t = t
	return pl
}

// check reports a route that a clone of the base transport cannot take.
func (p *pools) check(key routeKey, r *middleware.Route) error {
	setting := func() string {
		if s := r.Explicit(); s != "" {
			return s
		}
		return "the route"
	}
	if p.sharesH2 {
		return &RouteError{Mount: p.o.Name, Transport: "*http.Transport", Setting: setting(),
			Reason: "its TLSNextProto (golang.org/x/net/http2.ConfigureTransports) would share one HTTP/2 pool " +
				"among every route; configure HTTP/2 with the Transport's HTTP2 and Protocols fields instead"}
	}
	socks := key.scheme == "socks5"
	if p.customTLSDial && (socks || key.insecure || key.caBundle != "" || key.certFile != "") {
		return &RouteError{Mount: p.o.Name, Transport: "*http.Transport", Setting: setting(),
			Reason: "its DialTLSContext makes TLS connections of its own, which cannot follow the route"}
	}
	return nil
}

// cloneWithProxy clones the base transport with the proxy of key applied.
func (p *pools) cloneWithProxy(key routeKey, r *middleware.Route) *http.Transport {
	t := p.base.Clone()
	switch {
	case !key.proxySet:
	case r.Proxy == nil:
		t.Proxy = nil
	case r.Proxy.Scheme == "socks5":
		// net/http dials socks5:// as socks5h://, sending the name: resolve
		// it here instead, as curl and Requests do.
		t.Proxy = nil
		t.DialContext = socks5Resolving(r.Proxy, t.DialContext)
		p.ownTLSDial(t)
	default:
		fixed := *r.Proxy
		t.Proxy = http.ProxyURL(&fixed)
	}
	return t
}

// ownTLSDial gives t a TLS dialer of its own when it has New's, which
// handshakes with the TLS configuration of the transport it came from.
func (p *pools) ownTLSDial(t *http.Transport) {
	if isTimeoutDialTLS(t.DialTLSContext) {
		t.DialTLSContext = tlsDialFor(t)
	}
}

// tlsConfig returns base (cloned) with the route's TLS settings applied.
func (p *pools) tlsConfig(base *tls.Config, key routeKey, r *middleware.Route) (*tls.Config, error) {
	tc := base.Clone()
	if tc == nil {
		tc = &tls.Config{}
	}
	switch {
	case key.insecure:
		tc.InsecureSkipVerify = true
		p.o.Logger.Warn("transport: TLS certificate verification is disabled for a route; "+
			"its connections accept any server certificate",
			zap.String("source", r.VerifySource.String()), zap.String("transport", p.o.Name))
	case key.caBundle != "":
		roots, err := loadCABundle(key.caBundle, r.VerifySource.String())
		if err != nil {
			return nil, err
		}
		tc.RootCAs, tc.InsecureSkipVerify = roots, false
	}
	if key.certFile != "" {
		cert, err := loadKeyPair(key.certFile, key.keyFile, r.CertSource.String())
		if err != nil {
			return nil, err
		}
		tc.Certificates, tc.GetClientCertificate = []tls.Certificate{cert}, nil
	}
	return tc, nil
}
