package cookiejar

import (
	"cmp"
	"net"
	"net/netip"
	"strings"

	"golang.org/x/net/idna"
)

// shouldSend reports whether e goes with a request to host and path over a
// connection that is secure or not. The caller checks expiry.
func (e *entry) shouldSend(secure bool, host, path string) bool {
	return e.domainMatch(host) && pathMatch(e.Path, path) && (!e.Secure || secure)
}

func (e *entry) domainMatch(host string) bool {
	return e.Domain == host || (!e.HostOnly && hasDotSuffix(host, e.Domain))
}

// sendOrder is RFC 6265 §5.4 point 2: longer paths first, then earlier
// creation; then the order in which the cookies were set.
func sendOrder(a, b *entry) int {
	if c := cmp.Compare(len(b.Path), len(a.Path)); c != 0 {
		return c
	}
	if c := a.Created.Compare(b.Created); c != 0 {
		return c
	}
	return cmp.Compare(a.seq, b.seq)
}

// pathMatch implements "path-match" of RFC 6265 §5.1.4.
func pathMatch(cookiePath, requestPath string) bool {
	if requestPath == cookiePath {
		return true
	}
	if strings.HasPrefix(requestPath, cookiePath) {
		if cookiePath[len(cookiePath)-1] == '/' {
			return true // "/any/" matches "/any/path"
		}
		if requestPath[len(cookiePath)] == '/' {
			return true // "/any" matches "/any/path"
		}
	}
	return false
}

// hasDotSuffix reports whether s ends in "."+suffix.
func hasDotSuffix(s, suffix string) bool {
	return len(s) > len(suffix) && s[len(s)-len(suffix)-1] == '.' && s[len(s)-len(suffix):] == suffix
}

// hostKey is a host and its jarKey.
type hostKey struct{ host, key string }

// keyFor is jarKey, remembered for the host asked for last.
func (j *Jar) keyFor(host string) string {
	if k := j.lastKey.Load(); k != nil && k.host == host {
		return k.key
	}
	key := j.jarKey(host)
	j.lastKey.Store(&hostKey{host, key})
	return key
}

// jarKey returns the registrable domain (eTLD+1) of host, the unit of the
// per-domain limit; host itself for an IP address or a public suffix.
func (j *Jar) jarKey(host string) string {
	if isIP(host) {
		return host
	}
	suffix := j.psl.PublicSuffix(host)
	if suffix == host {
		return host
	}
	i := len(host) - len(suffix)
	if i <= 0 || host[i-1] != '.' {
		return host // a broken list: keying by host is the safe choice
	}
	prevDot := strings.LastIndex(host[:i-1], ".")
	return host[prevDot+1:]
}

// canonicalHost lower-cases host (a URL's Hostname), drops a trailing dot
// and converts a U-label to Punycode.
func canonicalHost(host string) (string, error) {
	host = strings.TrimSuffix(host, ".")
	if host == "" {
		return "", errBadDomain
	}
	for i := 0; i < len(host); i++ {
		if host[i] >= 0x80 {
			a, err := idna.ToASCII(host)
			if err != nil {
				return "", err
			}
			host = a
			break
		}
	}
	return strings.ToLower(host), nil
}

// isIP reports whether host is an IP address. Anything with a colon or a
// percent sign is treated as one: no host name has them.
func isIP(host string) bool {
	return strings.ContainsAny(host, ":%") || isIPv4(host)
}

// isIPv4 reports whether host is a dotted-decimal IPv4 address, as
// net.ParseIP accepts one, without parsing (and allocating for) names.
func isIPv4(host string) bool {
	for i := 0; i < len(host); i++ {
		if c := host[i]; (c < '0' || c > '9') && c != '.' {
			return false
		}
	}
	_, err := netip.ParseAddr(host)
	return err == nil
}

// isSecureOrigin reports whether a request with scheme to host may set and
// receive Secure cookies: https, or localhost and loopback addresses, which
// browsers count as secure contexts.
func isSecureOrigin(scheme, host string) bool {
	if scheme == "https" {
		return true
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	if !strings.Contains(host, ":") {
		return isIPv4(host) && strings.HasPrefix(host, "127.")
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// defaultPath is the default-path of RFC 6265 §5.1.4.
func defaultPath(path string) string {
	if path == "" || path[0] != '/' {
		return "/"
	}
	i := strings.LastIndex(path, "/")
	if i == 0 {
		return "/"
	}
	return path[:i]
}
