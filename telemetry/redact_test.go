package telemetry

import (
	"net/url"
	"strings"
	"testing"
)

func TestFullURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://example.com/a/b", "https://example.com/a/b"},
		{"https://alice:pw@example.com/", "https://REDACTED:REDACTED@example.com/"},
		{"https://alice@example.com/", "https://REDACTED:REDACTED@example.com/"},
		{"https://s3.example.com/k?X-Amz-Algorithm=AWS4&X-Amz-Credential=AK%2F1&X-Amz-Signature=ff00",
			"https://s3.example.com/k?X-Amz-Algorithm=AWS4&X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED"},
		{"https://x/?sig=1&Signature=2&AWSAccessKeyId=3&X-Goog-Signature=4", "https://x/?sig=REDACTED&Signature=REDACTED&AWSAccessKeyId=REDACTED&X-Goog-Signature=REDACTED"},
		{"https://x/?q=a%20b&token=t&api_key=k&page=2", "https://x/?q=a%20b&token=REDACTED&api_key=REDACTED&page=2"},
		{"https://x/?TOKEN=t", "https://x/?TOKEN=REDACTED"},                   // keys match without case
		{"https://x/?acc%65ss_token=t", "https://x/?acc%65ss_token=REDACTED"}, // and escaped
		{"https://x/?token", "https://x/?token"},                              // no value to hide
		{"https://x/?a=1;b=2&&c", "https://x/?a=1;b=2&&c"},                    // kept byte for byte
	} {
		u, err := url.Parse(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := fullURL(u); got != tc.want {
			t.Errorf("fullURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzRedactQuery checks that no value of a sensitive key survives, and
// that a query without one comes back unchanged.
func FuzzRedactQuery(f *testing.F) {
	for _, seed := range []string{"", "a=1", "token=x&b=2", "X-Amz-Signature=%zz", "&&=&sig=", "key=1=2;x", "%41PI_KEY=v"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		out := redactQuery(raw)
		if !hasSensitiveKey(raw) {
			if out != raw {
				t.Fatalf("redactQuery(%q) = %q: changed a query with nothing to hide", raw, out)
			}
			return
		}
		in, outPairs := strings.Split(raw, "&"), strings.Split(out, "&")
		if len(in) != len(outPairs) {
			t.Fatalf("redactQuery(%q) = %q: pairs changed", raw, out)
		}
		for i, pair := range in {
			key, _, hasValue := strings.Cut(pair, "=")
			if hasValue && isSensitiveKey(key) {
				if outPairs[i] != key+"="+redacted {
					t.Fatalf("redactQuery(%q) pair %d = %q, want %q", raw, i, outPairs[i], key+"="+redacted)
				}
			} else if outPairs[i] != pair {
				t.Fatalf("redactQuery(%q) pair %d = %q, want it unchanged", raw, i, outPairs[i])
			}
		}
	})
}
