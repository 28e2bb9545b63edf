package transport

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/relayhttp/relay/internal/origin"
)

// prefix is a parsed mount prefix: scheme://[host[:port]][/path].
type prefix struct {
	scheme string // lower case, never empty
	host   string // ASCII letters in lower case; empty for a scheme-only prefix
	port   int    // explicit or the scheme's default; 0 if neither or no host
	path   string // empty (any path) or starting with "/", never exactly "/"
}

// parsePrefix parses a mount prefix. The scheme and "://" are required; the
// host, with an optional port, may follow, and a path may follow the host.
// Userinfo, a query, a fragment and an empty host before a port or path are
// errors. A path of "/" alone is the same as no path: both match every path.
func parsePrefix(s string) (prefix, error) {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok || !validScheme(scheme) {
		return prefix{}, prefixError(s, "want scheme://[host[:port]][/path]")
	}
	p := prefix{scheme: asciiLower(scheme)}
	if rest == "" {
		return p, nil
	}
	if authorityHasUserinfo(rest) {
		return prefix{}, prefixError(s, "userinfo is not allowed")
	}
	if strings.ContainsAny(rest, "?#") {
		return prefix{}, prefixError(s, "a query or fragment is not allowed")
	}
	u, err := url.Parse(s)
	if err != nil {
		// url.Error repeats the input; report only its cause. The input holds
		// no userinfo (checked above), so quoting it is safe.
		if ue, ok := err.(*url.Error); ok {
			err = ue.Err
		}
		return prefix{}, prefixError(s, err.Error())
	}
	if u.Opaque != "" || u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return prefix{}, prefixError(s, "want scheme://[host[:port]][/path]")
	}
	host := u.Hostname()
	if host == "" {
		return prefix{}, prefixError(s, "a port or path needs a host")
	}
	p.host = asciiLower(host)
	if strings.HasSuffix(u.Host, ":") {
		return prefix{}, prefixError(s, "empty port")
	}
	if ps := u.Port(); ps != "" {
		n, err := strconv.Atoi(ps)
		if err != nil || n < 1 || n > 65535 {
			return prefix{}, prefixError(s, "port out of range")
		}
		p.port = n
	} else {
		p.port = defaultPort(p.scheme)
	}
	if u.Path != "/" {
		p.path = u.Path
	}
	return p, nil
}

// prefixError formats a parse error for the prefix s, with any userinfo in it
// masked.
func prefixError(s, msg string) error {
	return fmt.Errorf("transport: mount prefix %q: %s", redactPrefix(s), msg)
}

// authorityHasUserinfo reports whether the authority at the start of rest
// (what follows "://") contains an "@".
func authorityHasUserinfo(rest string) bool {
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	return strings.Contains(rest, "@")
}

// redactPrefix replaces the userinfo of a prefix, if any, with "xxxxx", so no
// password reaches an error message even when the prefix does not parse. The
// authority starts after "scheme://", or at the start of s when s does not
// begin with a scheme and "://" (a prefix written without its scheme), and
// ends at the first "/", "?" or "#"; everything in it up to its last "@" is
// userinfo.
func redactPrefix(s string) string {
	start := 0
	if scheme, _, ok := strings.Cut(s, "://"); ok && validScheme(scheme) {
		start = len(scheme) + len("://")
	}
	auth := s[start:]
	if j := strings.IndexAny(auth, "/?#"); j >= 0 {
		auth = auth[:j]
	}
	at := strings.LastIndex(auth, "@")
	if at < 0 {
		return s
	}
	return s[:start] + "xxxxx" + s[start+at:]
}

// asciiLower maps the ASCII letters of s to lower case and leaves other bytes
// alone, so strings.EqualFold(s, asciiLower(s)) always holds (full Unicode
// lower-casing does not keep that for every rune).
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// validScheme reports whether s is a URI scheme (RFC 3986 section 3.1):
// ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
func validScheme(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}

// defaultPort returns the numeric default port of scheme, 0 if it has none.
func defaultPort(scheme string) int {
	n, _ := strconv.Atoi(origin.DefaultPort(scheme))
	return n
}

// matches reports whether u falls under p. It does not allocate.
func (p *prefix) matches(u *url.URL) bool {
	if !strings.EqualFold(u.Scheme, p.scheme) {
		return false
	}
	if p.host == "" {
		return true
	}
	if !strings.EqualFold(u.Hostname(), p.host) {
		return false
	}
	port := defaultPortFold(u.Scheme)
	if ps := u.Port(); ps != "" {
		n, err := strconv.Atoi(ps)
		if err != nil {
			return false
		}
		port = n
	}
	return port == p.port && pathMatches(p.path, u.Path)
}

// defaultPortFold is defaultPort for a scheme in any case, without
// allocating.
func defaultPortFold(scheme string) int {
	switch {
	case strings.EqualFold(scheme, "http"), strings.EqualFold(scheme, "ws"):
		return 80
	case strings.EqualFold(scheme, "https"), strings.EqualFold(scheme, "wss"):
		return 443
	}
	return 0
}

// pathMatches reports whether the request path falls under the prefix path.
// An empty request path is "/", as on the wire. A prefix path ending in "/"
// is a plain string prefix; any other matches itself and what lies below it
// on a segment boundary: "/v1" matches "/v1" and "/v1/x", not "/v10".
func pathMatches(prefixPath, reqPath string) bool {
	if prefixPath == "" {
		return true
	}
	if reqPath == "" {
		reqPath = "/"
	}
	if !strings.HasPrefix(reqPath, prefixPath) {
		return false
	}
	return strings.HasSuffix(prefixPath, "/") ||
		len(reqPath) == len(prefixPath) || reqPath[len(prefixPath)] == '/'
}

// String formats p in canonical form: lower-case scheme and host, explicit
// port.
func (p prefix) String() string {
	if p.host == "" {
		return p.scheme + "://"
	}
	host := p.host
	if strings.Contains(host, ":") {
		host = "[" + strings.ReplaceAll(host, "%", "%25") + "]"
	}
	if p.port != 0 {
		host += ":" + strconv.Itoa(p.port)
	}
	return p.scheme + "://" + host + p.path
}

// short formats p as a user writes it: String without the scheme's default
// port.
func (p prefix) short() string {
	if p.port == defaultPort(p.scheme) {
		p.port = 0
	}
	return p.String()
}

// moreSpecific orders prefixes for lookup: those with a host before those
// without, then longer paths first. Two prefixes a request can both match are
// thereby tried longest first.
func moreSpecific(a, b prefix) int {
	ah, bh := a.host != "", b.host != ""
	switch {
	case ah && !bh:
		return -1
	case !ah && bh:
		return 1
	}
	return len(b.path) - len(a.path)
}
