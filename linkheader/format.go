package linkheader

import (
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/http/httpguts"
)

// String returns the link serialized as one link-value of a Link header
// field, for example `<https://example.com/?page=2>; rel="next"`. Parse reads
// it back as the same link.
//
// The rel parameter comes first and the others follow in name order. Values
// are written as quoted-strings, a parameter whose value is "" as its bare
// name, and a parameter whose name ends in "*" as an RFC 8187 UTF-8 extended
// value (invalid UTF-8 in it is replaced with U+FFFD). A '>' in URL is
// written as %3E, which keeps the URI reference the same. Params entries named
// "rel", or whose names are not tokens, are left out, and names are written as
// they are: Parse would lower-case them.
func (l Link) String() string {
	var b strings.Builder
	l.writeTo(&b)
	return b.String()
}

// Format returns links serialized as one Link header field value, the links
// separated by ", " and each written as Link.String writes it. For links that
// Parse returned, Parse(Format(links)) returns links again.
func Format(links []Link) string {
	var b strings.Builder
	for i, l := range links {
		if i > 0 {
			b.WriteString(", ")
		}
		l.writeTo(&b)
	}
	return b.String()
}

func (l Link) writeTo(b *strings.Builder) {
	b.WriteByte('<')
	for i := 0; i < len(l.URL); i++ {
		if c := l.URL[i]; c == '>' {
			b.WriteString("%3E")
		} else {
			b.WriteByte(c)
		}
	}
	b.WriteByte('>')
	if l.Rel != "" {
		b.WriteString("; rel=")
		writeQuoted(b, l.Rel)
	}
	if len(l.Params) == 0 {
		return
	}
	names := make([]string, 0, len(l.Params))
	for name := range l.Params {
		if name != "rel" && httpguts.ValidHeaderFieldName(name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		v := l.Params[name]
		b.WriteString("; ")
		b.WriteString(name)
		switch {
		case name[len(name)-1] == '*':
			b.WriteString("=UTF-8''")
			writeExtValue(b, strings.ToValidUTF8(v, string(utf8.RuneError)))
		case v != "":
			b.WriteByte('=')
			writeQuoted(b, v)
		}
	}
}

// writeQuoted writes s as an RFC 9110 quoted-string.
func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
}

// writeExtValue writes the value-chars of an RFC 8187 extended value.
func writeExtValue(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAttrChar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xf])
	}
}
