package client

import (
	"fmt"
	"net/http"

	"golang.org/x/net/http/httpguts"
)

// validate rejects, before anything is dialled, what would let a caller's
// input split or smuggle a request: CR, LF or NUL in the method, the URL,
// a header name or a header value, and header names that are not tokens.
// Values in errors are quoted with %q so they cannot inject lines either.
func validate(req *http.Request) error {
	if !httpguts.ValidHeaderFieldName(req.Method) { // a method is a token, as a header name is
		return fmt.Errorf("client: invalid method %q", req.Method)
	}
	u := req.URL
	if hasCTL(u.Host) || hasCTL(u.RawQuery) || hasCTL(u.Opaque) || hasCTL(u.RawPath) || hasCTL(req.Host) {
		return fmt.Errorf("client: invalid URL %q: control character", withoutUserinfo(req.URL))
	}
	for name, values := range req.Header {
		if !httpguts.ValidHeaderFieldName(name) {
			return fmt.Errorf("client: invalid header name %q", name)
		}
		for _, v := range values {
			if !httpguts.ValidHeaderFieldValue(v) {
				return fmt.Errorf("client: invalid value for header %q: it contains a control character (CR, LF or NUL)", name)
			}
		}
	}
	return nil
}

// hasCTL reports whether s holds CR, LF or NUL. (Path is sent escaped, so
// only the parts written raw on the request line and in Host are checked.)
func hasCTL(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\r' || c == '\n' || c == 0 {
			return true
		}
	}
	return false
}
