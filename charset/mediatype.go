package charset

import (
	"github.com/relayhttp/relay/internal/ascii"
	"golang.org/x/net/http/httpguts"
)

// This file extracts the media type essence and charset parameter from a
// Content-Type field value. It follows the Fetch "extract a MIME type"
// algorithm (https://fetch.spec.whatwg.org/#concept-header-extract-mime-type)
// over the MIME Sniffing "parse a MIME type" tokenizer
// (https://mimesniff.spec.whatwg.org/#parse-a-mime-type), which is the
// RFC 9110 §8.3 grammar with the error handling browsers agree on. Both run in
// one pass, linear in the input.

// parseContentType returns the lower-case essence ("type/subtype") of the
// media type a Content-Type value denotes and its charset parameter.
// Several values joined by commas are handled as Fetch does: the last valid
// media type wins and keeps the charset of an earlier value with the same
// essence. A value that does not parse gives "", "", false.
func parseContentType(v string) (essence, charset string, hasCharset bool) {
	start := 0
	inQuote := false
	for i := 0; i <= len(v); i++ {
		if i < len(v) {
			c := v[i]
			if inQuote {
				switch c {
				case '\\':
					i++
				case '"':
					inQuote = false
				}
				continue
			}
			if c == '"' {
				inQuote = true
				continue
			}
			if c != ',' {
				continue
			}
		}
		e, cs, ok, valid := parseMediaType(v[start:min(i, len(v))])
		start = i + 1
		if !valid || e == "*/*" {
			continue
		}
		if e != essence {
			charset, hasCharset = "", false
		}
		if ok {
			charset, hasCharset = cs, true
		}
		essence = e
	}
	return essence, charset, hasCharset
}

// A mediaClass tells which declarations inside a body its media type lets
// the prescan honour.
type mediaClass int

const (
	otherMedia   mediaClass = iota // no in-body declaration
	htmlMedia                      // <meta>, and an XML declaration at the start
	xmlMedia                       // the XML declaration only
	unknownMedia                   // no usable Content-Type: as HTML
)

// mediaKind classifies a media type essence by the MIME Sniffing groups
// (https://mimesniff.spec.whatwg.org/#mime-type-groups): an HTML MIME type is
// text/html; an XML MIME type is text/xml, application/xml or any type whose
// subtype ends in "+xml". A missing essence is classed with HTML, as a
// browser would sniff a body that starts with markup: the prescan finds a
// declaration only in such a body.
func mediaKind(essence string) mediaClass {
	_, sub, _ := cutByte(essence, '/')
	switch {
	case essence == "":
		return unknownMedia
	case essence == "text/html":
		return htmlMedia
	case essence == "text/xml", essence == "application/xml", hasSuffix(sub, "+xml"):
		return xmlMedia
	}
	return otherMedia
}

func isHTTPWhitespace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

func trimHTTPWhitespace(s string) string {
	for s != "" && isHTTPWhitespace(s[0]) {
		s = s[1:]
	}
	for s != "" && isHTTPWhitespace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// parseMediaType parses one media type. It returns the lower-case essence,
// the first charset parameter (unquoted) and whether there was one, and
// whether the media type parsed at all.
func parseMediaType(s string) (essence, charset string, hasCharset, valid bool) {
	s = trimHTTPWhitespace(s)
	typ, rest, found := cutByte(s, '/')
	if !found || !httpguts.ValidHeaderFieldName(typ) {
		return "", "", false, false
	}
	sub := rest
	params := ""
	if i := indexByte(rest, ';'); i >= 0 {
		sub, params = rest[:i], rest[i:]
	}
	sub = trimHTTPWhitespace(sub)
	if !httpguts.ValidHeaderFieldName(sub) {
		return "", "", false, false
	}
	lt, ls := ascii.Lower(typ), ascii.Lower(sub)
	if lt == typ && ls == sub && len(rest) >= len(sub) && rest[:len(sub)] == sub {
		essence = s[:len(typ)+1+len(sub)] // already lower case and contiguous: no allocation
	} else {
		essence = lt + "/" + ls
	}

	p := 0
	for p < len(params) {
		p++ // the ';'
		for p < len(params) && isHTTPWhitespace(params[p]) {
			p++
		}
		nameStart := p
		for p < len(params) && params[p] != ';' && params[p] != '=' {
			p++
		}
		name := params[nameStart:p]
		if p >= len(params) {
			break
		}
		if params[p] == ';' {
			continue
		}
		p++ // the '='
		if p >= len(params) {
			break
		}
		var value string
		quoted := params[p] == '"'
		if quoted {
			value, p = quotedString(params, p)
			for p < len(params) && params[p] != ';' {
				p++
			}
		} else {
			valueStart := p
			for p < len(params) && params[p] != ';' {
				p++
			}
			value = trimHTTPWhitespace(params[valueStart:p])
			if value == "" {
				continue
			}
		}
		if !hasCharset && equalFoldASCII(name, "charset") && (quoted || httpguts.ValidHeaderFieldName(value)) {
			charset, hasCharset = value, true
		}
	}
	return essence, charset, hasCharset, true
}

// quotedString collects an HTTP quoted string starting at s[p] == '"' and
// returns its unescaped value and the position after it. An unterminated
// string runs to the end of s.
func quotedString(s string, p int) (string, int) {
	p++
	var b []byte
	start := p
	for p < len(s) {
		switch s[p] {
		case '"':
			if b == nil {
				return s[start:p], p + 1
			}
			return string(b), p + 1
		case '\\':
			if b == nil {
				b = append([]byte{}, s[start:p]...)
			}
			p++
			if p < len(s) {
				b = append(b, s[p])
			} else {
				b = append(b, '\\')
			}
		default:
			if b != nil {
				b = append(b, s[p])
			}
		}
		p++
	}
	if b == nil {
		return s[start:], p
	}
	return string(b), p
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
