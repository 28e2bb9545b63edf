package auth

import "net/http"

// SetDigestCnonce replaces the cnonce source of a Digest authenticator.
func SetDigestCnonce(a Authenticator, f func() string) { a.(*digest).cnonce = f }

// Challenge is a parsed challenge, exported for tests.
type Challenge struct {
	Scheme  string
	Token68 string
	Params  [][2]string
	Bad     bool
}

// ParseChallenges exposes the WWW-Authenticate tokenizer to tests.
func ParseChallenges(fields ...string) []Challenge {
	var out []Challenge
	for _, c := range parseChallenges(fields) {
		x := Challenge{Scheme: c.scheme, Token68: c.token68, Bad: c.bad}
		for _, p := range c.params {
			x.Params = append(x.Params, [2]string{p.name, p.value})
		}
		out = append(out, x)
	}
	return out
}

// NetrcForHop exposes the per-hop netrc choice to tests.
func NetrcForHop(f *NetrcFile, req *http.Request) (NetrcEntry, bool) {
	e := f.forHop(req)
	if e == nil {
		return NetrcEntry{}, false
	}
	return *e, true
}
