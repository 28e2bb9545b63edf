package cache

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// show describes directives for comparisons: only what is set.
func (d directives) String() string {
	var parts []string
	sec := func(name string, s seconds) {
		switch {
		case s.bad:
			parts = append(parts, name+"=bad")
		case s.set:
			parts = append(parts, fmt.Sprintf("%s=%d", name, s.n))
		}
	}
	sec("max-age", d.maxAge)
	sec("s-maxage", d.sMaxAge)
	sec("max-stale", d.maxStale)
	sec("min-fresh", d.minFresh)
	sec("swr", d.staleWhileRevalidate)
	sec("sie", d.staleIfError)
	for _, f := range []struct {
		name string
		on   bool
	}{
		{"max-stale", d.maxStaleAny}, {"no-cache", d.noCache}, {"private", d.private}, {"no-store", d.noStore},
		{"public", d.public}, {"must-revalidate", d.mustRevalidate}, {"must-understand", d.mustUnderstand},
		{"immutable", d.immutable}, {"only-if-cached", d.onlyIfCached}, {"no-transform", d.noTransform},
	} {
		if f.on {
			parts = append(parts, f.name)
		}
	}
	if len(d.noCacheFields) > 0 {
		parts = append(parts, "no-cache="+strings.Join(d.noCacheFields, "|"))
	}
	if len(d.privateFields) > 0 {
		parts = append(parts, "private="+strings.Join(d.privateFields, "|"))
	}
	return strings.Join(parts, " ")
}

func TestParseCacheControl(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"max-age=3600"}, "max-age=3600"},
		{[]string{"MAX-AGE=60, Public"}, "max-age=60 public"},
		{[]string{`max-age="60"`}, "max-age=60"},
		{[]string{"max-age=60", "max-age=60"}, "max-age=60"},
		{[]string{"max-age=60, max-age=30"}, "max-age=bad"},
		{[]string{"max-age=abc"}, "max-age=bad"},
		{[]string{"max-age=-1"}, "max-age=bad"},
		{[]string{"max-age"}, "max-age=bad"},
		{[]string{"max-age=99999999999999999999"}, "max-age=2147483648"},
		{[]string{"s-maxage=10, max-age=5"}, "max-age=5 s-maxage=10"},
		{[]string{"max-stale"}, "max-stale"},
		{[]string{"max-stale=30, min-fresh=5"}, "max-stale=30 min-fresh=5"},
		{[]string{"stale-while-revalidate=10, stale-if-error=20"}, "swr=10 sie=20"},
		{[]string{`no-cache="set-cookie, X-Foo", private="authorization"`}, "no-cache=Set-Cookie|X-Foo private=Authorization"},
		{[]string{"no-cache, no-store, must-revalidate, immutable, must-understand, only-if-cached, no-transform"},
			"no-cache no-store must-revalidate must-understand immutable only-if-cached no-transform"},
		{[]string{"private"}, "private"},
		{[]string{"  ,, max-age=5 ,"}, "max-age=5"},
		{[]string{"max-age=5 junk, public"}, "public"},
		{[]string{`foo="a, max-age=99", max-age=1`}, "max-age=1"},
		{[]string{`no-cache="unterminated`}, "no-cache=Unterminated"},
		{[]string{"unknown=1, public"}, "public"},
	} {
		if diff := cmp.Diff(c.want, parseCacheControl(c.in).String()); diff != "" {
			t.Errorf("%q (-want +got):\n%s", c.in, diff)
		}
	}
}

// FuzzParseCacheControl checks the parser never panics, and that a value
// that says max-age=N alone is always read as N.
func FuzzParseCacheControl(f *testing.F) {
	for _, s := range []string{
		"max-age=3600", `no-cache="Set-Cookie"`, "max-stale", "public, max-age=0, must-revalidate",
		`private="a\"b"`, "stale-while-revalidate=30", "=,=,\"", "\x00\xff", "max-age=1\\",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := parseCacheControl([]string{s})
		if d.maxAge.set && !d.maxAge.bad && (d.maxAge.n < 0 || d.maxAge.n > maxDelta) {
			t.Fatalf("%q: max-age %d out of range", s, d.maxAge.n)
		}
		if !strings.ContainsAny(s, ",\"") {
			if got := parseCacheControl([]string{"max-age=7, " + s}); !got.maxAge.set {
				t.Fatalf("%q hid a max-age before it", s)
			}
		}
	})
}

func TestLifetimeAndAge(t *testing.T) {
	date := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	at := func(d time.Duration) string { return date.Add(d).Format(http.TimeFormat) }
	tm := timing{requestTime: date.Add(-2 * time.Second), responseTime: date}
	for _, c := range []struct {
		name     string
		status   int
		h        http.Header
		want     time.Duration
		explicit bool
	}{
		{"max-age", 200, http.Header{"Cache-Control": {"max-age=60"}, "Expires": {at(time.Hour)}}, time.Minute, true},
		{"s-maxage ignored", 200, http.Header{"Cache-Control": {"s-maxage=60"}}, 0, false},
		{"Expires minus Date", 200, http.Header{"Date": {at(0)}, "Expires": {at(30 * time.Second)}}, 30 * time.Second, true},
		{"Expires in the past", 200, http.Header{"Date": {at(0)}, "Expires": {at(-time.Hour)}}, 0, true},
		{"invalid Expires", 200, http.Header{"Date": {at(0)}, "Expires": {"0"}}, 0, true},
		{"two Expires", 200, http.Header{"Date": {at(0)}, "Expires": {at(time.Hour), at(time.Hour)}}, 0, true},
		{"heuristic: a tenth", 200, http.Header{"Date": {at(0)}, "Last-Modified": {at(-10 * time.Hour)}}, time.Hour, false},
		{"heuristic capped", 200, http.Header{"Date": {at(0)}, "Last-Modified": {at(-100 * 24 * time.Hour)}}, maxHeuristic, false},
		{"no heuristic for 201", 201, http.Header{"Date": {at(0)}, "Last-Modified": {at(-10 * time.Hour)}}, 0, false},
		{"public allows a heuristic", 201, http.Header{"Cache-Control": {"public"}, "Date": {at(0)}, "Last-Modified": {at(-10 * time.Hour)}}, time.Hour, false},
	} {
		got, explicit := lifetime(c.status, c.h, parseCacheControl(c.h["Cache-Control"]), tm)
		if got != c.want || explicit != c.explicit {
			t.Errorf("%s: lifetime %v (explicit %v), want %v (%v)", c.name, got, explicit, c.want, c.explicit)
		}
	}

	// RFC 9111 §4.2.3: Age plus the response delay, or the apparent age,
	// whichever is larger, plus the time since the response arrived.
	for _, c := range []struct {
		name string
		h    http.Header
		now  time.Duration
		want time.Duration
	}{
		{"fresh from the origin", http.Header{"Date": {at(0)}}, 0, 2 * time.Second},
		{"Age from an upstream cache", http.Header{"Date": {at(0)}, "Age": {"100"}}, 10 * time.Second, 112 * time.Second},
		{"Date in the past (clock skew)", http.Header{"Date": {at(-time.Minute)}}, 0, time.Minute},
		{"bad Age ignored", http.Header{"Date": {at(0)}, "Age": {"x"}}, 0, 2 * time.Second},
	} {
		if got := age(c.h, tm, date.Add(c.now)); got != c.want {
			t.Errorf("%s: age %v, want %v", c.name, got, c.want)
		}
	}
}
