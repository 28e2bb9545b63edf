package middleware

import (
	"maps"
	"net/url"
)

// routeEnv is the environment's part of a route, as read.
type routeEnv struct {
	proxy       ProxyEnv
	caBundle    string
	caBundleVar string
}

func readRouteEnv() routeEnv {
	e := routeEnv{proxy: ProxyEnvFromEnvironment()}
	e.caBundle, e.caBundleVar = CABundleFromEnvironment()
	return e
}

// routeConfig is one compiled configuration and what it was compiled from.
type routeConfig struct {
	o       RouteOptions // Proxies cloned
	env     routeEnv     // with o.TrustEnv
	sel     *ProxySelector
	session Route // the session layer's TLS
	envTLS  Route // the environment's CA bundle, with o.TrustEnv
	err     error
}

func compileRoutes(o RouteOptions, env routeEnv) *routeConfig {
	o.Proxies = maps.Clone(o.Proxies)
	c := &routeConfig{o: o, env: env}
	name := o.Name
	if name == "" {
		name = "RouteOptions"
	}
	pc := ProxyConfig{Proxies: o.Proxies, Name: name}
	if o.TrustEnv {
		pc.Env = &env.proxy
		if env.caBundle != "" {
			c.envTLS = Route{TLS: TLSSettings{CABundle: env.caBundle},
				VerifySource: Source{FromEnvironment, env.caBundleVar}}
		}
	}
	if c.sel, c.err = NewProxySelector(pc); c.err != nil {
		return c
	}
	tlsName := name + ".TLS"
	if c.err = o.TLS.Check(tlsName); c.err != nil {
		return c
	}
	if o.TLS.choosesVerify() {
		c.session.TLS.InsecureSkipVerify, c.session.TLS.CABundle = o.TLS.InsecureSkipVerify, o.TLS.CABundle
		c.session.VerifySource = Source{FromSession, tlsName}
	}
	if o.TLS.choosesCert() {
		c.session.TLS.CertFile, c.session.TLS.KeyFile = o.TLS.CertFile, o.TLS.KeyFile
		c.session.CertSource = Source{FromSession, tlsName}
	}
	return c
}

// compiledFrom reports whether c was compiled from o and env.
func (c *routeConfig) compiledFrom(o RouteOptions, env routeEnv) bool {
	return c.o.TrustEnv == o.TrustEnv && c.o.EnvPerRequest == o.EnvPerRequest &&
		c.o.TLS == o.TLS && c.o.Name == o.Name &&
		(!o.TrustEnv || c.env == env) && maps.Equal(c.o.Proxies, o.Proxies)
}

// choose returns the route of a hop to u whose context holds given (nil:
// none), and whether it differs from given. The result is shared: callers
// must not modify it. Routes of the session's proxy keys and of the
// environment's CA bundle alone are made once, when c is compiled.
func (c *routeConfig) choose(u *url.URL, given *Route) (*Route, bool) {
	if given == nil && !c.session.Chooses() {
		e := c.sel.choose(u)
		switch {
		case !c.envTLS.Chooses():
			return e.route, e.route != nil
		case e.route == nil:
			return &c.envTLS, true
		}
		r := &Route{Proxy: e.u, ProxySource: e.src}
		r.under(&c.envTLS)
		return r, true
	}
	var r Route
	if given != nil {
		r = *given
	}
	took := false
	if !r.ProxySource.Set() {
		if e := c.sel.choose(u); e.src.Set() {
			r.Proxy, r.ProxySource, took = e.u, e.src, true
		}
	}
	took = r.under(&c.session) || took
	took = r.under(&c.envTLS) || took
	if !took {
		return given, false
	}
	return &r, true
}
