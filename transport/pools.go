package transport

import (
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/relayhttp/relay/middleware"
)

// DefaultMaxRoutes is how many routes' connection pools [Pools] keeps
// unless told otherwise.
const DefaultMaxRoutes = 64

// PoolsOptions configures PoolsWithOptions.
type PoolsOptions struct {
	// MaxRoutes bounds how many routes keep a pool at once; past it, the
	// least recently used route's pool is dropped: its idle connections are
	// closed at once, its requests in flight finish, and their connections
	// close when they are done. 0 means DefaultMaxRoutes.
	MaxRoutes int
	// Logger gets one warning for every pool made without TLS
	// verification. nil means zap.NewNop.
	Logger *zap.Logger
	// Name names the transport in errors: `mount "https://api.example"`,
	// say. "" means "the transport".
	Name string
}

// Pools returns base ready to take routes: PoolsWithOptions with the
// defaults.
func Pools(base *http.Transport) http.RoundTripper {
	return PoolsWithOptions(base, PoolsOptions{})
}

// PoolsWithOptions returns an http.RoundTripper that gives every route (the
// proxy and TLS settings the route middleware puts in a request's context,
// middleware.RouteFromContext) a connection pool of its own: a clone of
// base with the route's settings applied, made on first use. A request
// whose route chooses nothing goes through base itself; base is never
// modified, and must not be modified after it is given here.
//
// One *http.Transport keys its HTTP/1 pool by proxy, but not its HTTP/2
// pool: net/http registers an HTTP/2 connection under its origin only, so a
// request to that origin would reuse a tunnel opened through another proxy,
// or a connection made without verification or with another client
// certificate. Separate transports keep routes apart for both protocols.
//
// A route's clone takes from the route:
//
//   - a proxy: that proxy alone (nil: direct); a socks5:// proxy resolves
//     the target's name on the client, socks5h:// at the proxy;
//   - InsecureSkipVerify, or a CA bundle, whose certificates are then the
//     only roots; the client certificate and key;
//
// and keeps every other setting of base. The environment's CA bundle
// (RELAY_CA_BUNDLE, SSL_CERT_FILE) stands in for the system roots only: a
// base with roots of its own (a CA bundle, a TLSClientConfig with RootCAs)
// or without verification keeps them, as transport.New ranks them. CA bundle and client certificate
// files are read when the pool is made — a file that is missing, unreadable
// or holds no certificate fails the request before any connection, with an
// error naming the file and the option it came from — and looked at again
// at most once per [fileCheckInterval] (a second): when one changed, the
// route gets a new pool built from the new files, so certificate rotation
// needs no restart. A file that turns unreadable fails the route's new
// connections with an error naming it; relay never falls back to the
// system roots.
//
// A route cannot be taken, and the request fails with a [*RouteError],
// when base was set up in a way a clone cannot follow: HTTP/2 configured
// through TLSNextProto (golang.org/x/net/http2.ConfigureTransports, whose
// pool every clone would share), or a custom DialTLSContext (other than
// New's) for a route that sets TLS or a socks5:// proxy.
//
// Lookups of a route already seen take no lock; CloseIdleConnections
// reaches base and every pool.
func PoolsWithOptions(base *http.Transport, o PoolsOptions) http.RoundTripper {
	if o.MaxRoutes <= 0 {
		o.MaxRoutes = DefaultMaxRoutes
	}
	if o.Logger == nil {
		o.Logger = zap.NewNop()
	}
	if o.Name == "" {
		o.Name = "the transport"
	}
	p := &pools{base: base, o: o, epoch: time.Now(), checkEvery: int64(fileCheckInterval), retired: make(map[*pool]struct{})}
	p.baseDirect = base.Proxy == nil
	if tc := base.TLSClientConfig; tc != nil {
		p.ownRoots = tc.RootCAs != nil || tc.InsecureSkipVerify
	}
	probe := base.Clone()
	p.sharesH2 = probe.TLSNextProto != nil && probe.TLSNextProto["h2"] != nil
	p.customTLSDial = (base.DialTLSContext != nil && !isTimeoutDialTLS(base.DialTLSContext)) || base.DialTLS != nil
	empty := make(map[routeKey]*pool)
	p.routes.Store(&empty)
	return p
}

type pools struct {
	base          *http.Transport
	o             PoolsOptions
	epoch         time.Time // for monotonic clock readings
	checkEvery    int64     // fileCheckInterval; tests shorten it
	baseDirect    bool      // base sends every request direct
	ownRoots      bool      // base verifies against roots of its own, or not at all
	sharesH2      bool      // TLSNextProto set up by someone else: clones would share its HTTP/2 pool
	customTLSDial bool      // base makes TLS connections with a dialer of its own

	mu      sync.Mutex                         // serialises changes
	routes  atomic.Pointer[map[routeKey]*pool] // never modified once stored
	retired map[*pool]struct{}                 // dropped pools with requests in flight
}

