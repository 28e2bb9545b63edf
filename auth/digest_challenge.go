package auth

import (
	"errors"
	"net/url"
	"strings"

	"github.com/relayhttp/relay/internal/origin"
)

// pickDigestChallenge returns the Digest challenge with the strongest
// algorithm this package can answer, the first one among equals, or nil.
func pickDigestChallenge(cs []challenge) *challenge {
	var best *challenge
	bestRank := 0
	for i := range cs {
		c := &cs[i]
		if c.scheme != "digest" || c.bad {
			continue
		}
		if n, _ := c.get("nonce"); n == "" {
			continue
		}
		algToken, _ := c.get("algorithm")
		alg, _ := digestAlgorithmOf(algToken)
		if alg == nil {
			continue
		}
		if q, ok := c.get("qop"); ok && pickQop(q) == "" {
			continue
		}
		if alg.rank > bestRank {
			best, bestRank = c, alg.rank
		}
	}
	return best
}

// pickQop chooses from a qop-options value: "auth" if offered, else
// "auth-int" if offered, else "".
func pickQop(options string) string {
	var authInt bool
	for o := range strings.SplitSeq(options, ",") {
		switch strings.ToLower(strings.TrimSpace(o)) {
		case "auth":
			return "auth"
		case "auth-int":
			authInt = true
		}
	}
	if authInt {
		return "auth-int"
	}
	return ""
}

var errDigestUsername = errors.New("digest: the user name has a control character and the server did not offer charset=UTF-8")

// newSpace builds the protection space of challenge c, received for a
// request to u.
func (d *digest) newSpace(u *url.URL, c *challenge) (*digestSpace, error) {
	realm, _ := c.get("realm")
	nonce, _ := c.get("nonce")
	algToken, _ := c.get("algorithm")
	alg, sess := digestAlgorithmOf(algToken)
	sp := &digestSpace{realm: realm, nonce: nonce, algToken: algToken, alg: alg, sess: sess}
	sp.opaque, sp.hasOpaque = c.get("opaque")
	if q, ok := c.get("qop"); ok {
		sp.qop = pickQop(q)
	}
	if v, _ := c.get("userhash"); strings.EqualFold(v, "true") {
		sp.userhash = true
	}
	charset, _ := c.get("charset")
	utf8 := strings.EqualFold(charset, "UTF-8")

	buf := make([]byte, 0, 64)
	buf = append(append(append(append(append(buf, d.user...), ':'), realm...), ':'), d.pass...)
	sp.ha1 = string(alg.sum(nil, buf))
	switch {
	case sp.userhash:
		// RFC 7616 §3.4.4: username = H(unq(username) ":" unq(realm)).
		buf = append(append(append(buf[:0], d.user...), ':'), realm...)
		sp.username = `username="` + string(alg.sum(nil, buf)) + `"`
	case plainUsername(d.user):
		sp.username = string(appendQuoted([]byte("username="), d.user))
	case utf8:
		sp.username = "username*=UTF-8''" + encodeRFC8187(d.user)
	case hasControl(d.user):
		return nil, errDigestUsername
	default: // non-ASCII without charset=UTF-8: raw UTF-8, as Requests and curl send it
		sp.username = string(appendQuoted([]byte("username="), d.user))
	}
	if domain, ok := c.get("domain"); ok {
		sp.paths = domainPaths(u, domain)
		if sp.paths != nil && matchLen(sp.paths, u.EscapedPath()) < 0 {
			// The challenged URI is in the space, whatever domain says.
			sp.paths = append(sp.paths, u.EscapedPath())
		}
	}
	return sp, nil
}

// domainPaths resolves a domain parameter (space-separated URIs) against the
// request URL u and keeps the paths of those on u's origin. None (or an
// empty parameter) means the whole origin, as RFC 7616 §3.3 says.
func domainPaths(u *url.URL, domain string) []string {
	o := origin.Of(u)
	var paths []string
	for f := range strings.FieldsSeq(domain) {
		ref, err := url.Parse(f)
		if err != nil {
			continue
		}
		abs := u.ResolveReference(ref)
		if origin.Of(abs) != o {
			continue
		}
		p := abs.EscapedPath()
		if p == "" {
			p = "/"
		}
		paths = append(paths, p)
	}
	return paths
}

func plainUsername(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return false
}

// encodeRFC8187 percent-encodes s as an RFC 8187 value-chars.
func encodeRFC8187(s string) string {
	const upper = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upper[c>>4])
		b.WriteByte(upper[c&0xf])
	}
	return b.String()
}
