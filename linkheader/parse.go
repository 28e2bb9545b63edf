package linkheader

import (
	"slices"
	"strings"

	"golang.org/x/net/http/httpguts"
)

// maxPrealloc bounds the capacity Parse reserves for its result before it
// has seen the links, so that a header of "<>" pairs that are not links costs
// no more than a few KiB.
const maxPrealloc = 256

// Parse parses the values of one or more Link header fields, such as
// resp.Header.Values("Link"), and returns their links in order. It returns
// nil when there is none.
//
// Parse never fails and never panics. Each field value is a comma-separated
// list of link-values (RFC 8288 §3):
//
//	<URI-Reference> *( OWS ";" OWS name [ BWS "=" BWS ( token / quoted-string ) ] )
//
// A URI may contain "," and ";"; a quoted-string may contain them too, and
// "\" escapes the character after it. A link-value that does not follow the
// grammar (no "<", no closing ">" or closing quote, an invalid parameter name,
// text after a quoted-string) is skipped as a whole, and parsing resumes at
// the next comma that is outside a <URI> and outside a quoted-string. Empty
// list elements and empty parameters (";;") are ignored. See the package
// documentation for how parameters are exposed.
//
// The strings in the result are slices of fieldValues except where unescaping
// or decoding made a copy necessary.
func Parse(fieldValues ...string) []Link {
	var p parser
	lt, gt := 0, 0
	for _, v := range fieldValues {
		lt += strings.Count(v, "<")
		gt += strings.Count(v, ">")
	}
	// Every link takes a '<' and a '>' of its own, so the result never
	// needs more room than this.
	p.maxLinks = min(lt, gt)
	var links []Link
	for _, v := range fieldValues {
		links = p.field(v, links)
	}
	return links
}

// parser holds the state of one Parse call.
type parser struct {
	s string // the field value being parsed
	i int    // position in s

	// noGT is set once a search for '>' reached the end of s: no '<' that
	// comes later can be closed either.
	noGT bool
	// noQuote is set once a quoted-string ran to the end of s unterminated.
	// A quoted-string opened after it cannot be closed either: every '"'
	// past the failed opening quote was escaped in that scan, so a later
	// scan starting just after one of them reads the same bytes in the same
	// state. Together with noGT, this keeps Parse linear.
	noQuote bool

	maxLinks int      // an upper bound on the number of links in the input
	failed   []string // extended parameters of the current link whose value did not decode
	// failedSet replaces failed once it holds maxFailedScan names, so that
	// a link with many such parameters is not rescanned for each one.
	failedSet map[string]struct{}

	// work counts the bytes examined, including look-ahead; the tests use
	// it to show that parsing is linear in the input.
	work int
}

// field parses the field value s and appends its links to links.
func (p *parser) field(s string, links []Link) []Link {
	p.s, p.i, p.noGT, p.noQuote = s, 0, false, false
	for {
		// Skip whitespace and empty list elements.
		start := p.i
		for p.i < len(s) && (s[p.i] == ' ' || s[p.i] == '\t' || s[p.i] == ',') {
			p.i++
		}
		p.work += p.i - start
		if p.i >= len(s) {
			return links
		}
		l, ok := p.link()
		if !ok {
			p.resync()
			continue
		}
		if len(links) == cap(links) {
			// Double, but never past the bound: append alone would grow
			// a large result by 1.25 at a time.
			n := min(max(2*cap(links), maxPrealloc), p.maxLinks)
			links = slices.Grow(links, max(n-len(links), 1))
		}
		links = append(links, l)
	}
}

// link parses one link-value starting at p.i. It stops before the comma that
// ends the link-value, or at the end of the input. When the link-value is
// malformed it returns false, with p.i at the position to resynchronize from.
func (p *parser) link() (Link, bool) {
	s := p.s
	if s[p.i] != '<' {
		return Link{}, false
	}
	start := p.i + 1
	end := p.indexGT(start)
	if end < 0 {
		p.i = start
		return Link{}, false
	}
	l := Link{URL: trimOWS(s[start:end])}
	p.i = end + 1
	relSeen := false
	p.failed, p.failedSet = p.failed[:0], nil
	for {
		p.skipOWS()
		if p.i >= len(s) || s[p.i] == ',' {
			return l, true
		}
		if s[p.i] != ';' {
			return Link{}, false
		}
		p.i++
		p.skipOWS()
		if p.i >= len(s) || s[p.i] == ';' || s[p.i] == ',' {
			continue // empty parameter
		}
		ns := p.i
		for p.i < len(s) && httpguts.IsTokenRune(rune(s[p.i])) {
			p.i++
		}
		p.work += p.i - ns
		if p.i == ns {
			return Link{}, false
		}
		name := s[ns:p.i]
		p.skipOWS()
		value, hasValue := "", false
		if p.i < len(s) && s[p.i] == '=' {
			p.i++
			p.skipOWS()
			hasValue = true
			if p.i < len(s) && s[p.i] == '"' {
				v, ok := p.quoted()
				if !ok {
					return Link{}, false
				}
				value = v
			} else {
				value = p.bare()
			}
		}
		p.param(&l, &relSeen, name, value, hasValue)
	}
}

// param records the parameter name=value in l, applying the rules given in
// the package documentation.
func (p *parser) param(l *Link, relSeen *bool, name, value string, hasValue bool) {
	name = lowerName(name)
	if name == "rel" {
		if !*relSeen {
			*relSeen = true
			l.Rel = value
		}
		return
	}
	if _, dup := l.Params[name]; dup {
		return
	}
	if name[len(name)-1] == '*' {
		if p.hasFailed(name) {
			return // the first occurrence did not decode; later ones are ignored
		}
		v, ok := "", false
		if hasValue {
			v, ok = decodeExtValue(value)
			p.work += len(value)
		}
		if !ok {
			p.addFailed(name)
			return
		}
		value = v
	}
	if l.Params == nil {
		l.Params = make(map[string]string, 4)
	}
	l.Params[name] = value
}

// maxFailedScan is how many failed names are searched linearly before
// they move to a map.
const maxFailedScan = 8

// hasFailed reports whether the extended parameter name of the current link
// already failed to decode.
func (p *parser) hasFailed(name string) bool {
	if p.failedSet != nil {
		p.work++
		_, ok := p.failedSet[name]
		return ok
	}
	p.work += len(p.failed)
	return slices.Contains(p.failed, name)
}

// addFailed records that the extended parameter name of the current link
// did not decode.
func (p *parser) addFailed(name string) {
	if p.failedSet == nil && len(p.failed) < maxFailedScan {
		p.failed = append(p.failed, name)
		return
	}
	if p.failedSet == nil {
		p.failedSet = make(map[string]struct{}, 2*maxFailedScan)
		for _, f := range p.failed {
			p.failedSet[f] = struct{}{}
		}
	}
	p.failedSet[name] = struct{}{}
}

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

// lowerName returns the token name in lower case, without allocating when it
// is lower case already or is one of the parameters RFC 8288 defines.
func lowerName(name string) string {
	upper := false
	for i := 0; i < len(name); i++ {
		if 'A' <= name[i] && name[i] <= 'Z' {
			upper = true
			break
		}
	}
	if !upper {
		return name
	}
	for _, known := range [...]string{"rel", "anchor", "title", "title*", "type", "hreflang", "media", "rev"} {
		if strings.EqualFold(name, known) {
			return known
		}
	}
	return strings.ToLower(name)
}
