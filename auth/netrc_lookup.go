package auth

import (
	"net/http"
	"strings"

	"github.com/relayhttp/relay/internal/origin"
)

// Lookup returns the entry for host: the first machine entry whose name
// equals host (ASCII case-insensitively), else the default entry. host is a
// host name or IP address without a port, as url.URL.Hostname returns it:
// like curl and Requests, relay does not match ports, so an entry applies to
// every port and scheme of its host, and "machine host:8080" matches nothing.
func (f *NetrcFile) Lookup(host string) (NetrcEntry, bool) {
	if e := f.machine(host); e != nil {
		return *e, true
	}
	if f != nil && f.def != nil {
		return *f.def, true
	}
	return NetrcEntry{}, false
}

func (f *NetrcFile) machine(host string) *NetrcEntry {
	if f == nil {
		return nil
	}
	for i := range f.machines {
		if strings.EqualFold(f.machines[i].Machine, host) {
			return &f.machines[i]
		}
	}
	return nil
}

// forHop returns the entry whose credentials go on req, a hop of a redirect
// chain, or nil: the entry for the hop's host unless the chain has been on
// the hop's origin before and left it; the default entry only while the chain
// is on its first origin; nothing for an entry with neither login nor
// password.
func (f *NetrcFile) forHop(req *http.Request) *NetrcEntry {
	if f == nil {
		return nil
	}
	e := f.machine(req.URL.Hostname())
	if e == nil {
		if f.def == nil || !origin.StillOn(req) {
			return nil
		}
		e = f.def
	}
	if e.Login == "" && e.Password == "" || returned(req) {
		return nil
	}
	return e
}

// returned reports whether req's chain was on req's host at some earlier
// hop, then left it, or was on https and has been downgraded to http (where
// the entry would cross the network in clear text). Netrc entries belong to
// hosts, whatever the scheme and port, so a return on another port or scheme
// is a return too.
func returned(req *http.Request) bool {
	here := origin.Of(req.URL).Host
	plain := strings.EqualFold(req.URL.Scheme, "http")
	left := false
	for r := req; r.Response != nil && r.Response.Request != nil; {
		r = r.Response.Request
		if plain && strings.EqualFold(r.URL.Scheme, "https") {
			return true
		}
		if origin.Of(r.URL).Host == here {
			if left {
				return true
			}
		} else {
			left = true
		}
	}
	return false
}
