// Package origin decides where credentials may go. An origin is scheme, host
// and port (RFC 6454); relay binds every credential to one and follows a
// request's redirect chain, through http.Request.Response, to know whether a
// hop is still on it.
package origin

import (
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Origin is a scheme, a lower-case host and an explicit port.
type Origin struct {
	Scheme string
	Host   string
	Port   string
}

// Of returns the origin of u, filling in the scheme's default port.
func Of(u *url.URL) Origin {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if port == "" {
		port = DefaultPort(scheme)
	}
	return Origin{Scheme: scheme, Host: host, Port: port}
}

// DefaultPort returns the port a scheme uses when a URL names none.
func DefaultPort(scheme string) string {
	switch scheme {
	case "http", "ws":
		return "80"
	case "https", "wss":
		return "443"
	}
	return ""
}

// String formats o as scheme://host:port.
func (o Origin) String() string {
	return o.Scheme + "://" + net.JoinHostPort(o.Host, o.Port)
}

// Keeps reports whether credentials given for from may be sent to to: the
// same origin, or the one upgrade Requests allows, http on port 80 to https
// on port 443 of the same host. A port change, another host (a subdomain
// included) and a downgrade to http do not keep them.
func Keeps(from, to Origin) bool {
	if from == to {
		return true
	}
	return from.Host == to.Host &&
		from.Scheme == "http" && from.Port == "80" &&
		to.Scheme == "https" && to.Port == "443"
}

// First returns the first request of req's redirect chain. Redirect followers
// (net/http's Client and relay's redirect middleware) set Request.Response on
// each hop to the response that caused it; First walks those links back.
func First(req *http.Request) *http.Request {
	for req.Response != nil && req.Response.Request != nil {
		req = req.Response.Request
	}
	return req
}

// StillOn reports whether every hop of req's redirect chain, req included,
// stayed where credentials given for the chain's first request may go. Once a
// chain has left its origin it is never back on it, even if a later hop
// returns there: nothing stripped is put back.
func StillOn(req *http.Request) bool {
	if req.Response == nil || req.Response.Request == nil {
		return true // the first request of its chain
	}
	first := Of(First(req).URL)
	for r := req; ; r = r.Response.Request {
		if !Keeps(first, Of(r.URL)) {
			return false
		}
		if r.Response == nil || r.Response.Request == nil {
			return true
		}
	}
}
