package record

import (
	"strings"
	"unicode"
)

// secretWords are words that make a name look secret when the name has
// one of them as a whole word: "key" in api_key or X-Api-Key, not in
// "monkey" or "keyword".
var secretWords = map[string]bool{
	"key": true, "keys": true, "sig": true, "auth": true, "session": true, "sid": true,
	"pwd": true, "pass": true, "otp": true, "jwt": true, "bearer": true, "csrf": true, "xsrf": true,
}

// secretParts make a name look secret wherever they occur in one of its
// words: "accesstoken", "client_secret", "X-Amz-Signature", "passwd".
var secretParts = []string{
	"token", "secret", "passw", "apikey", "credential", "signature",
	"authorization", "sessionid", "sessid", "privatekey", "cookie",
}

// LooksSecret reports whether a query parameter, JSON or form field or
// header named name should be redacted: its words (split at punctuation
// and at lower-to-upper case changes) include key, sig, auth, session,
// sid, pwd, pass, otp, jwt, bearer, csrf or xsrf, or contain token,
// secret, passw, apikey, credential, signature, authorization, sessionid,
// privatekey or cookie. So api_key, apiKey, X-Api-Key, access_token,
// client_secret, password, passwd, X-Amz-Signature, sig, auth_code,
// PHPSESSID and session_id look secret; keyword, author, monkey and
// signup do not. The Access-Control-* response headers never do.
func LooksSecret(name string) bool {
	if len(name) > 15 && strings.EqualFold(name[:15], "access-control-") {
		return false
	}
	found := false
	eachWord(name, func(w string) bool {
		if secretWords[w] {
			found = true
			return false
		}
		for _, p := range secretParts {
			if strings.Contains(w, p) {
				found = true
				return false
			}
		}
		return true
	})
	return found
}

// eachWord calls f with each word of name, lower-cased, until f returns
// false. Words are separated by anything that is not a letter or a digit,
// and by case changes: "apiKey" and "APIKey" are "api", "key".
func eachWord(name string, f func(string) bool) {
	var b strings.Builder
	rs := []rune(name)
	flush := func() bool {
		if b.Len() == 0 {
			return true
		}
		w := b.String()
		b.Reset()
		return f(w)
	}
	for i, c := range rs {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			if !flush() {
				return
			}
			continue
		}
		if unicode.IsUpper(c) && i > 0 {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				if !flush() {
					return
				}
			}
		}
		b.WriteRune(unicode.ToLower(c))
	}
	flush()
}
