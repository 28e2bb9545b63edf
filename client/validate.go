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
	if err := validateLine(req); err != nil {
		return err
	}
	return validateHeaders(req.Header)
}

// validateLine checks the method, the URL and the Host: what goes on the
// request line and in Host.
func validateLine(req *http.Request) error {
	if !httpguts.ValidHeaderFieldName(req.Method) { // a method is a token, as a header name is
		return fmt.Errorf("client: invalid method %q", req.Method)
	}
	u := req.URL
	if hasCTL(u.Host) || hasCTL(u.RawQuery) || hasCTL(u.Opaque) || hasCTL(u.RawPath) || hasCTL(req.Host) {
		return fmt.Errorf("client: invalid URL %q: control character", withoutUserinfo(req.URL))
	}
	return nil
}

func validateHeaders(h http.Header) error {
	for name, values := range h {
		if err := validateHeader(name, values); err != nil {
			return err
		}
	}
	return nil
}

// validateHeader checks one header's name and values. It is also the check
// the session's default headers get as they are merged into a request.
func validateHeader(name string, values []string) error {
	if !httpguts.ValidHeaderFieldName(name) {
		return fmt.Errorf("client: invalid header name %q", name)
	}
	for _, v := range values {
		if !httpguts.ValidHeaderFieldValue(v) {
			return fmt.Errorf("client: invalid value for header %q: it contains a control character (CR, LF or NUL)", name)
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
