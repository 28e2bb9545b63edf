package cookiejar

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/internal/testenv"
)

// seeds returns the files the fuzz tests start from: real curl output, and
// what Save writes for a jar with a cookie of every kind.
func seeds(f *testing.F, format Format) [][]byte {
	f.Helper()
	var out [][]byte
	if format == Netscape {
		curl, err := os.ReadFile("testdata/curl-7.88.1-cookies.txt")
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, curl,
			[]byte("#HttpOnly_.example.com\tTRUE\t/\tTRUE\t0\tname\t\"quoted\"\r\n"),
			[]byte("  example.com\tfalse\t/\ttrue\t1700000000\tempty\n\n# comment\n"),
			[]byte("..x\tTRUE\t/\tFALSE\t1\ta\n"),
		)
	} else {
		out = append(out,
			[]byte(`{"format":"relay-cookiejar","version":1,"cookies":[]}`),
			[]byte(`{"format":"relay-cookiejar","version":1,"extra":{"a":[1,2]},"cookies":[{"name":"a","domain":"x","sameSite":"Lax","expires":"2030-01-01T00:00:00+02:00"}]}`),
			[]byte(`{"cookies":[{"name":5}]}`),
		)
	}
	jar, err := New(nil)
	if err != nil {
		f.Fatal(err)
	}
	full := fullJarF(jar)
	path := f.TempDir() + "/seed"
	if err := full.save(path, &SaveOptions{Format: format, IncludeSession: true}, tNow); err != nil {
		f.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	return append(out, b)
}

// fullJarF fills jar as fullJar does, for fuzz seeds.
func fullJarF(jar *Jar) *Jar {
	for _, c := range []string{
		"persistent=p; Max-Age=3600", "session=s; Path=/", "dom=d; Domain=host.test; Path=/; Max-Age=7200",
		"secure=x; Secure; HttpOnly; SameSite=Strict; Max-Age=60", `quoted="a b"; Max-Age=60`,
	} {
		jar.setCookies(mustParseURL("https://www.host.test/dir/page"), []*http.Cookie{parseSetCookie(c)}, tNow)
	}
	return jar
}

var entryCmp = cmp.AllowUnexported(entry{})

// fuzzParse checks that parse never panics, that what it accepts survives
// encoding and parsing again, and that merging it into a jar is safe.
func fuzzParse(t *testing.T, data []byte, parse func([]byte) ([]entry, error), encode func([]entry) ([]byte, error)) {
	entries, err := parse(data)
	if err != nil {
		if _, ok := err.(*CorruptError); !ok {
			t.Fatalf("error of type %T: %v", err, err)
		}
		return
	}
	again, err := encode(entries)
	if err != nil {
		t.Fatalf("encoding what was parsed: %v", err)
	}
	back, err := parse(again)
	if err != nil {
		t.Fatalf("parsing what was encoded: %v\n%q", err, again)
	}
	if diff := cmp.Diff(entries, back, entryCmp); diff != "" {
		t.Fatalf("parse → encode → parse (-first +second):\n%s", diff)
	}
	jar, _ := New(nil)
	jar.merge(entries, Netscape, time.Unix(1700000000, 0))
	jar.all(time.Unix(1700000000, 0))
}

func FuzzParseNetscape(f *testing.F) {
	for _, s := range seeds(f, Netscape) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(t, data, parseNetscape, func(es []entry) ([]byte, error) { return encodeNetscape(es), nil })
	})
}

func FuzzParseJSON(f *testing.F) {
	for _, s := range seeds(f, JSON) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(t, data, parseJSON, encodeJSON)
	})
}

// bigFile is a Netscape file of n cookies over n/10 domains.
func bigFile(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, ".d%d.test\tTRUE\t/\tFALSE\t1900000000\tc%d\t%s\n", i/10, i, strings.Repeat("v", 20))
	}
	return b.Bytes()
}

// TestLoadLarge loads far more cookies than the jar keeps: parsing and
// merging stay O(n log n) (a quadratic merge takes minutes here).
func TestLoadLarge(t *testing.T) {
	n := 100_000
	if testenv.RaceEnabled || testing.Short() {
		n = 20_000
	}
	entries, err := parseNetscape(bigFile(n))
	if err != nil || len(entries) != n {
		t.Fatalf("%d entries, %v", len(entries), err)
	}
	jar, _ := New(nil)
	jar.merge(entries, Netscape, time.Unix(1700000000, 0))
	if got := len(jar.all(time.Unix(1700000000, 0))); got != MaxCookies {
		t.Errorf("%d cookies after loading %d, want %d", got, n, MaxCookies)
	}
}

func BenchmarkParseNetscape(b *testing.B) {
	data := bigFile(3000)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := parseNetscape(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseJSON(b *testing.B) {
	entries, err := parseNetscape(bigFile(3000))
	if err != nil {
		b.Fatal(err)
	}
	data, err := encodeJSON(entries)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := parseJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}
