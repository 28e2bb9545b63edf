package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/relayhttp/relay/internal/ascii"
	"github.com/relayhttp/relay/internal/origin"
)

// credentialHeaders are the request fields whose values partition the
// cache: a response stored for one value is never served for another. The
// auth middleware above the cache turns netrc entries and URL userinfo into
// Authorization, so this covers every source of credentials.
var credentialHeaders = []string{"Authorization", "Cookie", "Proxy-Authorization"}

// hasCredentials reports whether req carries any credential.
func hasCredentials(req *http.Request) bool {
	for _, h := range credentialHeaders {
		if len(req.Header[h]) > 0 {
			return true
		}
	}
	return false
}

// primaryKey is the store key of u's variant list for requests with req's
// credentials: a hash of the normalised URL (no fragment, lower-case scheme
// and host, default port dropped) and of the credentials, so that keys
// never hold a secret and one user's responses are never found by another.
func primaryKey(u *url.URL, req *http.Request) string {
	h := sha256.New()
	h.Write([]byte(normalURL(u)))
	for _, name := range credentialHeaders {
		for _, v := range req.Header[name] {
			h.Write([]byte{0})
			h.Write([]byte(name))
			h.Write([]byte{':'})
			h.Write([]byte(v))
		}
	}
	return "v1/idx/" + hex.EncodeToString(h.Sum(nil))
}

// entryKey is the store key of one variant of a primary key.
func entryKey(primary string, vary []varyField) string {
	h := sha256.New()
	h.Write([]byte(primary))
	for _, f := range vary {
		h.Write([]byte{0})
		h.Write([]byte(f.Name))
		h.Write([]byte{':'})
		h.Write([]byte(f.Value))
	}
	return "v1/ent/" + hex.EncodeToString(h.Sum(nil))
}

// normalURL is u as the cache compares URLs: the target URI (RFC 9111
// §4.1 uses it as the primary key) without fragment, scheme and host
// lower-cased, the default port dropped.
func normalURL(u *url.URL) string {
	c := *u
	c.Fragment, c.RawFragment, c.User = "", "", nil
	c.Scheme = ascii.Lower(c.Scheme)
	host, port := ascii.Lower(c.Hostname()), c.Port()
	if port == origin.DefaultPort(c.Scheme) {
		port = ""
	}
	if strings.IndexByte(host, ':') >= 0 {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	c.Host = host
	if c.Path == "" && c.RawPath == "" && c.Opaque == "" {
		c.Path = "/"
	}
	return c.String()
}

// varyField is one request field a stored response varies on, with the
// normalised value the request that got it sent.
type varyField struct {
	Name  string `json:"n"`
	Value string `json:"v"`
}

// varyOf returns the fields a response with header h varies on, with the
// values req sent, and whether the response can match any request at all
// (Vary: * matches none, RFC 9111 §4.1).
func varyOf(h http.Header, req *http.Request) ([]varyField, bool) {
	var fields []varyField
	for _, v := range h.Values("Vary") {
		for name := range strings.SplitSeq(v, ",") {
			name = strings.TrimSpace(name)
			switch {
			case name == "":
				continue
			case name == "*":
				return nil, false
			}
			name = http.CanonicalHeaderKey(name)
			if slices.ContainsFunc(fields, func(f varyField) bool { return f.Name == name }) {
				continue
			}
			fields = append(fields, varyField{name, normalValue(name, req.Header.Values(name))})
		}
	}
	slices.SortFunc(fields, func(a, b varyField) int { return strings.Compare(a.Name, b.Name) })
	return fields, true
}

// matches reports whether req sends the values a stored variant was
// selected with (RFC 9111 §4.1).
func matches(vary []varyField, req *http.Request) bool {
	for _, f := range vary {
		if normalValue(f.Name, req.Header.Values(f.Name)) != f.Value {
			return false
		}
	}
	return true
}

// normalValue combines the lines of field name into one value (RFC 9110
// §5.3), with the whitespace around list members removed, so that
// "gzip,br" and "gzip, br" select the same variant. The members of the
// Accept fields whose tokens are case-insensitive are also lowercased and
// sorted: "en, de" and "De, en" ask for the same languages. An absent
// field is distinct from an empty one.
func normalValue(name string, values []string) string {
	if len(values) == 0 {
		return "\x00absent"
	}
	var parts []string
	for _, v := range values {
		for m := range strings.SplitSeq(v, ",") {
			parts = append(parts, strings.Join(strings.Fields(m), " "))
		}
	}
	if caseless[name] {
		for i, p := range parts {
			parts[i] = ascii.Lower(p)
		}
		slices.Sort(parts)
	}
	return strings.Join(parts, ",")
}

// caseless are the request fields whose lists normalValue lowercases and
// sorts: language tags, content codings and charsets are case-insensitive
// (RFC 9110 §8.5.1, §8.4.1, §8.3.2).
var caseless = map[string]bool{"Accept-Language": true, "Accept-Encoding": true, "Accept-Charset": true}
