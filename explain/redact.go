package explain

// Redacted replaces a secret value in a trail.
const Redacted = "[redacted]"

// alwaysSensitive are the header names whose values are credentials by
// definition (SECURITY.md's sensitive headers, and Set-Cookie).
var alwaysSensitive = [...]string{
	"authorization", "proxy-authorization", "cookie", "set-cookie",
	"www-authenticate", "proxy-authenticate",
}

// sensitiveWords are parts of a header or parameter name that say its
// value is a secret: X-Api-Key, access_token, client_secret, X-Auth-Token,
// sig (signed URLs)…
var sensitiveWords = [...]string{
	"auth", "token", "key", "secret", "passw", "pwd", "session", "cookie",
	"credential", "signature", "sig", "csrf", "xsrf", "jwt",
}

// Sensitive reports whether a header or parameter named name may carry a
// secret, so that a trail shows Redacted in place of its value: the
// credential headers (Authorization, Proxy-Authorization, Cookie,
// Set-Cookie, WWW-Authenticate, Proxy-Authenticate), and any name that
// contains, in any case, auth, token, key, secret, passw, pwd, session,
// cookie, credential, signature, sig, csrf, xsrf or jwt. It errs on the side
// of redacting.
func Sensitive(name string) bool {
	if name == "" {
		return false
	}
	for _, s := range alwaysSensitive {
		if len(name) == len(s) && containsFold(name, s) {
			return true
		}
	}
	for _, w := range sensitiveWords {
		if containsFold(name, w) {
			return true
		}
	}
	return false
}

// containsFold reports whether s contains the lower-case ASCII word w, in
// any case, without allocating.
func containsFold(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		j := 0
		for ; j < len(w); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != w[j] {
				break
			}
		}
		if j == len(w) {
			return true
		}
	}
	return false
}
