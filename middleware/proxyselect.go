package middleware

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/relayhttp/relay/internal/origin"
)

// ProxyConfig is a raw proxy configuration; [NewProxySelector] validates and
// compiles it.
type ProxyConfig struct {
	// Proxies maps a key to a proxy URL, as the proxies dict of Python
	// Requests does. Keys, case-insensitive:
	//
	//	"http", "https"            every URL of that scheme
	//	"all"                      every URL
	//	"http://host", "https://host", "all://host"
	//	                           that host (exactly: no subdomains), any port
	//	"http://host:port", …      that host and port (a URL without a port
	//	                           has its scheme's default port)
	//	"no_proxy"                 replaces Env.NoProxy, as in Requests
	//
	// For a URL, the most specific key wins: scheme://host:port,
	// scheme://host, all://host:port, all://host, scheme, all; then the
	// environment. An empty value means "direct": the lookup stops there.
	//
	// Values are proxy URLs with the scheme http, https (TLS to the proxy,
	// verified with the transport's TLS settings), socks5h (the proxy
	// resolves the target's name) or socks5 (the client resolves it, as
	// curl and Requests do; transport.Pools dials it so); "host:port" alone
	// means http://host:port. Credentials in a value
	// (http://user:pass@proxy:3128) are sent to that proxy alone: as Basic
	// Proxy-Authorization to an HTTP(S) proxy, as RFC 1929
	// username/password to a SOCKS5 one.
	Proxies map[string]string

	// Env, when not nil, is consulted for URLs no key of Proxies matches:
	// Requests' trust_env. Read it with [ProxyEnvFromEnvironment].
	Env *ProxyEnv

	// Name is what the map is called in the sources the selector reports
	// ("Session" gives `Session.Proxies["https"]`); "" gives
	// `Proxies["https"]`.
	Name string
}

// ProxySelector is a compiled [ProxyConfig]: it picks the proxy for a URL.
// It is immutable and safe for concurrent use.
type ProxySelector struct {
	byKey     map[string]proxyEntry // normalized keys
	hostKeys  bool                  // some key names a host
	scheme    [3]proxyEntry         // "http", "https", "all"
	schemeSet [3]bool
	env       func(*url.URL) (*url.URL, error)
	envNames  [2]Source     // the variable each scheme's proxy comes from; unset: none
	envRoutes [2]proxyEntry // the route of each scheme's proxy, once seen
	noProxy   proxyEntry    // direct, by NO_PROXY

	noProxyKey rawKey // the "no_proxy" key as given; unset: none
}

// proxyEntry is one key's proxy (nil: direct) and the key, as given, for
// its Source; route is the two as a Route, made once.
type proxyEntry struct {
	u     *url.URL
	src   Source
	route *Route
	key   rawKey // of the map's entries, not the environment's
}

func newProxyEntry(u *url.URL, src Source) proxyEntry {
	return proxyEntry{u: u, src: src, route: &Route{Proxy: u, ProxySource: src}}
}

const (
	slotHTTP = iota
	slotHTTPS
	slotAll
)

// slotKeys are the keys of the slots, in their normal form.
var slotKeys = [3]string{"http", "https", "all"}

// NewProxySelector validates c and compiles it. It reports, naming the key
// or variable, a key it does not know, a value that is not a proxy URL or
// whose scheme is not http, https, socks5 or socks5h; the error never holds
// a password. The selector keeps no reference to c's map.
//
// The sources the selector reports ([ProxySelector.Choose]) name a key as
// Proxies["key"] in the layer [FromSession], with c.Name before it.
func NewProxySelector(c ProxyConfig) (*ProxySelector, error) {
	s := &ProxySelector{byKey: make(map[string]proxyEntry)}
	noProxy, noProxySet := "", false
	for _, k := range slices.Sorted(maps.Keys(c.Proxies)) { // deterministic errors
		v := c.Proxies[k]
		key, err := parseProxyKey(k)
		if err != nil {
			return nil, err
		}
		if key == "no_proxy" {
			noProxy, noProxySet = v, true
			s.noProxyKey = rawKey{k, v, true}
			continue
		}
		var u *url.URL
		if v != "" {
			if u, err = ParseProxyURL(v); err != nil {
				return nil, fmt.Errorf("middleware: proxy for %q: %w", k, err)
			}
		}
		if _, dup := s.byKey[key]; dup {
			return nil, fmt.Errorf("middleware: proxy keys %q and another spelling of %q both given", k, key)
		}
		e := newProxyEntry(u, Source{FromSession, fmt.Sprintf("%sProxies[%q]", prefixName(c.Name), k)})
		e.key = rawKey{k, v, true}
		s.byKey[key] = e
		switch key {
		case "http":
			s.scheme[slotHTTP], s.schemeSet[slotHTTP] = e, true
		case "https":
			s.scheme[slotHTTPS], s.schemeSet[slotHTTPS] = e, true
		case "all":
			s.scheme[slotAll], s.schemeSet[slotAll] = e, true
		default:
			s.hostKeys = true
		}
	}
	if c.Env != nil {
		env := *c.Env
		if noProxySet {
			env.NoProxy = noProxy
		}
		f, err := env.compile()
		if err != nil {
			return nil, err
		}
		s.env = f
		s.envNames = env.names()
		s.noProxy = newProxyEntry(nil, Source{FromEnvironment, "NO_PROXY"})
		for i, scheme := range [2]string{"http", "https"} {
			if s.envNames[i].Set() {
				p, _ := f(&url.URL{Scheme: scheme, Host: "relay.invalid"})
				s.envRoutes[i] = newProxyEntry(p, s.envNames[i])
			}
		}
	}
	return s, nil
}

