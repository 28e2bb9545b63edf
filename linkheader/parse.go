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
