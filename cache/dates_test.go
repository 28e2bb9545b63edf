package cache

import (
	"net/http"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	want := time.Date(2050, 8, 18, 2, 1, 18, 0, time.UTC)
	for _, s := range []string{
		"Thu, 18 Aug 2050 02:01:18 GMT",    // IMF-fixdate
		"Thursday, 18-Aug-50 02:01:18 GMT", // RFC 850
		"Thu Aug 18 02:01:18 2050",         // asctime
		"thu, 18 aug 2050 02:01:18 gmt",    // names in any case
		"Mon, 18 Aug 2050 02:01:18 GMT",    // a wrong day of the week is redundant
	} {
		got, err := parseDate(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	if got, err := parseDate("Thu Aug  8 02:01:18 2050"); err != nil || got.Day() != 8 {
		t.Errorf("asctime with a one-digit day: %v, %v", got, err)
	}
	for _, s := range []string{
		"", "0", "-1", "Thu, 18 Aug 2050 02:01:18",
		"Thu, 18  Aug  2050 02:01:18 GMT", // runs of spaces
		"Thu, 18 Aug 2050 2:01:18 GMT",    // a one-digit hour
		"Thu, 18 Aug 2050 02:01:18 PST",   // not GMT
		"Thu, 18-Aug-2050 02:01:18 GMT",
		"Thu, 18 Aug 2050 02.01.18 GMT",
		"Thu, 18 Aug 2050 02:01:18 GMT x",
		"Xyz, 18 Aug 2050 02:01:18 GMT", // no such day
		"Sat, 31 Feb 2026 10:00:00 GMT", // nor date
		"Thu, 18 Aug 2050 24:01:18 GMT",
	} {
		if got, err := parseDate(s); err == nil {
			t.Errorf("parseDate(%q) = %v, want an error", s, got)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"Thu, 18 Aug 2050 02:01:18 GMT", "Sat, 31 Feb 2026 10:00:00 GMT", "Xyz, 18 Aug 2050 02:01:18 GMT", "Thursday, 18-Aug-50 02:01:18 GMT", "Thu Aug  8 02:01:18 2050", "gMT", " GMT"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDate(s)
		if fast, ok := parseIMFFixdate(s); ok {
			// The fast path agrees with time.Parse, where that takes s.
			if slow, err := parseAnyDate(s); err == nil && !slow.Equal(fast) {
				t.Fatalf("%q: parseIMFFixdate %v, time.Parse %v", s, fast, slow)
			}
		}
		if err != nil {
			return
		}
		// What parses is a date that reads back as itself in IMF-fixdate.
		if again, err := parseDate(d.Format(http.TimeFormat)); err != nil || !again.Equal(d) {
			t.Fatalf("parseDate(%q) = %v, which does not parse back: %v, %v", s, d, again, err)
		}
	})
}
