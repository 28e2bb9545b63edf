package telemetry

import (
	"net/url"
	"strings"
)

// redacted replaces what url.full must not carry.
const redacted = "REDACTED"

// sensitiveQueryKeys are query keys whose values are credentials or
// signatures: the four the HTTP conventions name (AWSAccessKeyId,
// Signature, sig, X-Goog-Signature), the rest of the AWS and Google
// presigned-URL keys, and the common token and key names. Keys match
// without regard to case.
var sensitiveQueryKeys = []string{
	"awsaccesskeyid", "signature", "sig", "x-goog-signature",
	"x-amz-signature", "x-amz-credential", "x-amz-security-token",
	"x-goog-credential",
	"token", "access_token", "refresh_token", "id_token",
	"api_key", "apikey", "api-key", "key",
	"client_secret", "password", "passwd", "secret",
	"code", "auth", "authorization", "session", "sessionid",
}

// fullURL is url.full of a request: its URL with the user name and password
// replaced by REDACTED (as the conventions ask) and the values of
// sensitive query keys by REDACTED. The rest is kept as it was sent.
func fullURL(u *url.URL) string {
	if u.User == nil && u.RawQuery == "" {
		return u.String()
	}
	c := *u
	if c.User != nil {
		c.User = url.UserPassword(redacted, redacted)
	}
	c.RawQuery = redactQuery(c.RawQuery)
	return c.String()
}

// redactQuery replaces the values of sensitive keys in a raw query, keeping
// every other byte as it was: the order of the pairs, their escaping, and
// separators.
func redactQuery(raw string) string {
	if raw == "" || !hasSensitiveKey(raw) {
		return raw
	}
	var b strings.Builder
	b.Grow(len(raw))
	for i, pair := range strings.Split(raw, "&") {
		if i > 0 {
			b.WriteByte('&')
		}
		key, _, hasValue := strings.Cut(pair, "=")
		if hasValue && isSensitiveKey(key) {
			b.WriteString(key)
			b.WriteString("=" + redacted)
			continue
		}
		b.WriteString(pair)
	}
	return b.String()
}

// hasSensitiveKey reports whether any pair of raw has a sensitive key, so
// that most queries are returned without being rebuilt.
func hasSensitiveKey(raw string) bool {
	for pair := range strings.SplitSeq(raw, "&") {
		key, _, hasValue := strings.Cut(pair, "=")
		if hasValue && isSensitiveKey(key) {
			return true
		}
	}
	return false
}

// isSensitiveKey reports whether a raw (still escaped) query key names a
// credential.
func isSensitiveKey(raw string) bool {
	key, err := url.QueryUnescape(raw)
	if err != nil {
		key = raw
	}
	for _, k := range sensitiveQueryKeys {
		if strings.EqualFold(key, k) {
			return true
		}
	}
	return false
}
