package transport

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/relayhttp/relay/explain"
)

// ErrNotMounted is returned, wrapped, by [Router.RoundTrip] for a request whose
// URL no mounted prefix matches. Test for it with errors.Is.
var ErrNotMounted = errors.New("transport: no transport mounted")

// A Router is an [http.RoundTripper] that sends each request through the
// transport mounted under the longest prefix matching the request's URL. It
// implements Session.Mount.
//
// A prefix is a scheme followed by "://", then optionally a host with an
// optional port, then optionally a path:
//
//	https://                          every https URL
//	https://api.example.com           that host on port 443, any path
//	http://localhost:8080/v1          that host and port, paths /v1 and /v1/...
//	https://api.example.com/files/    paths that start with /files/
//
// The rules, stricter than the string prefix of Python Requests' mount:
//
//   - Scheme and host compare case-insensitively; a prefix's host must equal
//     the request's host, so https://api.example.com matches neither
//     https://api.example.com.evil.net/ nor https://sub.api.example.com/.
//   - Ports compare as numbers, with the scheme's default port (80 for http
//     and ws, 443 for https and wss) filled in: https://a.com matches
//     https://a.com:443/x but not https://a.com:8443/x.
//   - A prefix path matches on a path-segment boundary: /v1 matches /v1,
//     /v1/ and /v1/users but not /v10. A prefix path that ends in "/" is a
//     plain string prefix of the request path, so /v1/ does not match /v1. A
//     path of "/" alone matches every path, as no path does. Paths compare
//     case-sensitively, in their decoded form (URL.Path), with an empty
//     request path read as "/". A path prefix chooses a transport; it is not
//     an access boundary (the request path is not cleaned of "..").
//   - Among the prefixes that match, one with a host beats one without, and
//     then the longest path wins.
//
// Requests are routed by their URL, not by a Host header that names another
// host. The zero Router is ready to use and has no mounts. A Router is safe
// for concurrent use; lookups take no lock, and Mount may run while requests
// are being routed (they see the mounts from before or after it).
type Router struct {
	mu     sync.Mutex            // serializes writers
	routes atomic.Pointer[table] // never modified once stored
}

// table is a Router's mounts: all of them sorted by moreSpecific, and the
// same order split by host, so that a lookup tries the mounts of the
// request's host, then those of no host, whatever the number of mounts.
type table struct {
	all        []route
	byHost     map[string][]int // lower-case host → indexes into all, in order
	schemeOnly []int            // indexes into all of the prefixes without a host
}

func newTable(routes []route) *table {
	t := &table{all: routes, byHost: make(map[string][]int)}
	for i, x := range routes {
		if x.prefix.host == "" {
			t.schemeOnly = append(t.schemeOnly, i)
		} else {
			t.byHost[x.prefix.host] = append(t.byHost[x.prefix.host], i)
		}
	}
	return t
}

// route is one mount.
type route struct {
	prefix prefix
	rt     http.RoundTripper
}

var _ http.RoundTripper = (*Router)(nil)

// NewRouter returns a Router with no mounts.
func NewRouter() *Router {
	return &Router{}
}

