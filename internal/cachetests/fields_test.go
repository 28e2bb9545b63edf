package cachetests

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestHTTPDate(t *testing.T) {
	now := time.Date(1994, time.November, 6, 8, 49, 0, 500e6, time.UTC).UnixMilli()
	for _, tc := range []struct {
		delta  int
		rfc850 bool
		ok     bool
		want   string
	}{
		{37, false, true, "Sun, 06 Nov 1994 08:49:37 GMT"},
		{37, true, true, "Sunday, 06-Nov-94 08:49:37 GMT"},
		{-86400, false, true, "Sat, 05 Nov 1994 08:49:00 GMT"},
		{0, false, false, "Invalid Date"},
	} {
		if got := httpDate(now, tc.ok, tc.delta, tc.rfc850); got != tc.want {
			t.Errorf("httpDate(%d, %v, %v) = %q, want %q", tc.delta, tc.ok, tc.rfc850, got, tc.want)
		}
	}
}

func TestFixup(t *testing.T) {
	resp := http.Header{"Server-Now": {"784111777000"}, "Server-Base-Url": {"/test/id/f?q=1"}}
	for _, tc := range []struct {
		f    field
		s    step
		want string
	}{
		{field{Name: "Expires", Value: value{N: 3600, IsInt: true}}, step{}, "Sun, 06 Nov 1994 09:49:37 GMT"},
		{field{Name: "if-modified-since", Value: value{N: 0, IsInt: true}}, step{RFC850Date: []string{"if-modified-since"}}, "Sunday, 06-Nov-94 08:49:37 GMT"},
		{field{Name: "Age", Value: value{N: 5, IsInt: true}}, step{}, "5"},
		{field{Name: "Expires", Value: value{S: "0"}}, step{}, "0"},
		{field{Name: "Location", Value: value{S: "x"}}, step{MagicLocations: true}, "/test/id/f?q=1/x"},
		{field{Name: "Content-Location", Value: value{S: ""}}, step{MagicLocations: true}, "/test/id/f?q=1"},
		{field{Name: "Location", Value: value{S: "x"}}, step{}, "x"},
	} {
		if got := fixup(tc.f, resp, &tc.s).String(); got != tc.want {
			t.Errorf("fixup(%v) = %q, want %q", tc.f, got, tc.want)
		}
	}
	if got := fixup(field{Name: "Date", Value: value{IsInt: true}}, http.Header{}, &step{}).String(); got != "Invalid Date" {
		t.Errorf("a date without Server-Now: %q, want Invalid Date, as JavaScript gives", got)
	}
}

func TestLatin1(t *testing.T) {
	for _, s := range []string{"", "abc", `"abcdefü"`, "ÿ"} {
		w := toWire(s)
		if len(w) != len([]rune(s)) {
			t.Errorf("toWire(%q) = %q: want one byte per code point", s, w)
		}
		if got := fromWire(w); got != s {
			t.Errorf("fromWire(toWire(%q)) = %q", s, got)
		}
	}
	if got := toWire("€"); got != "€" {
		t.Errorf("toWire(€) = %q: a code point above U+00FF stays UTF-8", got)
	}
}

func TestParseInt(t *testing.T) {
	for _, tc := range []struct {
		in string
		n  int64
		ok bool
	}{
		{"30", 30, true}, {" 30", 30, true}, {"+3", 3, true}, {"-3", -3, true}, {"30, 40", 30, true},
		{"3.9", 3, true}, {"", 0, false}, {"abc", 0, false}, {"-", 0, false}, {"NaN", 0, false},
	} {
		if n, ok := parseInt(tc.in); n != tc.n || ok != tc.ok {
			t.Errorf("parseInt(%q) = %d, %v; want %d, %v", tc.in, n, ok, tc.n, tc.ok)
		}
	}
}

// FuzzParseInt checks parseInt against its definition: after white space,
// an optional sign and at least one digit, read as far as digits go.
func FuzzParseInt(f *testing.F) {
	for _, s := range []string{"30", " -3x", "+", "007", "99999999999999999999", "\t7, 8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := parseInt(s)
		rest := strings.TrimLeft(s, " \t\n\r\v\f")
		sign := ""
		if rest != "" && strings.ContainsAny(rest[:1], "+-") {
			sign, rest = rest[:1], rest[1:]
		}
		digits := rest[:len(rest)-len(strings.TrimLeft(rest, "0123456789"))]
		want, err := strconv.ParseInt(sign+digits, 10, 64)
		if ok != (err == nil) || ok && n != want {
			t.Errorf("parseInt(%q) = %d, %v; want %d, %v", s, n, ok, want, err == nil)
		}
	})
}
