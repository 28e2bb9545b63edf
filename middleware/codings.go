package middleware

import (
	"fmt"
	"strings"
)

// coding is a content coding Decompress decodes.
type coding uint8

const (
	codingGzip coding = iota + 1
	codingDeflate
	codingBrotli
	codingZstd
)

func (c coding) String() string {
	switch c {
	case codingGzip:
		return "gzip"
	case codingDeflate:
		return "deflate"
	case codingBrotli:
		return "br"
	case codingZstd:
		return "zstd"
	}
	return fmt.Sprintf("coding(%d)", uint8(c))
}

// parseCodings reads Content-Encoding field values, each a comma-separated
// list of coding names (RFC 9110 §8.4 and §5.6.1: names are
// case-insensitive, empty list elements and whitespace around them are
// ignored). It returns the first max codings in the order they were
// applied, n, the number of codings listed (identity not counted), and
// known, false if a name is not one Decompress decodes (codings and n are
// then meaningless). It is linear in the input.
func parseCodings(values []string, max int) (codings []coding, n int, known bool) {
	for _, v := range values {
		for len(v) > 0 {
			elem := v
			if i := strings.IndexByte(v, ','); i >= 0 {
				elem, v = v[:i], v[i+1:]
			} else {
				v = ""
			}
			elem = strings.Trim(elem, " \t")
			var c coding
			switch {
			case elem == "", strings.EqualFold(elem, "identity"):
				continue
			case strings.EqualFold(elem, "gzip"), strings.EqualFold(elem, "x-gzip"):
				c = codingGzip
			case strings.EqualFold(elem, "deflate"):
				c = codingDeflate
			case strings.EqualFold(elem, "br"):
				c = codingBrotli
			case strings.EqualFold(elem, "zstd"):
				c = codingZstd
			default:
				return nil, 0, false
			}
			if n < max {
				codings = append(codings, c)
			}
			n++
		}
	}
	return codings, n, true
}

// isZlibHeader reports whether b starts with a zlib header (RFC 1950 §2.2):
// compression method 8 (deflate), a window of at most 32 KiB, and the check
// bits making CMF*256+FLG a multiple of 31. A raw deflate stream starts this
// way only by accident of its first block's bits, which no real encoder
// produces.
func isZlibHeader(b []byte) bool {
	return len(b) >= 2 && b[0]&0x0f == 8 && b[0]>>4 <= 7 && (uint16(b[0])<<8|uint16(b[1]))%31 == 0
}
