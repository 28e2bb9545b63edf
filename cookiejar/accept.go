package cookiejar

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"
)

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
