package cache

import (
	"errors"
	"strings"
	"time"
)

// dateLayouts are the three forms of an HTTP date a recipient must accept
// (RFC 9110 §5.6.7): IMF-fixdate, then the obsolete RFC 850 and asctime.
var dateLayouts = []string{time.RFC1123, "Monday, 02-Jan-06 15:04:05 MST", time.ANSIC}

var errBadDate = errors.New("cache: not an HTTP date")

// parseDate parses an HTTP date strictly. time.Parse alone is lenient where
// a cache must not be: it takes a run of spaces for one and a one-digit
// hour, and a cache that reads such an Expires as a date in the future
// serves a response the origin meant to be stale (RFC 9111 §5.3: an invalid
// date is in the past). A date is taken only when formatting it again
// gives back the same text, but for the case of names.
func parseDate(s string) (time.Time, error) {
	if n := len(s); n > 4 && strings.EqualFold(s[n-4:], " GMT") {
		s = s[:n-3] + "GMT" // time.Parse takes a zone in capitals only
	}
	for _, layout := range dateLayouts {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		if layout == time.RFC1123 && !strings.HasSuffix(s, " GMT") {
			continue // IMF-fixdate is always in GMT
		}
		if strings.EqualFold(afterWeekday(t.Format(layout)), afterWeekday(s)) {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errBadDate
}

// afterWeekday returns an HTTP date without its day of the week.
func afterWeekday(s string) string {
	_, rest, _ := strings.Cut(s, " ")
	return rest
}
