package linkheader

import (
	"net/url"
	"strings"

	"github.com/relayhttp/relay/internal/ascii"
)

// Link is one link of a Link header field.
//
// URL is the target URI as written between the angle brackets, with the
// surrounding whitespace removed; it may be relative (see ByRel). Rel is the
// value of the first rel parameter as given, which may hold several relation
// types separated by spaces ("prev first"), or "" when the link has none.
// Params holds the other parameters (target attributes such as title, type,
// anchor, hreflang) by lower-case name; a parameter given without a value maps
// to "", and a parameter whose name ends in "*" maps to its RFC 8187 value
// decoded to UTF-8. Params is nil when the link has no parameter besides rel.
type Link struct {
	URL    string
	Rel    string
	Params map[string]string
}

// HasRel reports whether rel is one of the link's relation types. The
// comparison ignores case, as RFC 8288 §2.1 requires for registered and
// extension relation types alike. HasRel("") is false.
func (l Link) HasRel(rel string) bool {
	if rel == "" {
		return false
	}
	for rest := l.Rel; rest != ""; {
		var r string
		r, rest = nextRel(rest)
		if strings.EqualFold(r, rel) {
			return true
		}
	}
	return false
}

// Param returns the target attribute called name (any case) and whether the
// link has it. When the link also has the RFC 8187 form of the attribute,
// name followed by "*", Param returns that decoded value instead, as RFC 8288
// §3.4.2 advises: Param("title") prefers title* to title. Param("rel")
// returns Rel.
func (l Link) Param(name string) (string, bool) {
	var buf [64]byte
	b := append(buf[:0], name...)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	if string(b) == "rel" {
		return l.Rel, l.Rel != ""
	}
	if len(b) > 0 && b[len(b)-1] != '*' {
		if v, ok := l.Params[string(append(b, '*'))]; ok {
			return v, true
		}
	}
	v, ok := l.Params[string(b)]
	return v, ok
}

// ByRel indexes links by relation type, much as Requests' Response.links
// does, so that ByRel(links, base)["next"].URL is the next page. Each
// relation type of each link is a key, lower-cased; when several links share
// a relation type the first one wins. A link without rel is left out.
//
// When base is not nil, a relative URL is resolved against it (RFC 3986 §5);
// pass the URL the response was finally fetched from, after redirects, as
// RFC 8288 §3.1 requires; the fragment of base is not used. Absolute URLs, URLs that do not parse, and all URLs
// when base is nil are returned as written. The Params maps of the returned
// links are those of links, not copies. The map is never nil.
func ByRel(links []Link, base *url.URL) map[string]Link {
	if base != nil && (base.Fragment != "" || base.RawFragment != "") {
		// RFC 3986 §5.2.2 never takes the fragment from the base; Go's
		// ResolveReference keeps it for an empty reference.
		b := *base
		b.Fragment, b.RawFragment = "", ""
		base = &b
	}
	m := make(map[string]Link, len(links))
	for _, l := range links {
		resolved := false
		for rest := l.Rel; rest != ""; {
			var r string
			r, rest = nextRel(rest)
			if r == "" {
				break
			}
			key := ascii.Lower(r) // relation types are ASCII (RFC 8288 §2.1); HasRel matches with EqualFold
			if _, dup := m[key]; dup {
				continue
			}
			if !resolved {
				l.URL = resolve(base, l.URL)
				resolved = true
			}
			m[key] = l
		}
	}
	return m
}

// resolve resolves ref against base; see ByRel.
func resolve(base *url.URL, ref string) string {
	if base == nil || hasScheme(ref) {
		return ref
	}
	u, err := url.Parse(ref)
	if err != nil || u.IsAbs() {
		return ref
	}
	return base.ResolveReference(u).String()
}

// hasScheme reports whether ref starts with a URI scheme and a colon
// (RFC 3986 §3.1), that is, whether it is an absolute URI.
func hasScheme(ref string) bool {
	for i := 0; i < len(ref); i++ {
		switch c := ref[i]; {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.':
			if i == 0 {
				return false
			}
		case c == ':':
			return i > 0
		default:
			return false
		}
	}
	return false
}

// nextRel returns the first relation type in s, which is a list of relation
// types separated by whitespace, and what follows it. It returns "" when s
// holds only whitespace.
func nextRel(s string) (rel, rest string) {
	i := 0
	for i < len(s) && isRelSpace(s[i]) {
		i++
	}
	j := i
	for j < len(s) && !isRelSpace(s[j]) {
		j++
	}
	return s[i:j], s[j:]
}

// isRelSpace reports whether c separates relation types. RFC 8288 asks for
// spaces; tabs and line breaks are accepted as well.
func isRelSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}
