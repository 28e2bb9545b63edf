package charset

import "sync/atomic"

// lastContentType remembers the Content-Type value parsed last, and the
// encoding its charset parameter names: the responses of one API mostly
// carry the same value, and for them Determine then only checks that the
// body has no byte order mark (on loopback, where its code runs with cold
// caches, that is half a percent of a small GET). A different value costs
// one small allocation to remember it.
var lastContentType atomic.Pointer[parsedContentType]

type parsedContentType struct {
	value, essence, charset string
	hasCharset              bool
	declared                string // headerEncoding(charset) with hasCharset: the encoding the header names, or "" for a label nobody knows
}

// parseContentTypeOnce is parseContentType, remembered for the last value.
func parseContentTypeOnce(v string) (essence, charset string, hasCharset bool) {
	if p := lastContentType.Load(); p != nil && p.value == v {
		return p.essence, p.charset, p.hasCharset
	}
	essence, charset, hasCharset = parseContentType(v)
	p := &parsedContentType{value: v, essence: essence, charset: charset, hasCharset: hasCharset}
	if hasCharset {
		p.declared = headerEncoding(charset)
	}
	lastContentType.Store(p)
	return essence, charset, hasCharset
}

// declaredOnce returns the encoding the charset parameter of the
// Content-Type value v names, when v is the last value parsed and it has
// one that is known.
func declaredOnce(v string) (string, bool) {
	if p := lastContentType.Load(); p != nil && p.value == v && p.declared != "" {
		return p.declared, true
	}
	return "", false
}
