package linkheader

import (
	"strings"
	"unicode/utf8"
)

// decodeExtValue decodes an RFC 8187 §3.2 extended value,
//
//	ext-value = charset "'" [ language ] "'" value-chars
//
// to UTF-8. The charset must be UTF-8 or ISO-8859-1, in any case, as RFC 8187
// requires recipients to support; others are not decoded. The language tag,
// if any, is checked for its characters and dropped. A '%' must be followed by
// two hexadecimal digits, and a UTF-8 value must decode to valid UTF-8.
// Characters that RFC 8187 would have percent-encoded are accepted as they
// are, since some senders quote the value instead of encoding it.
func decodeExtValue(v string) (string, bool) {
	i := strings.IndexByte(v, '\'')
	if i < 0 {
		return "", false
	}
	charset, rest := v[:i], v[i+1:]
	j := strings.IndexByte(rest, '\'')
	if j < 0 || !isLanguage(rest[:j]) {
		return "", false
	}
	enc := rest[j+1:]
	var latin1 bool
	switch {
	case strings.EqualFold(charset, "UTF-8"):
	case strings.EqualFold(charset, "ISO-8859-1"):
		latin1 = true
	default:
		return "", false
	}
	if strings.IndexByte(enc, '%') < 0 && isASCII(enc) {
		return enc, true
	}
	var b strings.Builder
	b.Grow(len(enc) + len(enc)/2)
	for k := 0; k < len(enc); k++ {
		c := enc[k]
		if c == '%' {
			if k+2 >= len(enc) {
				return "", false
			}
			hi, ok1 := unhex(enc[k+1])
			lo, ok2 := unhex(enc[k+2])
			if !ok1 || !ok2 {
				return "", false
			}
			c = hi<<4 | lo
			k += 2
		}
		if latin1 && c >= utf8.RuneSelf {
			b.WriteRune(rune(c))
		} else {
			b.WriteByte(c)
		}
	}
	if !latin1 && !utf8.ValidString(b.String()) {
		return "", false
	}
	return b.String(), true
}

// isLanguage reports whether s is made of the characters of an RFC 5646
// language tag (letters, digits and '-'); the empty tag is allowed.
func isLanguage(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// isAttrChar reports whether c may appear in an RFC 8187 value without
// percent-encoding.
func isAttrChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}
