package cache

import (
	"net/http"
	"strings"

	"golang.org/x/net/http/httpguts"

	"github.com/relayhttp/relay/internal/ascii"
)

// maxDelta is the largest delta-seconds value a cache must represent (RFC
// 9111 §1.2.2): larger ones, and overflows, count as this.
const maxDelta = 1 << 31

// seconds is a delta-seconds directive argument: set when the directive is
// present, bad when its argument is missing or not a number (RFC 9111
// §4.2.1: invalid freshness information makes a response stale), or when
// the directive was given twice with different values.
type seconds struct {
	n        int64
	set, bad bool
}

// value returns s's number of seconds, 0 when s is bad.
func (s seconds) value() int64 {
	if s.bad {
		return 0
	}
	return s.n
}

// directives are the Cache-Control directives of a request or a response
// (RFC 9111 §5.2), as far as a private cache uses them. Unknown directives
// are ignored (§5.2.3).
type directives struct {
	maxAge, sMaxAge, maxStale, minFresh seconds
	staleWhileRevalidate, staleIfError  seconds
	maxStaleAny                         bool // max-stale without a value: any staleness

	noCache        bool     // unqualified no-cache
	noCacheFields  []string // no-cache="A, B": canonical field names
	private        bool     // unqualified private
	privateFields  []string // private="A": a private cache may store it
	noStore        bool
	public         bool
	mustRevalidate bool
	mustUnderstand bool
	immutable      bool
	onlyIfCached   bool
	noTransform    bool
}

// parseCacheControl parses the Cache-Control field lines values. It never
// fails: a malformed member is skipped up to the next comma, and its time
// is linear in the input.
func parseCacheControl(values []string) directives {
	var d directives
	for _, v := range values {
		for p := 0; p < len(v); {
			name, arg, quoted, next := member(v, p)
			p = next
			if name == "" {
				continue
			}
			d.set(ascii.Lower(name), arg, quoted)
		}
	}
	return d
}

// set records one directive.
func (d *directives) set(name, arg string, quoted bool) {
	switch name {
	case "max-age":
		d.maxAge.take(arg)
	case "s-maxage":
		d.sMaxAge.take(arg)
	case "max-stale":
		if arg == "" && !quoted {
			d.maxStaleAny = true
			return
		}
		d.maxStale.take(arg)
	case "min-fresh":
		d.minFresh.take(arg)
	case "stale-while-revalidate":
		d.staleWhileRevalidate.take(arg)
	case "stale-if-error":
		d.staleIfError.take(arg)
	case "no-cache":
		if arg == "" {
			d.noCache = true
			return
		}
		d.noCacheFields = appendFields(d.noCacheFields, arg)
	case "private":
		if arg == "" {
			d.private = true
			return
		}
		d.privateFields = appendFields(d.privateFields, arg)
	case "no-store":
		d.noStore = true
	case "public":
		d.public = true
	case "must-revalidate":
		d.mustRevalidate = true
	case "must-understand":
		d.mustUnderstand = true
	case "immutable":
		d.immutable = true
	case "only-if-cached":
		d.onlyIfCached = true
	case "no-transform":
		d.noTransform = true
	}
}

// take records a delta-seconds argument.
func (s *seconds) take(arg string) {
	n, ok := parseDelta(arg)
	switch {
	case !ok:
		s.bad = true
	case s.set && s.n != n:
		s.bad = true // conflicting duplicates: treat as stale
	}
	s.n, s.set = n, true
}

// parseDelta parses 1*DIGIT, saturating at maxDelta.
func parseDelta(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if n < maxDelta {
			n = n*10 + int64(c-'0')
		}
	}
	return min(n, maxDelta), true
}

// appendFields appends the field names of a qualified directive's
// argument ("Set-Cookie, X-Foo"), canonicalised.
func appendFields(dst []string, arg string) []string {
	for f := range strings.SplitSeq(arg, ",") {
		if f = strings.TrimSpace(f); f != "" {
			dst = append(dst, http.CanonicalHeaderKey(f))
		}
	}
	return dst
}

// member reads the list member of v starting at p: a directive name, its
// argument (unquoted), and whether the argument was a quoted-string, and
// returns the position after the member's comma. A member that is not
// token [ "=" ( token / quoted-string ) ] gives an empty name.
func member(v string, p int) (name, arg string, quoted bool, next int) {
	for p < len(v) && (v[p] == ' ' || v[p] == '\t' || v[p] == ',') {
		p++
	}
	start := p
	for p < len(v) && httpguts.IsTokenRune(rune(v[p])) {
		p++
	}
	name = v[start:p]
	p = skipSpace(v, p)
	if p < len(v) && v[p] == '=' {
		p = skipSpace(v, p+1)
		if p < len(v) && v[p] == '"' {
			arg, p, quoted = quotedString(v, p)
		} else {
			s := p
			for p < len(v) && httpguts.IsTokenRune(rune(v[p])) {
				p++
			}
			arg = v[s:p]
		}
		p = skipSpace(v, p)
	}
	if p < len(v) && v[p] != ',' {
		name = "" // junk: skip the member
	}
	for p < len(v) && v[p] != ',' {
		p++
	}
	return name, arg, quoted, p
}

// quotedString reads the quoted-string at v[p] (which is '"') and returns
// its content with quoted-pairs undone, and the position after it. An
// unterminated string runs to the end of v.
func quotedString(v string, p int) (string, int, bool) {
	var b strings.Builder
	for p++; p < len(v); p++ {
		switch c := v[p]; c {
		case '"':
			return b.String(), p + 1, true
		case '\\':
			if p+1 < len(v) {
				p++
				b.WriteByte(v[p])
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), p, true
}

func skipSpace(v string, p int) int {
	for p < len(v) && (v[p] == ' ' || v[p] == '\t') {
		p++
	}
	return p
}
