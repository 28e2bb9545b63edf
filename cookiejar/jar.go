package cookiejar

import (
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/publicsuffix"
)

// Limits of relay's security policy (SECURITY.md, "Bounded parsing"), the
// minimums of RFC 6265 §6.1 as browsers apply them.
const (
	// MaxCookieSize is the largest cookie the jar keeps, in bytes: the length
	// of its Set-Cookie value as received (name, value and attributes,
	// http.Cookie.Raw), or for a cookie built in code or read from a file, the
	// sum of the lengths of its name, value, domain and path. A larger cookie
	// is ignored.
	MaxCookieSize = 4096
	// MaxCookiesPerDomain is how many cookies the jar keeps for one
	// registrable domain (eTLD+1, such as example.co.uk, with all its
	// subdomains; an IP address counts as its own domain). Past it the least
	// recently used cookie of that domain is evicted.
	MaxCookiesPerDomain = 50
	// MaxCookies is how many cookies the jar keeps in all. Past it the least
	// recently used cookie of the jar is evicted.
	MaxCookies = 3000
	// MaxLifetime caps how far in the future a cookie may expire, counted
	// from the moment it is set, as RFC 6265bis §5.6 asks (400 days).
	MaxLifetime = 400 * 24 * time.Hour
)

// PublicSuffixList provides the public suffix of a domain, as in
// net/http/cookiejar. For example:
//   - the public suffix of "example.com" is "com",
//   - the public suffix of "foo1.foo2.foo3.co.uk" is "co.uk", and
//   - the public suffix of "bar.pvt.k12.ma.us" is "pvt.k12.ma.us".
//
// Implementations must be safe for concurrent use by multiple goroutines.
// The jar passes lower-case ASCII (Punycode) names without leading or
// trailing dots, and never an IP address. golang.org/x/net/publicsuffix.List
// implements it and is the default.
type PublicSuffixList interface {
	// PublicSuffix returns the public suffix of domain.
	PublicSuffix(domain string) string
	// String describes the source of the list, such as its version.
	String() string
}

// Options are the options for creating a new Jar.
type Options struct {
	// PublicSuffixList decides which domains a server may set cookies for:
	// never a public suffix such as "com" or "github.io". Nil means
	// golang.org/x/net/publicsuffix.List. Unlike net/http/cookiejar, there
	// is no way to run without a list: a jar without one lets
	// foo.co.uk set cookies for every .co.uk site.
	PublicSuffixList PublicSuffixList
}

// Jar is an [http.CookieJar] that follows RFC 6265 (see the package doc for
// the exact rules) and can be listed, edited, saved and loaded. It is safe
// for concurrent use. The zero Jar is not usable: call [New].
type Jar struct {
	psl PublicSuffixList

	// wrapWriter, when set by a test, wraps the temporary file Save writes
	// to, so a test can make the write fail half-way.
	wrapWriter func(io.Writer) io.Writer

	mu sync.Mutex
	// entries holds the cookies keyed by registrable domain (jarKey), then
	// by id (domain, path, name).
	entries map[string]map[string]*entry
	count   atomic.Int64 // number of entries in all submaps; written under mu, read without it too
	// lastKey remembers the domain key of the host asked for last: a
	// session mostly talks to one host, and the public suffix lookup is
	// the largest part of a lookup.
	lastKey atomic.Pointer[hostKey]
	seq     uint64 // next creation sequence number
	tick    uint64 // next access sequence number
}

var _ http.CookieJar = (*Jar)(nil)

// New returns an empty jar. A nil o is the same as a zero Options. It
// returns no error today; the error is there so that options which can be
// wrong may be added.
func New(o *Options) (*Jar, error) {
	j := &Jar{entries: make(map[string]map[string]*entry)}
	if o != nil {
		j.psl = o.PublicSuffixList
	}
	if j.psl == nil {
		j.psl = publicsuffix.List
	}
	return j, nil
}

// Cookies implements [http.CookieJar]: it returns the cookies to send in a
// request to u, longer paths first, then older first. It returns nothing for
// a URL whose scheme is not http or https, and for a nil Jar. Each cookie
// returned has its LastAccess updated.
func (j *Jar) Cookies(u *url.URL) []*http.Cookie {
	if j == nil || j.count.Load() == 0 {
		return nil // an empty jar answers without the clock or its lock
	}
	return j.cookies(u, time.Now())
}

