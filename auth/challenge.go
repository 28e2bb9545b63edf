package auth

import (
	"strings"

	"golang.org/x/net/http/httpguts"
)

// challenge is one challenge of a WWW-Authenticate field (RFC 9110 §11.6.1):
// an auth-scheme followed by either a token68 or a list of auth-params.
type challenge struct {
	scheme  string  // lower-case
	token68 string  // the token68 form, if the challenge used it
	params  []param // auth-params in the order given; names lower-case
	bad     bool    // a repeated parameter name or an unterminated quoted-string
}

type param struct{ name, value string }

// get returns the value of the parameter called name (lower-case) and
// whether the challenge has it.
func (c *challenge) get(name string) (string, bool) {
	for _, p := range c.params {
		if p.name == name {
			return p.value, true
		}
	}
	return "", false
}

// parseChallenges parses WWW-Authenticate (or Proxy-Authenticate, or an
// Authorization field's credentials) field values into challenges, one field
// line after the other. It follows the RFC 9110 grammar:
//
//	WWW-Authenticate = [ challenge *( OWS "," OWS challenge ) ]
//	challenge   = auth-scheme [ 1*SP ( token68 / [ auth-param *( OWS "," OWS auth-param ) ] ) ]
//	auth-param  = token BWS "=" BWS ( token / quoted-string )
//	token68     = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
//
// The grammar is ambiguous at a comma: what follows is an auth-param when a
// token is followed by "=", and a new challenge otherwise. The parser looks
// one token ahead to decide, so it is linear in its input. It never fails:
// bytes that fit no production are skipped up to the next comma, and a
// challenge whose parameters repeat a name or leave a quoted-string open is
// kept but marked bad.
func parseChallenges(fields []string) []challenge {
	var out []challenge
	for _, f := range fields {
		out = parseChallengeField(out, f)
	}
	return out
}

func parseChallengeField(out []challenge, s string) []challenge {
	i := 0
	for {
		i = skipListSeparators(s, i)
		if i >= len(s) {
			return out
		}
		j := skipToken(s, i)
		if j == i { // not a scheme: skip the element
			i = skipElement(s, i+1)
			continue
		}
		c := challenge{scheme: strings.ToLower(s[i:j])}
		i = j
		if i < len(s) && s[i] == ' ' {
			for i < len(s) && s[i] == ' ' {
				i++
			}
			if end, ok := token68At(s, i); ok {
				c.token68 = s[i:end]
				i = end
			} else {
				i = parseParams(&c, s, i)
			}
		}
		out = append(out, c)
	}
}

// maxParamScan is how many parameter names parseParams checks for a repeat
// by scanning, before it keeps them in a map.
const maxParamScan = 16

// parseParams reads auth-params into c from s[i:] and returns where the next
// challenge starts (or len(s)).
func parseParams(c *challenge, s string, i int) int {
	var names map[string]bool // the parameter names, once there are many
	for {
		i = skipListSeparators(s, i)
		if i >= len(s) {
			return i
		}
		nameEnd := skipToken(s, i)
		k := skipOWS(s, nameEnd)
		if nameEnd == i || k >= len(s) || s[k] != '=' {
			if nameEnd == i { // neither a parameter nor a scheme
				i = skipElement(s, i+1)
				continue
			}
			return i // a token not followed by "=": the next challenge
		}
		name := strings.ToLower(s[i:nameEnd])
		k = skipOWS(s, k+1)
		var value string
		if k < len(s) && s[k] == '"' {
			v, end, ok := quotedString(s, k)
			if !ok {
				c.bad = true
			}
			value, k = v, end
		} else {
			end := skipToken(s, k)
			value, k = s[k:end], end
		}
		var dup bool
		if names != nil {
			dup = names[name]
		} else {
			_, dup = c.get(name)
		}
		if dup {
			c.bad = true
		} else {
			c.params = append(c.params, param{name, value})
			if names != nil {
				names[name] = true
			} else if len(c.params) > maxParamScan {
				// Checking each new name against all the others would
				// make a long list quadratic.
				names = make(map[string]bool, 2*len(c.params))
				for _, p := range c.params {
					names[p.name] = true
				}
			}
		}
		k = skipOWS(s, k)
		if k < len(s) && s[k] != ',' { // junk after a value
			k = skipElement(s, k)
		}
		i = k
	}
}

// token68At reports whether a token68 starts at s[i] and ends the challenge
// (it is followed only by OWS, then a comma or the end), and where it ends.
func token68At(s string, i int) (int, bool) {
	j := i
	for j < len(s) && isToken68(s[j]) {
		j++
	}
	if j == i {
		return i, false
	}
	for j < len(s) && s[j] == '=' {
		j++
	}
	k := skipOWS(s, j)
	if k < len(s) && s[k] != ',' {
		return i, false
	}
	// "realm=" alone is read as a token68, as the grammar requires: an
	// auth-param needs a value.
	return j, true
}

// quotedString decodes the quoted-string that starts at s[i] (a '"'). It
// returns the value, the index after the closing quote, and false if the
// string is not terminated (the value then runs to the end of s).
func quotedString(s string, i int) (string, int, bool) {
	i++ // opening quote
	start := i
	hasEscape := false
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '\\':
			hasEscape = true
			j++ // the escaped byte, a quote included
		case '"':
			if !hasEscape {
				return s[start:j], j + 1, true
			}
			return unescape(s[start:j]), j + 1, true
		}
	}
	if hasEscape {
		return unescape(s[start:]), len(s), false
	}
	return s[start:], len(s), false
}

// unescape removes the backslashes of quoted-pairs.
func unescape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// skipElement skips to the next comma outside a quoted-string, and past it.
func skipElement(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case ',':
			return i + 1
		case '"':
			_, i, _ = quotedString(s, i)
		default:
			i++
		}
	}
	return i
}

func skipListSeparators(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == ',') {
		i++
	}
	return i
}

func skipOWS(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

func skipToken(s string, i int) int {
	for i < len(s) && httpguts.IsTokenRune(rune(s[i])) {
		i++
	}
	return i
}

func isToken68(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~+/", c) >= 0
}

// appendQuoted appends s to b as an RFC 9110 quoted-string.
func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}
