package linkheader

import (
	"strings"
)

// resync moves p.i to the next comma that is outside a <URI> and outside a
// quoted-string, or to the end of the input. An unterminated '<' or '"' counts
// as an ordinary character.
func (p *parser) resync() {
	s, i, work := p.s, p.i, 0
	for i < len(s) {
		work++
		switch c := s[i]; {
		case c == ',':
			p.i, p.work = i, p.work+work
			return
		case c == '"' && !p.noQuote:
			if end, _ := p.quotedEnd(i); end >= 0 {
				i = end + 1
				continue
			}
		case c == '<' && !p.noGT:
			if end := p.indexGT(i + 1); end >= 0 {
				i = end + 1
				continue
			}
		}
		i++
	}
	p.i, p.work = i, p.work+work
}

// indexGT returns the position of the first '>' at or after from, or -1.
func (p *parser) indexGT(from int) int {
	if p.noGT {
		return -1
	}
	k := strings.IndexByte(p.s[from:], '>')
	if k < 0 {
		p.work += len(p.s) - from
		p.noGT = true
		return -1
	}
	p.work += k + 1
	return from + k
}

// quotedEnd returns the position of the quote that closes the quoted-string
// opening at open, or -1, and whether the string holds a quoted-pair.
func (p *parser) quotedEnd(open int) (end int, escaped bool) {
	if p.noQuote {
		return -1, false
	}
	s := p.s
	rest := s[open+1:]
	k := strings.IndexByte(rest, '"')
	if k < 0 {
		p.work += len(rest)
		p.noQuote = true
		return -1, false
	}
	if strings.IndexByte(rest[:k], '\\') < 0 {
		p.work += 2 * (k + 1)
		return open + 1 + k, false
	}
	for j := open + 1; j < len(s); j++ {
		p.work++
		switch s[j] {
		case '\\':
			j++
			escaped = true
		case '"':
			return j, escaped
		}
	}
	p.noQuote = true
	return -1, false
}

// quoted reads the quoted-string that opens at p.i and returns its value with
// quoted-pairs unescaped. When the string is not terminated it returns false
// with p.i just after the opening quote.
func (p *parser) quoted() (string, bool) {
	open := p.i
	end, escaped := p.quotedEnd(open)
	if end < 0 {
		p.i = open + 1
		return "", false
	}
	p.i = end + 1
	v := p.s[open+1 : end]
	if !escaped {
		return v, true
	}
	p.work += len(v)
	var b strings.Builder
	b.Grow(len(v))
	for j := 0; j < len(v); j++ {
		if v[j] == '\\' {
			j++ // quotedEnd guarantees a character follows
		}
		b.WriteByte(v[j])
	}
	return b.String(), true
}

// bare reads a parameter value that is not a quoted-string: everything up to
// the next ';' or ',' or the end of the input, as in RFC 8288 Appendix B.4,
// without its trailing whitespace. A token is the well-formed case.
func (p *parser) bare() string {
	s := p.s
	start := p.i
	for p.i < len(s) && s[p.i] != ';' && s[p.i] != ',' {
		p.i++
	}
	p.work += p.i - start
	return trimOWS(s[start:p.i])
}

// skipOWS skips optional whitespace (RFC 9110 §5.6.3).
func (p *parser) skipOWS() {
	start := p.i
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
	p.work += p.i - start
}

// trimOWS removes leading and trailing spaces and tabs.
func trimOWS(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}
