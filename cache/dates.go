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
	if t, ok := parseIMFFixdate(s); ok {
		return t, nil // the form every current server sends, without allocating
	}
	return parseAnyDate(s)
}

// parseAnyDate is parseDate by time.Parse, in each of the three forms.
func parseAnyDate(s string) (time.Time, error) {
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

var weekdays = [7]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

var months = [12]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// parseIMFFixdate parses "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110
// §5.6.7), names in any case, the day of the week unchecked, field by
// field at fixed places; it reports false for anything else, which
// parseDate then tries in the other forms.
func parseIMFFixdate(s string) (time.Time, bool) {
	if len(s) != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
		s[19] != ':' || s[22] != ':' || s[25] != ' ' || !strings.EqualFold(s[26:], "GMT") {
		return time.Time{}, false
	}
	weekday := false
	for _, d := range weekdays {
		weekday = weekday || strings.EqualFold(s[:3], d)
	}
	month := -1
	for i, m := range months {
		if strings.EqualFold(s[8:11], m) {
			month = i + 1
		}
	}
	day, ok1 := digits(s[5:7])
	year, ok2 := digits(s[12:16])
	hour, ok3 := digits(s[17:19])
	minute, ok4 := digits(s[20:22])
	sec, ok5 := digits(s[23:25])
	if !weekday || month < 0 || !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || hour > 23 || minute > 59 || sec > 60 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, min(sec, 59), 0, time.UTC)
	if t.Day() != day {
		return time.Time{}, false // 31 Feb and its like
	}
	return t, true
}

// digits parses a field of decimal digits only.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}
