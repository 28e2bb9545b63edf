package charset

import "sync/atomic"

// lastContentType remembers the Content-Type value parsed last, and the
// encoding its charset parameter names: the responses of one API mostly
// carry the same value, and for them Determine then only checks that the
// body has no byte order mark (on loopback, where its code runs with cold
// caches, that is half a percent of a small GET). A different value costs
// one small allocation to remember it.
var lastContentType atomic.Pointer[parsedContentType]

// parsedContentType is what Determine needs of a Content-Type value. It
// is never modified once stored.
type parsedContentType struct {
	value, essence string
	hasCharset     bool
	declared       string // with hasCharset, the encoding its label names: headerEncoding's answer, "" for a label nobody knows
}

// parseContentTypeOnce is parseContentType with the label looked up,
// remembered for the last value.
func parseContentTypeOnce(v string) *parsedContentType {
	if p := lastContentType.Load(); p != nil && p.value == v {
		return p
	}
	essence, label, hasCharset := parseContentType(v)
	p := &parsedContentType{value: v, essence: essence, hasCharset: hasCharset}
	if hasCharset {
		p.declared = headerEncoding(label)
	}
	lastContentType.Store(p)
	return p
}
