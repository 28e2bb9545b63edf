package cookiejar

import (
	"cmp"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http/httpguts"

	"golang.org/x/net/idna"
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
	count   int    // number of entries in all submaps
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

// entry is a stored cookie.
type entry struct {
	Name       string
	Value      string
	Quoted     bool
	Domain     string // lower-case ASCII, no leading dot; the host for a host-only cookie
	Path       string
	SameSite   http.SameSite
	Secure     bool
	HttpOnly   bool
	Persistent bool
	HostOnly   bool
	Expires    time.Time // endOfTime for a session cookie
	Created    time.Time
	LastAccess time.Time

	seq    uint64 // creation order, for a deterministic Cookies order
	access uint64 // access order, for least-recently-used eviction
}

// endOfTime is when session cookies expire.
var endOfTime = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

// id identifies a cookie in the jar: RFC 6265 replaces a cookie with the same
// name, domain and path.
func (e *entry) id() string {
	return e.Domain + ";" + e.Path + ";" + e.Name
}

func (e *entry) expired(now time.Time) bool {
	return !e.Expires.After(now)
}

// shouldSend reports whether e goes with a request to host and path over a
// connection that is secure or not. The caller checks expiry.
func (e *entry) shouldSend(secure bool, host, path string) bool {
	return e.domainMatch(host) && pathMatch(e.Path, path) && (!e.Secure || secure)
}

func (e *entry) domainMatch(host string) bool {
	return e.Domain == host || (!e.HostOnly && hasDotSuffix(host, e.Domain))
}

// lessRecent orders entries by last access, oldest first.
func lessRecent(a, b *entry) int {
	if c := a.LastAccess.Compare(b.LastAccess); c != 0 {
		return c
	}
	return cmp.Compare(a.access, b.access)
}

// sendOrder is RFC 6265 §5.4 point 2: longer paths first, then earlier
// creation; then the order in which the cookies were set.
func sendOrder(a, b *entry) int {
	if c := cmp.Compare(len(b.Path), len(a.Path)); c != 0 {
		return c
	}
	if c := a.Created.Compare(b.Created); c != 0 {
		return c
	}
	return cmp.Compare(a.seq, b.seq)
}

// pathMatch implements "path-match" of RFC 6265 §5.1.4.
func pathMatch(cookiePath, requestPath string) bool {
	if requestPath == cookiePath {
		return true
	}
	if strings.HasPrefix(requestPath, cookiePath) {
		if cookiePath[len(cookiePath)-1] == '/' {
			return true // "/any/" matches "/any/path"
		}
		if requestPath[len(cookiePath)] == '/' {
			return true // "/any" matches "/any/path"
		}
	}
	return false
}

// hasDotSuffix reports whether s ends in "."+suffix.
func hasDotSuffix(s, suffix string) bool {
	return len(s) > len(suffix) && s[len(s)-len(suffix)-1] == '.' && s[len(s)-len(suffix):] == suffix
}

// Cookies implements [http.CookieJar]: it returns the cookies to send in a
// request to u, longer paths first, then older first. It returns nothing for
// a URL whose scheme is not http or https, and for a nil Jar. Each cookie
// returned has its LastAccess updated.
func (j *Jar) Cookies(u *url.URL) []*http.Cookie {
	return j.cookies(u, time.Now())
}

func (j *Jar) cookies(u *url.URL, now time.Time) []*http.Cookie {
	if j == nil {
		return nil
	}
	selected := j.selectFor(u, now, true)
	cookies := make([]*http.Cookie, 0, len(selected))
	for _, e := range selected {
		cookies = append(cookies, &http.Cookie{Name: e.Name, Value: e.Value, Quoted: e.Quoted})
	}
	return cookies
}

// selectFor returns copies of the entries that go with a request to u, in
// send order. touch updates their last access. Expired entries of u's domain
// are removed on the way.
func (j *Jar) selectFor(u *url.URL, now time.Time, touch bool) []entry {
	if u == nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil
	}
	host, err := canonicalHost(u.Hostname())
	if err != nil {
		return nil
	}
	key := j.jarKey(host)
	secure := isSecureOrigin(u.Scheme, host)
	path := u.Path
	if path == "" || path[0] != '/' {
		path = "/"
	}

	j.mu.Lock()
	defer j.mu.Unlock()
	var selected []*entry
	for id, e := range j.entries[key] {
		if e.expired(now) {
			j.remove(key, id)
			continue
		}
		if e.shouldSend(secure, host, path) {
			selected = append(selected, e)
		}
	}
	slices.SortFunc(selected, sendOrder)
	out := make([]entry, len(selected))
	for i, e := range selected {
		if touch {
			e.LastAccess = now
			e.access = j.tick
			j.tick++
		}
		out[i] = *e
	}
	return out
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
	key := j.jarKey(host)
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

// insert stores e under key, replacing the cookie with the same id. A
// replaced cookie keeps its creation time when keepCreated is set (RFC 6265
// §5.3 step 11.3). Locked.
func (j *Jar) insert(key string, e *entry, keepCreated bool) {
	sub := j.entries[key]
	if sub == nil {
		sub = make(map[string]*entry)
		j.entries[key] = sub
	}
	id := e.id()
	if old, ok := sub[id]; ok {
		if keepCreated {
			e.Created, e.seq = old.Created, old.seq
		} else {
			e.seq = j.seq
			j.seq++
		}
	} else {
		e.seq = j.seq
		j.seq++
		j.count++
	}
	e.access = j.tick
	j.tick++
	sub[id] = e
}

// remove deletes the cookie id under key, if there is one. Locked.
func (j *Jar) remove(key, id string) bool {
	sub := j.entries[key]
	if _, ok := sub[id]; !ok {
		return false
	}
	delete(sub, id)
	j.count--
	if len(sub) == 0 {
		delete(j.entries, key)
	}
	return true
}

// enforceLimits evicts cookies after insertions under keys: expired ones
// first, then the least recently used, of each domain and then of the jar.
// Callers insert a batch, then call it once, so that a batch of n cookies
// costs O(n log n), not O(n²). Locked.
func (j *Jar) enforceLimits(keys []string, now time.Time) {
	for _, key := range keys {
		if sub := j.entries[key]; len(sub) > MaxCookiesPerDomain {
			j.evict(map[string]map[string]*entry{key: sub}, len(sub)-MaxCookiesPerDomain, now)
		}
	}
	if j.count > MaxCookies {
		j.evict(j.entries, j.count-MaxCookies, now)
	}
}

// evict removes n cookies from the submaps of m (which may be j.entries):
// the expired ones, then the least recently used. Locked.
func (j *Jar) evict(m map[string]map[string]*entry, n int, now time.Time) {
	type ref struct {
		key string
		e   *entry
	}
	var live []ref
	for key, sub := range m {
		for id, e := range sub {
			if e.expired(now) {
				j.remove(key, id)
				n--
				continue
			}
			live = append(live, ref{key, e})
		}
	}
	if n <= 0 {
		return
	}
	slices.SortFunc(live, func(a, b ref) int { return lessRecent(a.e, b.e) })
	for _, r := range live[:min(n, len(live))] {
		j.remove(r.key, r.e.id())
	}
}

// shadowsSecure reports whether e, set from an insecure origin, would
// overwrite or shadow a Secure cookie: same name, domains that domain-match
// one way or the other, and e's path inside the secure cookie's path
// (RFC 6265bis §5.7, "leave secure cookies alone"). Locked.
func (j *Jar) shadowsSecure(key string, e *entry) bool {
	for _, old := range j.entries[key] {
		if old.Secure && old.Name == e.Name &&
			(old.Domain == e.Domain || hasDotSuffix(old.Domain, e.Domain) || hasDotSuffix(e.Domain, old.Domain)) &&
			pathMatch(old.Path, e.Path) {
			return true
		}
	}
	return false
}

var (
	errInvalidName   = errors.New("cookiejar: invalid cookie name")
	errInvalidValue  = errors.New("cookiejar: invalid cookie value")
	errInvalidPath   = errors.New("cookiejar: invalid cookie path")
	errTooLarge      = errors.New("cookiejar: cookie larger than 4096 bytes")
	errIllegalDomain = errors.New("cookiejar: illegal cookie domain attribute")
	errBadDomain     = errors.New("cookiejar: malformed cookie domain attribute")
	errInsecure      = errors.New("cookiejar: Secure cookie from an insecure origin")
	errPrefix        = errors.New("cookiejar: cookie name prefix requirements not met")
)

// newEntry turns c, received from host (whose request path has the default
// path defPath) over a secure connection or not, into an entry. remove
// reports a cookie that deletes the stored one with its id.
func (j *Jar) newEntry(c *http.Cookie, now time.Time, defPath, host string, secure bool) (e *entry, remove bool, err error) {
	if !validName(c.Name) {
		return nil, false, errInvalidName
	}
	if !validValue(c.Value) {
		return nil, false, errInvalidValue
	}
	if cookieSize(c) > MaxCookieSize {
		return nil, false, errTooLarge
	}
	e = &entry{
		Name:     c.Name,
		Value:    c.Value,
		Quoted:   c.Quoted,
		Secure:   c.Secure,
		HttpOnly: c.HttpOnly,
		SameSite: c.SameSite,
		Path:     c.Path,
	}
	if e.Path == "" || e.Path[0] != '/' {
		e.Path = defPath
	}
	if !validPath(e.Path) {
		return nil, false, errInvalidPath
	}
	e.Domain, e.HostOnly, err = j.domainAndType(host, c.Domain)
	if err != nil {
		return nil, false, err
	}
	if e.Secure && !secure {
		return nil, false, errInsecure
	}
	if !prefixOK(e.Name, e.Secure, secure, c.Domain == "", c.Path) {
		return nil, false, errPrefix
	}

	limit := now.Add(MaxLifetime)
	switch {
	case c.MaxAge < 0:
		return e, true, nil
	case c.MaxAge > 0:
		e.Persistent = true
		e.Expires = limit
		if d := time.Duration(c.MaxAge) * time.Second; d/time.Second == time.Duration(c.MaxAge) && d < MaxLifetime {
			e.Expires = now.Add(d)
		}
	case c.Expires.IsZero():
		e.Expires = endOfTime
	case !c.Expires.After(now):
		return e, true, nil
	default:
		e.Persistent = true
		e.Expires = c.Expires.UTC()
		if e.Expires.After(limit) {
			e.Expires = limit
		}
	}
	e.Created, e.LastAccess = now, now
	return e, false, nil
}

// prefixOK checks the cookie name prefixes of RFC 6265bis §4.1.3, matched
// case-insensitively as current browsers do: a __Secure- cookie must be
// Secure and set from a secure origin; a __Host- cookie must also be
// host-only (no Domain attribute) with a Path attribute of exactly "/".
func prefixOK(name string, secureFlag, secureOrigin, noDomain bool, pathAttr string) bool {
	switch {
	case hasPrefixFold(name, "__Secure-"):
		return secureFlag && secureOrigin
	case hasPrefixFold(name, "__Host-"):
		return secureFlag && secureOrigin && noDomain && pathAttr == "/"
	}
	return true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// cookieSize is the size MaxCookieSize limits.
func cookieSize(c *http.Cookie) int {
	return max(len(c.Raw), len(c.Name)+len(c.Value)+len(c.Domain)+len(c.Path))
}

// domainAndType determines the domain of a cookie set by host with the
// Domain attribute domain, and whether it is host-only (RFC 6265 §5.2.3,
// §5.3 steps 4-6).
func (j *Jar) domainAndType(host, domain string) (string, bool, error) {
	if domain == "" {
		return host, true, nil
	}
	if isIP(host) {
		// An IP address has no subdomains: Domain may only repeat it, and the
		// cookie is host-only, as browsers and curl treat it.
		if host != domain {
			return "", false, errIllegalDomain
		}
		return host, true, nil
	}
	domain = strings.TrimPrefix(domain, ".")
	if domain == "" || domain[0] == '.' || domain[len(domain)-1] == '.' {
		return "", false, errBadDomain
	}
	for i := 0; i < len(domain); i++ {
		if domain[i] >= 0x80 {
			return "", false, errBadDomain // a U-label, not Punycode
		}
	}
	domain = strings.ToLower(domain)
	if ps := j.psl.PublicSuffix(domain); ps != "" && !hasDotSuffix(domain, ps) {
		if host == domain {
			return host, true, nil // the one host-only cookie with a Domain attribute
		}
		return "", false, errIllegalDomain
	}
	if host != domain && !hasDotSuffix(host, domain) {
		return "", false, errIllegalDomain
	}
	return domain, false, nil
}

// jarKey returns the registrable domain (eTLD+1) of host, the unit of the
// per-domain limit; host itself for an IP address or a public suffix.
func (j *Jar) jarKey(host string) string {
	if isIP(host) {
		return host
	}
	suffix := j.psl.PublicSuffix(host)
	if suffix == host {
		return host
	}
	i := len(host) - len(suffix)
	if i <= 0 || host[i-1] != '.' {
		return host // a broken list: keying by host is the safe choice
	}
	prevDot := strings.LastIndex(host[:i-1], ".")
	return host[prevDot+1:]
}

// canonicalHost lower-cases host (a URL's Hostname), drops a trailing dot
// and converts a U-label to Punycode.
func canonicalHost(host string) (string, error) {
	host = strings.TrimSuffix(host, ".")
	if host == "" {
		return "", errBadDomain
	}
	for i := 0; i < len(host); i++ {
		if host[i] >= 0x80 {
			a, err := idna.ToASCII(host)
			if err != nil {
				return "", err
			}
			host = a
			break
		}
	}
	return strings.ToLower(host), nil
}

// isIP reports whether host is an IP address. Anything with a colon or a
// percent sign is treated as one: no host name has them.
func isIP(host string) bool {
	return strings.ContainsAny(host, ":%") || net.ParseIP(host) != nil
}

// isSecureOrigin reports whether a request with scheme to host may set and
// receive Secure cookies: https, or localhost and loopback addresses, which
// browsers count as secure contexts.
func isSecureOrigin(scheme, host string) bool {
	if scheme == "https" {
		return true
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// defaultPath is the default-path of RFC 6265 §5.1.4.
func defaultPath(path string) string {
	if path == "" || path[0] != '/' {
		return "/"
	}
	i := strings.LastIndex(path, "/")
	if i == 0 {
		return "/"
	}
	return path[:i]
}

// validName reports whether name is a non-empty token (RFC 6265 §4.1.1).
func validName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if !httpguts.IsTokenRune(rune(name[i])) {
			return false
		}
	}
	return true
}

// validValue reports whether every byte of v may appear in a cookie value
// as net/http sends it (printable ASCII but '"', ';' and '\').
func validValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if b := v[i]; b < 0x20 || b >= 0x7f || b == '"' || b == ';' || b == '\\' {
			return false
		}
	}
	return true
}

// validPath reports whether p is an absolute path without control bytes or
// semicolons.
func validPath(p string) bool {
	if p == "" || p[0] != '/' {
		return false
	}
	for i := 0; i < len(p); i++ {
		if b := p[i]; b < 0x20 || b >= 0x7f || b == ';' {
			return false
		}
	}
	return true
}