// Mount sends requests whose URL falls under prefix through rt. Mounting a
// prefix that is already mounted replaces its transport; prefixes that differ
// only in the case of scheme or host, in an explicit default port, or in a
// path of "/" versus none are the same prefix. Mount reports an error, and
// changes nothing, for a prefix that is not scheme://[host[:port]][/path]
// (userinfo, a query or a fragment included) or for a nil rt.
func (r *Router) Mount(prefix string, rt http.RoundTripper) error {
	p, err := parsePrefix(prefix)
	if err != nil {
		return err
	}
	if rt == nil {
		return fmt.Errorf("transport: mount prefix %q: nil RoundTripper", redactPrefix(prefix))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.load()
	routes := make([]route, 0, len(old)+1)
	for _, x := range old {
		if x.prefix != p {
			routes = append(routes, x)
		}
	}
	routes = append(routes, route{prefix: p, rt: rt})
	slices.SortStableFunc(routes, func(a, b route) int { return moreSpecific(a.prefix, b.prefix) })
	r.routes.Store(newTable(routes))
	return nil
}

// load returns the current mounts, which the caller must not modify.
func (r *Router) load() []route {
	if t := r.routes.Load(); t != nil {
		return t.all
	}
	return nil
}

// Match returns the transport mounted under the longest prefix that matches
// u, and whether there is one. It does not allocate.
func (r *Router) Match(u *url.URL) (http.RoundTripper, bool) {
	if u == nil {
		return nil, false
	}
	if x := r.match(u); x != nil {
		return x.rt, true
	}
	return nil, false
}

// Prefix returns the prefix of the mount that Match picks for u, in
// canonical form without the scheme's default port
// ("https://api.example.com/v1"), and whether there is one.
func (r *Router) Prefix(u *url.URL) (string, bool) {
	if u == nil {
		return "", false
	}
	if x := r.match(u); x != nil {
		return x.prefix.short(), true
	}
	return "", false
}

// match returns the mount of the longest prefix that matches u, or nil.
func (r *Router) match(u *url.URL) *route {
	t := r.routes.Load()
	if t == nil {
		return nil
	}
	if len(t.byHost) > 0 { // else only scheme prefixes are mounted, as in a new Session
		host := u.Hostname()
		if hasUpper(host) {
			host = asciiLower(host) // allocates only for a host not in lower case
		}
		for _, i := range t.byHost[host] {
			if t.all[i].prefix.matches(u) {
				return &t.all[i]
			}
		}
	}
	for _, i := range t.schemeOnly {
		if t.all[i].prefix.matches(u) {
			return &t.all[i]
		}
	}
	return nil
}

// RoundTrip sends req through the transport [Router.Match] picks for its URL.
// If no prefix matches, RoundTrip closes the request body and returns an
// error wrapping [ErrNotMounted] that names the URL with any password
// redacted.
func (r *Router) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL == nil {
		closeRequestBody(req)
		return nil, errors.New("transport: request has no URL")
	}
	x := r.match(req.URL)
	if x == nil {
		closeRequestBody(req)
		u := *req.URL
		u.User = nil // no userinfo in errors, not even the user name (SECURITY.md)
		return nil, fmt.Errorf("%w for %s", ErrNotMounted, u.String())
	}
	if explain.On(req.Context()) {
		explain.Note(req.Context(), explain.Decision{Kind: explain.KindMount, Subject: x.prefix.short(),
			Action: explain.ActionChose, Reason: "the longest mounted prefix that matches"})
	}
	return x.rt.RoundTrip(req)
}

// CloseIdleConnections calls CloseIdleConnections once on every distinct
// mounted transport that has that method, so [http.Client.CloseIdleConnections]
// reaches them all. A transport mounted under several prefixes is closed once
// when its values compare equal (pointers, as transports usually are).
func (r *Router) CloseIdleConnections() {
	type closeIdler interface{ CloseIdleConnections() }
	var done []closeIdler
	for _, x := range r.load() {
		c, ok := x.rt.(closeIdler)
		if !ok {
			continue
		}
		// Comparing interface values panics when their dynamic type is not
		// comparable (a func, or a struct holding one); such a transport
		// cannot be recognised again, so it is closed each time it appears.
		if reflect.ValueOf(c).Comparable() {
			if slices.Contains(done, c) {
				continue
			}
			done = append(done, c)
		}
		c.CloseIdleConnections()
	}
}

// closeRequestBody closes req's body if it has one, as a RoundTripper must on
// every path, including the ones where it fails before sending.
func closeRequestBody(req *http.Request) {
	if req.Body != nil && req.Body != http.NoBody {
		_ = req.Body.Close()
	}
}

// hasUpper reports whether s has an ASCII capital letter.
func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}
