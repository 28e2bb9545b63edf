package cookiejar

import (
	"net/http"
	"strings"

	"golang.org/x/net/http/httpguts"
)

// withCookies returns a clone of req (its URL and header values its own: a
// caller may edit the response's Request in place) whose Cookie header is
// req's (several joined into one) followed by add, each written as
// http.Request.AddCookie writes it, in one string.
func withCookies(req *http.Request, add []*http.Cookie) *http.Request {
	out := req.Clone(req.Context())
	own := req.Header.Values("Cookie")
	size := 0
	for _, v := range own {
		size += len(v) + len("; ")
	}
	for _, c := range add {
		size += len(c.Name) + len(c.Value) + len(`=""; `)
	}
	var b strings.Builder
	b.Grow(size)
	for _, v := range own {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(v)
	}
	for _, c := range add {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		if !writePair(&b, c) {
			b.WriteString(pairOf(c))
		}
	}
	out.Header["Cookie"] = []string{b.String()}
	return out
}

// writePair writes c as "name=value", what http.Cookie's String writes for
// a cookie of c's name, value and Quoted alone (and what AddCookie sends),
// and reports whether it did. A name that is not a token, or a value with
// a byte no cookie value may hold, is left to pairOf: net/http's own
// formatting replaces or drops such bytes, and logs the value it dropped
// them from.
func writePair(b *strings.Builder, c *http.Cookie) bool {
	if !httpguts.ValidHeaderFieldName(c.Name) {
		return false
	}
	quote := c.Quoted
	for i := 0; i < len(c.Value); i++ {
		switch v := c.Value[i]; {
		case v < 0x20 || v >= 0x7f || v == '"' || v == ';' || v == '\\': // RFC 6265 §4.1.1's cookie-octet, and space
			return false
		case v == ' ' || v == ',':
			quote = true
		}
	}
	b.WriteString(c.Name)
	b.WriteByte('=')
	if quote {
		b.WriteByte('"')
	}
	b.WriteString(c.Value)
	if quote {
		b.WriteByte('"')
	}
	return true
}

// pairOf is c's "name=value" as net/http writes it: http.Cookie's String
// of the name, the value and Quoted alone, or, for a name String refuses,
// AddCookie's own formatting, kept exactly.
func pairOf(c *http.Cookie) string {
	bare := http.Cookie{Name: c.Name, Value: c.Value, Quoted: c.Quoted}
	if pair := bare.String(); pair != "" {
		return pair
	}
	var scratch http.Request
	scratch.Header = http.Header{}
	scratch.AddCookie(c)
	return scratch.Header.Get("Cookie")
}
