package cache

import (
	"net/http"
	"strings"
	"time"
)

// maxHeuristic bounds a heuristic freshness lifetime: a tenth of the time
// since Last-Modified (RFC 9111 §4.2.2), never more than a day, as most
// caches cap it.
const maxHeuristic = 24 * time.Hour

// heuristicStatuses are the status codes whose responses are heuristically
// cacheable (RFC 9110 §15.1).
var heuristicStatuses = map[int]bool{
	200: true, 203: true, 204: true, 206: true, 300: true, 301: true, 308: true,
	404: true, 405: true, 410: true, 414: true, 501: true,
}

// timing is what the age of a stored response is computed from (RFC 9111
// §4.2.3): when its request was sent and its response received, by the
// cache's clock.
type timing struct {
	requestTime, responseTime time.Time
}

// lifetime returns the freshness lifetime of a response with header h and
// status code status, and whether it was given explicitly (max-age or
// Expires) rather than computed heuristically. A private cache ignores
// s-maxage (RFC 9111 §5.2.2.10). A bad max-age or Expires makes the
// response stale at once.
func lifetime(status int, h http.Header, cc directives, t timing) (time.Duration, bool) {
	if cc.maxAge.set {
		return time.Duration(cc.maxAge.value()) * time.Second, true
	}
	if values := h.Values("Expires"); len(values) > 0 {
		if len(values) > 1 {
			return 0, true // two Expires lines: treat as stale (§4.2.1)
		}
		exp, err := parseDate(values[0])
		if err != nil {
			return 0, true // an invalid date means "already expired" (§5.3)
		}
		return max(0, exp.Sub(dateOf(h, t))), true
	}
	if !heuristicStatuses[status] && !cc.public {
		return 0, false
	}
	lm, err := parseDate(h.Get("Last-Modified"))
	if err != nil {
		return 0, false
	}
	since := dateOf(h, t).Sub(lm)
	if since <= 0 {
		return 0, false
	}
	return min(since/10, maxHeuristic), false
}

// dateOf returns the Date of a response, or the time it was received when
// it has none or an invalid one.
func dateOf(h http.Header, t timing) time.Time {
	if d, err := parseDate(h.Get("Date")); err == nil {
		return d
	}
	return t.responseTime
}

// age returns the current age of a stored response at now (RFC 9111
// §4.2.3), from its Date and Age fields and the times it was requested and
// received.
func age(h http.Header, t timing, now time.Time) time.Duration {
	apparent := max(0, t.responseTime.Sub(dateOf(h, t)))
	var ageValue time.Duration
	// Age is one delta-seconds; of a list (two fields or one field with a
	// comma), the first member counts.
	first, _, _ := strings.Cut(h.Get("Age"), ",")
	if n, ok := parseDelta(strings.TrimSpace(first)); ok {
		ageValue = time.Duration(n) * time.Second
	}
	delay := max(0, t.responseTime.Sub(t.requestTime))
	initial := max(apparent, ageValue+delay)
	return initial + max(0, now.Sub(t.responseTime))
}
