package middleware

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// location resolves resp's Location against base, keeping base's fragment
// when the Location has none (RFC 9110 §10.2.2). The Location is requoted
// first, so the hop's request target is ASCII whatever bytes it came with.
func location(resp *http.Response, base *url.URL) (*url.URL, error) {
	values := resp.Header.Values("Location")
	for _, v := range values[1:] {
		if v != values[0] {
			return nil, fmt.Errorf("middleware: %d response with %d different Location values", resp.StatusCode, len(values))
		}
	}
	target, err := base.Parse(requoteLocation(values[0]))
	if err != nil {
		return nil, fmt.Errorf("middleware: invalid Location: %w", err)
	}
	if target.Scheme != "http" && target.Scheme != "https" {
		return nil, fmt.Errorf("middleware: redirect to a %q URL: only http and https are followed", target.Scheme)
	}
	if target.Host == "" {
		return nil, errors.New("middleware: redirect to a URL without a host")
	}
	target.User = nil // credentials in a Location are never used nor shown
	if target.Fragment == "" && target.RawFragment == "" {
		target.Fragment, target.RawFragment = base.Fragment, base.RawFragment
	}
	return target, nil
}

// requoteLocation percent-encodes, in the path, query and fragment of a URI
// reference, every byte RFC 3986 does not allow there: bytes from 0x80 (raw
// UTF-8, as some servers send it), space, " < > [ \ ] ^ ` { | }, a '#'
// after the first, and a '%' not followed by two hex digits. This is the
// set Requests encodes on the wire, so the request line is ASCII (RFC 9112
// §3.2) and means what the server meant.
//
// Valid %XX escapes are kept as they are: never encoded twice, decoded or
// re-cased, so %2F stays distinct from '/'. Control bytes are kept too, for
// url.Parse to reject: a Location with one is an error, not a new URL. The
// scheme and authority are left alone: a non-ASCII host is a name for IDNA,
// not an escape. loc itself is returned when nothing needs encoding.
func requoteLocation(loc string) string {
	start := pathStart(loc)
	var b []byte // nil until the first byte that needs encoding
	fragment := false
	for i := start; i < len(loc); i++ {
		c := loc[i]
		keep := false
		switch {
		case c == '#':
			keep, fragment = !fragment, true
		case c == '%':
			keep = i+2 < len(loc) && isHex(loc[i+1]) && isHex(loc[i+2])
		default:
			keep = c < ' ' || c == 0x7f || targetByte(c)
		}
		if keep {
			if b != nil {
				b = append(b, c)
			}
			continue
		}
		if b == nil {
			b = make([]byte, i, len(loc)+16)
			copy(b, loc)
		}
		const hex = "0123456789ABCDEF"
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	if b == nil {
		return loc
	}
	return string(b)
}

// pathStart returns where the path of the URI reference s begins: after
// "scheme:" and "//authority" when s has them (RFC 3986 §3, §4.2). The
// authority ends at the first '/', '?' or '#', as url.Parse reads it.
func pathStart(s string) int {
	i := 0
	for j := 0; j < len(s); j++ { // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
		c := s[j]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' ||
			j > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.') {
			continue
		}
		if c == ':' && j > 0 {
			i = j + 1
		}
		break
	}
	if !strings.HasPrefix(s[i:], "//") {
		return i
	}
	if end := strings.IndexAny(s[i+2:], "/?#"); end >= 0 {
		return i + 2 + end
	}
	return len(s)
}

// targetByte reports whether c may appear as itself in a path, query or
// fragment: unreserved, sub-delims, ':', '@', '/' and '?' (RFC 3986 §3.3,
// §3.4, §3.5). '%' and '#' are handled by the caller.
func targetByte(c byte) bool {
	if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@/?", c) >= 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