// RoutesItself marks pools as a SelfRouting transport.
func (p *pools) RoutesItself() {}

var _ SelfRouting = (*pools)(nil)

// routeKey identifies a route by what changes its connections, not by where
// the settings came from.
type routeKey struct {
	proxySet                    bool
	scheme, host, user, pass    string
	hasUser, hasPass            bool
	insecure                    bool
	caBundle, certFile, keyFile string
}

// keyOf returns r's key, and whether r changes anything for the base
// transport.
func (p *pools) keyOf(r *middleware.Route) (routeKey, bool) {
	var k routeKey
	if r.ProxySource.Set() {
		k.proxySet = true
		if u := r.Proxy; u != nil {
			k.scheme, k.host = u.Scheme, u.Host
			if u.User != nil {
				k.hasUser, k.user = true, u.User.Username()
				k.pass, k.hasPass = u.User.Password()
			}
		}
	}
	if r.VerifySource.Set() && !(r.VerifySource.Level == middleware.FromEnvironment && p.ownRoots) {
		k.insecure, k.caBundle = r.TLS.InsecureSkipVerify, r.TLS.CABundle
	}
	if r.CertSource.Set() {
		k.certFile, k.keyFile = r.TLS.CertFile, r.TLS.KeyFile
	}
	if p.baseDirect && k.proxySet && k.scheme == "" {
		k.proxySet = false // direct on a direct transport is no change
	}
	return k, k != routeKey{}
}

func (p *pools) now() int64 { return int64(time.Since(p.epoch)) }

func (p *pools) RoundTrip(req *http.Request) (*http.Response, error) {
	r, ok := middleware.RouteFromContext(req.Context())
	if !ok {
		return p.base.RoundTrip(req)
	}
	key, changes := p.keyOf(&r)
	if !changes {
		return p.base.RoundTrip(req)
	}
	now := p.now()
	pl := (*p.routes.Load())[key]
	if pl == nil {
		var err error
		if pl, err = p.add(key, &r, now); err != nil {
			closeRequestBody(req)
			return nil, err
		}
	}
	if last := pl.lastUsed.Load(); now-last > int64(time.Millisecond) {
		pl.lastUsed.Store(now)
	}
	if pl.files != nil && now >= pl.nextCheck.Load() {
		pl = p.recheck(pl, now)
	}
	return pl.roundTrip(req)
}

// add returns the pool of key, making it if no other request did.
func (p *pools) add(key routeKey, r *middleware.Route, now int64) (*pool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	cur := *p.routes.Load()
	if pl := cur[key]; pl != nil {
		return pl, nil
	}
	pl, err := p.build(key, r, now)
	if err != nil {
		return nil, err
	}
	next := make(map[routeKey]*pool, len(cur)+1)
	var oldest *pool
	for k, x := range cur {
		next[k] = x
		if oldest == nil || x.lastUsed.Load() < oldest.lastUsed.Load() {
			oldest = x
		}
	}
	if len(next) >= p.o.MaxRoutes && oldest != nil {
		delete(next, oldest.key)
		p.retire(oldest)
	}
	next[key] = pl
	p.routes.Store(&next)
	return pl, nil
}

// recheck looks at pl's files again, once per interval, and replaces pl
// with a pool built from them when they changed.
func (p *pools) recheck(pl *pool, now int64) *pool {
	due := pl.nextCheck.Load()
	if now < due || !pl.nextCheck.CompareAndSwap(due, now+p.checkEvery) || !changed(pl.files) {
		return pl
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	cur := *p.routes.Load()
	if cur[pl.key] != pl {
		if x := cur[pl.key]; x != nil {
			return x // replaced meanwhile
		}
		return pl // dropped meanwhile: finish on it
	}
	npl, err := p.build(pl.key, &pl.route, now)
	if err != nil {
		npl = p.failing(pl, err, now)
	}
	npl.lastUsed.Store(now)
	next := make(map[routeKey]*pool, len(cur))
	for k, x := range cur {
		next[k] = x
	}
	next[pl.key] = npl
	p.routes.Store(&next)
	p.retire(pl)
	return npl
}

// retire drops pl: its idle connections are closed now, and the rest when
// its last request in flight is done. Callers hold p.mu.
func (p *pools) retire(pl *pool) {
	pl.retired.Store(true)
	pl.t.CloseIdleConnections()
	if pl.inflight.Load() > 0 {
		p.retired[pl] = struct{}{}
	}
}

// forget removes a retired pool whose last request is done.
func (p *pools) forget(pl *pool) {
	p.mu.Lock()
	delete(p.retired, pl)
	p.mu.Unlock()
}

// CloseIdleConnections closes the idle connections of base and of every
// route's pool, dropped pools with requests in flight included.
func (p *pools) CloseIdleConnections() {
	p.base.CloseIdleConnections()
	for _, pl := range *p.routes.Load() {
		pl.t.CloseIdleConnections()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for pl := range p.retired {
		pl.t.CloseIdleConnections()
	}
}
