package cookiejar

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"

	"github.com/relayhttp/relay/internal/origin"
)

// The Cookie header the middleware adds to a hop, written as
// http.Request.AddCookie writes each cookie, in one string.

// withCookies returns a clone of req whose Cookie header is req's (several
// joined into one) followed by add.
func withCookies(req *http.Request, add []*http.Cookie) *http.Request {
	own := req.Header.Values("Cookie")
	size := 0
	for _, v := range own {
		size += len(v) + len("; ")
	}
	for _, c := range add {
		size += pairSize(c.Name, c.Value)
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
		writeCookie(&b, c.Name, c.Value, c.Quoted)
	}
	return withCookieHeader(req, b.String())
}

// withCookieHeader returns a clone of req (its URL and header values its
// own: a caller may edit the response's Request in place) whose Cookie
// header is header.
func withCookieHeader(req *http.Request, header string) *http.Request {
	out := req.Clone(req.Context())
	out.Header["Cookie"] = []string{header}
	return out
}

// plainHop reports whether the Cookie header of req is the jar's cookies
// alone: req has none of its own and no per-request cookies, and its chain
// is still on its first origin. The middleware then has a *Jar write it
// (Jar.cookieHeader).
func plainHop(req *http.Request) bool {
	if _, ok := req.Header["Cookie"]; ok {
		return false
	}
	return req.Context().Value(cookiesKey{}) == nil && origin.StillOn(req)
}

// cookieHeader is the Cookie header of the cookies Cookies(u) returns, in
// their order, written from the jar's entries without copying them out.
func (j *Jar) cookieHeader(u *url.URL) string {
	if j == nil || j.count.Load() == 0 {
		return ""
	}
	q, ok := lookupFor(u)
	if !ok {
		return ""
	}
	var buf [8]*entry
	j.mu.Lock()
	defer j.mu.Unlock()
	selected := j.selectLocked(q, time.Now(), true, buf[:0])
	size := 0
	for _, e := range selected {
		size += pairSize(e.Name, e.Value)
	}
	var b strings.Builder
	b.Grow(size)
	for _, e := range selected {
		writeCookie(&b, e.Name, e.Value, e.Quoted)
	}
	return b.String()
}

// pairSize is room enough for a cookie's pair and the separator before it.
func pairSize(name, value string) int { return len(name) + len(value) + len(`; =""`) }

// writeCookie appends a cookie's pair to b, after "; " unless b is empty.
func writeCookie(b *strings.Builder, name, value string, quoted bool) {
	if b.Len() > 0 {
		b.WriteString("; ")
	}
	if !writePair(b, name, value, quoted) {
		b.WriteString(pairOf(name, value, quoted))
	}
}

// writePair writes "name=value", what http.Cookie's String writes for a
// cookie of that name, value and Quoted alone (and what AddCookie sends),
// and reports whether it did. A name that is not a token, or a value with
// a byte no cookie value may hold, is left to pairOf: net/http's own
// formatting replaces or drops such bytes, and logs the value it dropped
// them from.
func writePair(b *strings.Builder, name, value string, quoted bool) bool {
	if !httpguts.ValidHeaderFieldName(name) {
		return false
	}
	quote := quoted
	for i := 0; i < len(value); i++ {
		switch v := value[i]; {
		case v < 0x20 || v >= 0x7f || v == '"' || v == ';' || v == '\\': // RFC 6265 §4.1.1's cookie-octet, and space
			return false
		case v == ' ' || v == ',':
			quote = true
		}
	}
	b.WriteString(name)
	b.WriteByte('=')
	if quote {
		b.WriteByte('"')
	}
	b.WriteString(value)
	if quote {
		b.WriteByte('"')
	}
	return true
}

// pairOf is a cookie's "name=value" as net/http writes it: http.Cookie's
// String of the name, the value and Quoted alone, or, for a name String
// refuses, AddCookie's own formatting, kept exactly.
func pairOf(name, value string, quoted bool) string {
	c := http.Cookie{Name: name, Value: value, Quoted: quoted}
	if pair := c.String(); pair != "" {
		return pair
	}
	var scratch http.Request
	scratch.Header = http.Header{}
	scratch.AddCookie(&c)
	return scratch.Header.Get("Cookie")
}
