package middleware

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

func validPort(p string) bool {
	if p == "" || len(p) > 5 {
		return false
	}
	n := 0
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
		n = n*10 + int(p[i]-'0')
	}
	return n <= 65535
}

// ParseProxyURL parses a proxy URL the way relay accepts them everywhere: a
// URL with the scheme http, https, socks5 or socks5h, a host, an optional
// port, optional credentials, and nothing else; or "host:port" alone, which
// means http://host:port (as Requests, curl and httpproxy read it). The
// scheme is lower-cased. Errors never include the password.
func ParseProxyURL(raw string) (*url.URL, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil, errors.New("empty proxy URL")
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	// Errors show the input with its password masked, not u.Redacted(): an
	// unescaped '/', '?' or '#' in a password makes url.Parse read part of
	// it as a port, path, query or fragment, which Redacted would show.
	shown := redactRaw(s)
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("proxy URL %q does not parse", shown)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	switch u.Scheme {
	case "http", "https", "socks5", "socks5h":
	default:
		return nil, fmt.Errorf("proxy URL %s: scheme %q is not http, https, socks5 or socks5h", shown, u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("proxy URL %s has no host", shown)
	}
	if p := u.Port(); p != "" && !validPort(p) {
		return nil, fmt.Errorf("proxy URL %s: bad port", shown)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return nil, fmt.Errorf("proxy URL %s: a proxy URL has no path, query or fragment", shown)
	}
	u.Path, u.RawPath, u.ForceQuery = "", "", false
	return u, nil
}

// redactRaw hides the password of a URL that did not parse: everything
// between the first ':' after "//" (or the start) and the last '@'.
func redactRaw(s string) string {
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return s
	}
	start := 0
	if i := strings.Index(s, "//"); i >= 0 && i < at {
		start = i + 2
	}
	colon := strings.IndexByte(s[start:at], ':')
	if colon < 0 {
		return s
	}
	return s[:start+colon+1] + "xxxxx" + s[at:]
}