func (j *Jar) cookies(u *url.URL, now time.Time) []*http.Cookie {
	if j == nil {
		return nil
	}
	q, ok := lookupFor(u)
	if !ok {
		return nil
	}
	var buf [8]*entry
	j.mu.Lock()
	defer j.mu.Unlock()
	selected := j.selectLocked(q, now, true, buf[:0])
	if len(selected) == 0 {
		return nil
	}
	// One array holds every cookie: two allocations for any number.
	all := make([]http.Cookie, len(selected))
	cookies := make([]*http.Cookie, len(selected))
	for i, e := range selected {
		all[i] = http.Cookie{Name: e.Name, Value: e.Value, Quoted: e.Quoted}
		cookies[i] = &all[i]
	}
	return cookies
}

// selectFor returns copies of the entries that go with a request to u, in
// send order. touch updates their last access. Expired entries of u's domain
// are removed on the way.
func (j *Jar) selectFor(u *url.URL, now time.Time, touch bool) []entry {
	q, ok := lookupFor(u)
	if !ok {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	selected := j.selectLocked(q, now, touch, nil)
	out := make([]entry, len(selected))
	for i, e := range selected {
		out[i] = *e
	}
	return out
}

// lookup is a request URL as the jar matches cookies against it.
type lookup struct {
	host, path string
	secure     bool
}

// lookupFor returns the lookup of u, and false for a URL that cannot have
// cookies.
func lookupFor(u *url.URL) (lookup, bool) {
	if u == nil || (u.Scheme != "http" && u.Scheme != "https") {
		return lookup{}, false
	}
	host, err := canonicalHost(u.Hostname())
	if err != nil {
		return lookup{}, false
	}
	path := u.Path
	if path == "" || path[0] != '/' {
		path = "/"
	}
	return lookup{host: host, path: path, secure: isSecureOrigin(u.Scheme, host)}, true
}

// selectLocked appends to buf the entries that go with q, in send order,
// and returns it. touch updates their last access. Expired entries of q's
// domain are removed on the way. The caller holds j.mu.
func (j *Jar) selectLocked(q lookup, now time.Time, touch bool, buf []*entry) []*entry {
	key := j.keyFor(q.host)
	selected := buf
	for id, e := range j.entries[key] {
		if e.expired(now) {
			j.remove(key, id)
			continue
		}
		if e.shouldSend(q.secure, q.host, q.path) {
			selected = append(selected, e)
		}
	}
	slices.SortFunc(selected, sendOrder)
	if touch {
		for _, e := range selected {
			e.LastAccess = now
			e.access = j.tick
			j.tick++
		}
	}
	return selected
}

// SetCookies implements [http.CookieJar]: it stores the cookies a response
// from u set, following the rules in the package doc, and ignores those the
// rules reject. It does nothing for a URL whose scheme is not http or https,
// and for a nil Jar.
func (j *Jar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	j.setCookies(u, cookies, time.Now())
}

func (j *Jar) setCookies(u *url.URL, cookies []*http.Cookie, now time.Time) {
	if j == nil || len(cookies) == 0 || u == nil || (u.Scheme != "http" && u.Scheme != "https") {
		return
	}
	host, err := canonicalHost(u.Hostname())
	if err != nil {
		return
	}
	key := j.keyFor(host)
	secure := isSecureOrigin(u.Scheme, host)
	defPath := defaultPath(u.Path)

	j.mu.Lock()
	defer j.mu.Unlock()
	inserted := false
	for _, c := range cookies {
		if c == nil {
			continue
		}
		e, remove, err := j.newEntry(c, now, defPath, host, secure)
		if err != nil {
			continue
		}
		if !secure && j.shadowsSecure(key, e) {
			continue // RFC 6265bis §5.7: leave secure cookies alone
		}
		if remove {
			j.remove(key, e.id())
			continue
		}
		j.insert(key, e, true)
		inserted = true
	}
	if inserted {
		j.enforceLimits([]string{key}, now)
	}
}
