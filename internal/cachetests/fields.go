package cachetests

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The suite's field sets (test-engine/lib/defines.mjs).
var (
	// dateFields take an integer value as seconds from the origin's now.
	dateFields = []string{"date", "expires", "last-modified", "if-modified-since", "if-unmodified-since"}
	// locationFields are made into URLs on the test's path by magic_locations.
	locationFields = []string{"location", "content-location"}
	// noBodyStatus are the statuses the origin sends without a body.
	noBodyStatus = []int{http.StatusNoContent, http.StatusNotModified}
)

// The fields the origin adds to every response, for the runner.
const (
	fieldBaseURL     = "Server-Base-Url"      // the request's path and query
	fieldServerCount = "Server-Request-Count" // how many requests of the test the origin has seen, this one included
	fieldClientCount = "Client-Request-Count" // the Req-Num the request carried
	fieldServerNow   = "Server-Now"           // the origin's now in milliseconds since the epoch
	fieldRequestNums = "Request-Numbers"      // the Req-Num of every request seen, in order
	fieldReqNum      = "Req-Num"              // sent by the runner: which step of the test a request is
)

// httpDate formats the instant delta seconds after nowMillis as an
// IMF-fixdate, or in the obsolete RFC 850 form that some tests ask for
// (lib/utils.mjs httpDate). A nowMillis that did not parse gives "Invalid
// Date", as in JavaScript.
func httpDate(nowMillis int64, ok bool, delta int, rfc850 bool) string {
	if !ok {
		return "Invalid Date"
	}
	t := time.UnixMilli(nowMillis).Add(time.Duration(delta) * time.Second).UTC()
	if rfc850 {
		return t.Format("Monday, 02-Jan-06 15:04:05 GMT")
	}
	return t.Format(http.TimeFormat)
}

// fixup is the suite's fixupHeader: the value of f once its magic is
// applied, given the fields of the response it relates to (for the
// origin, the fields set so far; for the runner, the response received)
// and the step. An integer date field becomes a date relative to that
// response's Server-Now; with magic_locations, Location and
// Content-Location become paths under the response's Server-Base-Url.
func fixup(f field, resp http.Header, s *step) value {
	name := strings.ToLower(f.Name)
	v := f.Value
	if slices.Contains(dateFields, name) && v.IsInt {
		now, err := strconv.ParseInt(firstInt(resp.Get(fieldServerNow)), 10, 64)
		v = value{S: httpDate(now, err == nil, v.N, slices.Contains(s.RFC850Date, name))}
	}
	if slices.Contains(locationFields, name) && s.MagicLocations {
		base := resp.Get(fieldBaseURL)
		if rel := v.String(); rel != "" {
			base += "/" + rel
		}
		v = value{S: base}
	}
	return v
}

// get is what the Fetch API's Headers.get returns: every value of name
// joined by ", ", decoded from the bytes on the wire as Latin-1 (as
// browsers and undici decode them), and whether there was any.
func get(h http.Header, name string) (string, bool) {
	vs := h.Values(name)
	if len(vs) == 0 {
		return "", false
	}
	return fromWire(strings.Join(vs, ", ")), true
}

// toWire encodes s, a value from the suite, as the bytes a JavaScript
// server or client puts on the wire: one byte per code point up to U+00FF
// (Latin-1). Other code points are kept as UTF-8.
func toWire(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r <= 0xFF {
			b.WriteByte(byte(r))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// fromWire decodes bytes read off the wire as Latin-1.
func fromWire(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String()
}

// parseInt is JavaScript's parseInt(s, 10) for the suite's uses: leading
// white space, an optional sign, then the digits that follow; ok is false
// where JavaScript gives NaN.
func parseInt(s string) (n int64, ok bool) {
	n, err := strconv.ParseInt(firstInt(s), 10, 64)
	return n, err == nil
}

// firstInt is the leading integer of s as parseInt reads it, or "".
func firstInt(s string) string {
	s = strings.TrimLeft(s, " \t\n\r\v\f")
	end := 0
	if end < len(s) && (s[end] == '+' || s[end] == '-') {
		end++
	}
	digits := end
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	if end == digits {
		return ""
	}
	return s[:end]
}

// headerList is a response's fields in the order they were first set, with
// the name as first given (Node's OutgoingMessage).
type headerList []sentField

func (l *headerList) add(name, v string) {
	for i := range *l {
		if strings.EqualFold((*l)[i].name, name) {
			(*l)[i].values = append((*l)[i].values, v)
			return
		}
	}
	*l = append(*l, sentField{name: name, values: []string{v}})
}

func (l headerList) values(name string) []string {
	for _, f := range l {
		if strings.EqualFold(f.name, name) {
			return slices.Clone(f.values)
		}
	}
	return nil
}

func (l headerList) header() http.Header {
	h := make(http.Header, len(l))
	for _, f := range l {
		h[http.CanonicalHeaderKey(f.name)] = f.values
	}
	return h
}
