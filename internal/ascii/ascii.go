// Package ascii holds the small ASCII helpers that relay's header parsers
// (charset, linkheader) share. Header syntax is ASCII: these never touch
// other bytes, where strings.ToLower and strings.EqualFold would disagree
// with one another ("İ").
package ascii

// Lower returns s with its ASCII letters lower-cased, s itself when it has
// none to change.
func Lower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
