package charset

import "sync/atomic"

// lastContentType remembers the Content-Type value parsed last: the
// responses of one API mostly carry the same value, and parsing it is the
// larger part of Determine for them. A different value costs one small
// allocation to remember it.
var lastContentType atomic.Pointer[parsedContentType]

type parsedContentType struct {
	value, essence, charset string
	hasCharset              bool
}

// parseContentTypeOnce is parseContentType, remembered for the last value.
func parseContentTypeOnce(v string) (essence, charset string, hasCharset bool) {
	if p := lastContentType.Load(); p != nil && p.value == v {
		return p.essence, p.charset, p.hasCharset
	}
	essence, charset, hasCharset = parseContentType(v)
	lastContentType.Store(&parsedContentType{v, essence, charset, hasCharset})
	return essence, charset, hasCharset
}
