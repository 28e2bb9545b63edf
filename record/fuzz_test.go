package record_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/relayhttp/relay/record"
)

// FuzzReadHAR checks that the tolerant reader never panics, and that what
// it reads is written back stably: write(read(x)) read and written again
// gives the same bytes.
func FuzzReadHAR(f *testing.F) {
	for _, name := range []string{"testdata/chrome.har", "testdata/firefox.har"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"log":{}}`))
	f.Add([]byte(`{"log":{"entries":[{"time":1.5e3,"request":{"bodySize":12.0},"response":{"content":{"size":null}}}]}}`))
	f.Add([]byte("\ufeff{\"log\":{\"entries\":null}}"))
	f.Add([]byte(`{"log":null}`))
	f.Add([]byte(`{"log":{"entries":[{"_a":1,"response":{"_b":[2],"_error":null},"timings":{"_c":"x"}}],"comment":"c"}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := record.ReadHAR(bytes.NewReader(b))
		if err != nil {
			return
		}
		var first bytes.Buffer
		if err := record.WriteHAR(&first, h); err != nil {
			t.Fatalf("writing what was read: %v", err)
		}
		h2, err := record.ReadHAR(bytes.NewReader(first.Bytes()))
		if err != nil {
			t.Fatalf("reading what was written: %v\n%s", err, first.Bytes())
		}
		var second bytes.Buffer
		if err := record.WriteHAR(&second, h2); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Errorf("not stable:\n%s\n---\n%s", first.Bytes(), second.Bytes())
		}
	})
}

// FuzzRedaction runs an entry built from fuzzed URL, header, cookie and
// bodies through a recording (the redaction parsers: URLs and queries,
// Authorization, Cookie and Set-Cookie values, JSON and form bodies) and
// checks that it never panics, that the secret planted in a secret-looking
// field never reaches the entries, and that the live request, redacted the
// same way, still matches the recording.
func FuzzRedaction(f *testing.F) {
	f.Add("/p?a=1&token=x", "Basic YW5uOnB3", "sid=abc; b=2", "sid=v; Path=/; HttpOnly", `{"password":"x","n":[1,{"key":true}]}`, "application/json")
	f.Add("/p?%zz=1&&=", "Bearer", ";;=;", "=", "a=1&secret=%zz&b", "application/x-www-form-urlencoded")
	f.Add("/", "", "", "", "plain \x00\xff", "text/plain")
	f.Fuzz(func(t *testing.T, path, authz, cookie, setCookie, body, mimeType string) {
		const planted = "planted-secret-value-Z9"
		if strings.ContainsAny(path, " #\r\n\x00") || !strings.HasPrefix(path, "/") {
			return
		}
		for _, s := range []string{authz, cookie, setCookie, mimeType} {
			if strings.ContainsAny(s, "\r\n\x00") {
				return
			}
		}
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		entries := recordFuzzed(t, api+path+sep+"api_key="+planted, authz, cookie, setCookie, body, mimeType)
		if entries == nil {
			return
		}
		var b bytes.Buffer
		if err := record.WriteHAR(&b, &record.HAR{Log: record.Log{Entries: entries}}); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b.Bytes(), []byte(planted)) {
			t.Errorf("the planted secret is in the cassette:\n%s", b.Bytes())
		}
	})
}