// prefixName is name followed by a dot, or "" for no name.
func prefixName(name string) string {
	if name == "" {
		return ""
	}
	return name + "."
}

// Proxy returns the proxy for u, or nil for a direct connection. It never
// fails: NewProxySelector checked everything. The URL returned is shared and
// must not be modified.
func (s *ProxySelector) Proxy(u *url.URL) *url.URL {
	p, _ := s.Choose(u)
	return p
}

// Choose returns the proxy for u (nil for a direct connection) and where
// the choice came from: the key of the map, or the environment variable
// (NO_PROXY for a host it sends direct). A source that is not set means
// neither the map nor the environment say anything about u: the lookup
// fell through. Choose does not allocate.
func (s *ProxySelector) Choose(u *url.URL) (*url.URL, Source) {
	e, _ := s.choose(u, nil)
	return e.u, e.src
}

// choose returns the entry that decides for u: the zero entry when none
// does. It allocates only for an environment proxy that differs from the
// one its variable names (which httpproxy never returns).
//
// With live not empty, the map s was compiled from as it is now, choose
// also reports whether live still says what s was compiled from about
// every key it consulted for u (see [ProxySelector.lookup]); when it does
// not, the entry is not to be used. With live empty it reports true.
func (s *ProxySelector) choose(u *url.URL, live map[string]string) (proxyEntry, bool) {
	if len(live) == 0 {
		live = nil
	}
	scheme := u.Scheme
	slot := -1
	switch {
	case scheme == "http":
		slot = slotHTTP
	case scheme == "https":
		slot = slotHTTPS
	case strings.EqualFold(scheme, "http"):
		slot, scheme = slotHTTP, "http"
	case strings.EqualFold(scheme, "https"):
		slot, scheme = slotHTTPS, "https"
	}
	if s.hostKeys || live != nil { // a live map may have gained host keys
		if e, found, fresh := s.lookupHost(scheme, u, live); found || !fresh {
			return e, fresh
		}
	}
	if slot >= 0 {
		if e, found, fresh := s.lookupScheme(slot, live); found || !fresh {
			return e, fresh
		}
	}
	if e, found, fresh := s.lookupScheme(slotAll, live); found || !fresh {
		return e, fresh
	}
	if s.env != nil && slot >= 0 && s.envNames[slot].Set() {
		if live != nil && !s.noProxyKey.in(live, "no_proxy") {
			return proxyEntry{}, false
		}
		p, _ := s.env(u) // no error: CGI is handled when the environment is read
		switch e := s.envRoutes[slot]; {
		case p == nil:
			return s.noProxy, true
		case p == e.u:
			return e, true
		}
		return newProxyEntry(p, s.envNames[slot]), true
	}
	return proxyEntry{}, true
}

// choosesNone reports whether s sends every URL direct: no keys, and no
// proxy in the environment it reads.
func (s *ProxySelector) choosesNone() bool {
	return len(s.byKey) == 0 && !s.envNames[slotHTTP].Set() && !s.envNames[slotHTTPS].Set()
}

// ProxyFunc returns s.Proxy in the form [http.Transport.Proxy] takes.
func (s *ProxySelector) ProxyFunc() func(*http.Request) (*url.URL, error) {
	return func(req *http.Request) (*url.URL, error) { return s.Proxy(req.URL), nil }
}

// lookupHost tries the host keys for u in order of specificity, as
// [ProxySelector.lookup] does each (found: a key matched; fresh: live agrees
// about every key tried). It builds each key in a stack buffer, so a lookup
// does not allocate for host names of ordinary length.
func (s *ProxySelector) lookupHost(scheme string, u *url.URL, live map[string]string) (e proxyEntry, found, fresh bool) {
	host := u.Hostname()
	if host == "" {
		return proxyEntry{}, false, true
	}
	port := u.Port()
	if port == "" {
		port = origin.DefaultPort(scheme)
	}
	var arr [128]byte
	for _, sch := range [2]string{scheme, "all"} {
		if sch == "" {
			continue
		}
		b := append(arr[:0], sch...)
		b = append(b, "://"...)
		b = appendLowerHost(b, host)
		n := len(b)
		if port != "" {
			b = append(b, ':')
			b = append(b, port...)
			if e, found, fresh := s.lookup(b, live); found || !fresh {
				return e, found, fresh
			}
		}
		if e, found, fresh := s.lookup(b[:n], live); found || !fresh {
			return e, found, fresh
		}
	}
	return proxyEntry{}, false, true
}

// lookupScheme is [ProxySelector.lookup] for the key of a slot: "http",
// "https" or "all".
func (s *ProxySelector) lookupScheme(slot int, live map[string]string) (e proxyEntry, found, fresh bool) {
	name := slotKeys[slot]
	if !s.schemeSet[slot] {
		return proxyEntry{}, false, live == nil || !hasKey(live, name)
	}
	e = s.scheme[slot]
	return e, true, live == nil || e.key.in(live, name)
}
