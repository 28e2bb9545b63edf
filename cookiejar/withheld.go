package cookiejar

import (
	"net/url"
	"slices"
	"strings"
	"time"
)

// Withheld is a cookie of the jar that a request does not get, and why.
type Withheld struct {
	Name   string
	Domain string
	Path   string
	Reason string // "Secure cookie over http", "host-only cookie of a.example.com", "path /admin", "expired"
}

// Withheld returns the cookies of u's site (its registrable domain) that
// Cookies(u) does not return, each with the reason, in the jar's listing
// order; values are left out. It is what a decision trail shows about
// cookies not sent, and costs a pass over that site's cookies, so relay
// calls it only for a request that is explained. SameSite is not among
// the reasons: a client has no site the request comes from, so the jar
// does not apply it. A nil Jar withholds nothing.
func (j *Jar) Withheld(u *url.URL) []Withheld {
	return j.withheld(u, time.Now())
}

func (j *Jar) withheld(u *url.URL, now time.Time) []Withheld {
	if j == nil || u == nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil
	}
	host, err := canonicalHost(u.Hostname())
	if err != nil {
		return nil
	}
	secure := isSecureOrigin(u.Scheme, host)
	path := u.Path
	if path == "" || path[0] != '/' {
		path = "/"
	}
	j.mu.Lock()
	var held []*entry
	var reasons []string
	for _, e := range j.entries[j.jarKey(host)] {
		var why string
		switch {
		case e.expired(now):
			why = "expired " + e.Expires.UTC().Format(time.RFC1123)
		case !e.domainMatch(host) && e.HostOnly:
			why = "host-only cookie of " + e.Domain + ", not " + host
		case !e.domainMatch(host):
			why = "domain " + e.Domain + " does not match " + host
		case !pathMatch(e.Path, path):
			why = "path " + e.Path + " does not match " + path
		case e.Secure && !secure:
			why = "Secure cookie over " + u.Scheme
		default:
			continue
		}
		held = append(held, e)
		reasons = append(reasons, why)
	}
	out := make([]Withheld, len(held))
	for i, e := range held {
		out[i] = Withheld{Name: e.Name, Domain: e.Domain, Path: e.Path, Reason: reasons[i]}
	}
	j.mu.Unlock()
	slices.SortFunc(out, func(a, b Withheld) int {
		if c := strings.Compare(a.Domain, b.Domain); c != 0 {
			return c
		}
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}
