package cache

import (
	"net/http"
	"net/textproto"
	"strings"
)

// hopByHop are the fields a cache must not store (RFC 9111 §3.1): those of
// one connection (RFC 9110 §7.6.1), and the proxy's own authentication,
// which is about the hop to the proxy, not the resource.
var hopByHop = []string{
	"Connection", "Keep-Alive", "Proxy-Connection", "Te", "Transfer-Encoding", "Upgrade",
	"Proxy-Authenticate", "Proxy-Authentication-Info", "Proxy-Authorization",
}

// storedHeader returns a copy of h without the fields a cache must not
// store: the hop-by-hop ones and those the Connection field names.
func storedHeader(h http.Header) http.Header {
	out := h.Clone()
	for _, v := range h["Connection"] {
		for _, name := range strings.Split(v, ",") {
			if name = strings.TrimSpace(name); name != "" {
				delete(out, textproto.CanonicalMIMEHeaderKey(name))
			}
		}
	}
	for _, name := range hopByHop {
		delete(out, name)
	}
	return out
}
