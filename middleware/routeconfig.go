package middleware

import (
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
	o       RouteOptions // Proxies: see seen
	seen    proxiesSeen  // what it knows of o.Proxies, to notice changes
	env     routeEnv     // with o.TrustEnv
	sel     *ProxySelector
	session Route // the session layer's TLS
	envTLS  Route // the environment's CA bundle, with o.TrustEnv
	err     error
	// uniform: no proxy key and no proxy in the environment, no session
	// TLS; every hop without a route of its own then takes same (nil, or
	// the environment's CA bundle), and choose need not look.
	uniform bool
	same    *Route
}

// compileRoutes compiles o in env. With frozen, o.Proxies never changes (a
// copy that Routes made), and requests need not check it.
func compileRoutes(o RouteOptions, env routeEnv, frozen bool) *routeConfig {
	c := &routeConfig{env: env}
	c.compile(o)
	c.seen = seeProxies(o.Proxies, frozen, c.err != nil)
	c.o = o
	c.o.Proxies = nil // c.seen has what is needed of it
	c.uniform = c.err == nil && c.sel.choosesNone() && !c.session.Chooses()
	if c.envTLS.Chooses() {
		c.same = &c.envTLS
	}
	return c
}

func (c *routeConfig) compile(o RouteOptions) {
	env := c.env
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
		return
	}
	tlsName := name + ".TLS"
	if c.err = o.TLS.Check(tlsName); c.err != nil {
		return
	}
	if o.TLS.choosesVerify() {
		c.session.TLS.InsecureSkipVerify, c.session.TLS.CABundle = o.TLS.InsecureSkipVerify, o.TLS.CABundle
		c.session.VerifySource = Source{FromSession, tlsName}
	}
	if o.TLS.choosesCert() {
		c.session.TLS.CertFile, c.session.TLS.KeyFile = o.TLS.CertFile, o.TLS.KeyFile
		c.session.CertSource = Source{FromSession, tlsName}
	}
}

// compiledFrom reports whether c was compiled from o and env, as far as
// they can be compared as a whole: a large Proxies map is only recognised
// here, and its keys are checked by choose. live is that map, or nil when
// choose need not check it. env is compared only when it was read for
// this request (EnvPerRequest): otherwise c and the request both have the
// one read when the middleware was built.
func (c *routeConfig) compiledFrom(o RouteOptions, env *routeEnv) (same bool, live map[string]string) {
	if c.o.TrustEnv != o.TrustEnv || c.o.EnvPerRequest != o.EnvPerRequest ||
		c.o.TLS != o.TLS || c.o.Name != o.Name || (o.TrustEnv && o.EnvPerRequest && c.env != *env) {
		return false, nil
	}
	return c.seen.still(o.Proxies)
}

// choose returns the route of a hop to u whose context holds given (nil:
// none), and whether it differs from given. The result is shared: callers
// must not modify it. Routes of the session's proxy keys and of the
// environment's CA bundle alone are made once, when c is compiled.
//
// With live (see compiledFrom), fresh reports whether the keys of live
// that can match u still say what c was compiled from; when they do not,
// the route is not to be used: c is stale.
func (c *routeConfig) choose(u *url.URL, given *Route, live map[string]string) (r *Route, changed, fresh bool) {
	if c.uniform && given == nil && live == nil {
		return c.same, c.same != nil, true // what the slower way below gives, without asking the selector
	}
	if given == nil && !c.session.Chooses() {
		e, fresh := c.sel.choose(u, live)
		switch {
		case !fresh:
			return nil, false, false
		case !c.envTLS.Chooses():
			return e.route, e.route != nil, true
		case e.route == nil:
			return &c.envTLS, true, true
		}
		r := &Route{Proxy: e.u, ProxySource: e.src}
		r.under(&c.envTLS)
		return r, true, true
	}
	var rt Route
	if given != nil {
		rt = *given
	}
	took := false
	if !rt.ProxySource.Set() {
		e, fresh := c.sel.choose(u, live)
		if !fresh {
			return nil, false, false
		}
		if e.src.Set() {
			rt.Proxy, rt.ProxySource, took = e.u, e.src, true
		}
	}
	took = rt.under(&c.session) || took
	took = rt.under(&c.envTLS) || took
	if !took {
		return given, false, true
	}
	return &rt, true, true
}
