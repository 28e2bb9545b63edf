package middleware

import (
	"fmt"
	"net"
	"strings"
)

// appendLowerHost appends host, lower-cased and in brackets when it is an
// IPv6 address, to b.
func appendLowerHost(b []byte, host string) []byte {
	if strings.IndexByte(host, ':') < 0 {
		return appendASCIILower(b, host)
	}
	b = append(b, '[')
	b = appendASCIILower(b, host)
	return append(b, ']')
}

// appendASCIILower appends s to b with A-Z lower-cased and every other byte
// as it is.
func appendASCIILower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

// parseProxyKey validates a key of ProxyConfig.Proxies and returns its
// normal form: lower-case, IPv6 hosts in brackets, no trailing slash.
func parseProxyKey(k string) (string, error) {
	shown := redactRaw(k) // for errors: a mistaken key may hold a password
	// ASCII case folding, as the lookup does: strings.ToLower would turn
	// invalid UTF-8 into U+FFFD and the key would never match.
	lk := string(appendASCIILower(nil, strings.TrimSpace(k)))
	switch lk {
	case "http", "https", "all", "no_proxy":
		return lk, nil
	}
	scheme, rest, ok := strings.Cut(lk, "://")
	if !ok {
		return "", fmt.Errorf("middleware: proxy key %q: want http, https, all, no_proxy, or scheme://host[:port]", shown)
	}
	switch scheme {
	case "http", "https", "all":
	default:
		return "", fmt.Errorf("middleware: proxy key %q: scheme %q is not http, https or all", shown, scheme)
	}
	rest = strings.TrimSuffix(rest, "/")
	if rest == "" || strings.ContainsAny(rest, "/?#@%[ \t\r\n\x00") && !strings.HasPrefix(rest, "[") {
		return "", fmt.Errorf("middleware: proxy key %q: want scheme://host[:port] without path, query or user", shown)
	}
	host, port := rest, ""
	switch {
	case strings.HasPrefix(rest, "["): // [v6] or [v6]:port
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return "", fmt.Errorf("middleware: proxy key %q: unclosed '['", shown)
		}
		host = rest[1:end]
		switch after := rest[end+1:]; {
		case after == "":
		case after[0] == ':':
			port = after[1:]
		default:
			return "", fmt.Errorf("middleware: proxy key %q: text after ']'", shown)
		}
		if net.ParseIP(host) == nil || strings.IndexByte(host, ':') < 0 {
			return "", fmt.Errorf("middleware: proxy key %q: %q in brackets is not an IPv6 address", shown, host)
		}
	case strings.Count(rest, ":") == 1: // host:port
		host, port, _ = strings.Cut(rest, ":")
	case strings.Count(rest, ":") > 1: // a bare IPv6 address
		if net.ParseIP(rest) == nil {
			return "", fmt.Errorf("middleware: proxy key %q: bad host %q", shown, rest)
		}
	}
	if port != "" || strings.HasSuffix(rest, ":") {
		if !validPort(port) {
			return "", fmt.Errorf("middleware: proxy key %q: bad port %q", shown, port)
		}
	}
	if host == "" || strings.ContainsAny(host, "/?#@%[] \t\r\n\x00") {
		return "", fmt.Errorf("middleware: proxy key %q: bad host %q", shown, host)
	}
	out := scheme + "://" + string(appendLowerHost(nil, host))
	if port != "" {
		out += ":" + port
	}
	return out, nil
}
