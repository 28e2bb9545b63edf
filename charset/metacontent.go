package charset

// charsetFromMetaContent is the WHATWG "algorithm for extracting a character
// encoding from a meta element" applied to a content attribute.
func charsetFromMetaContent(s string) (string, bool) {
	p := 0
	for {
		i := indexFold(s, p, "charset")
		if i < 0 {
			return "", false
		}
		p = i + len("charset")
		for p < len(s) && isSpaceByte(s[p]) {
			p++
		}
		if p < len(s) && s[p] == '=' {
			break
		}
	}
	p++
	for p < len(s) && isSpaceByte(s[p]) {
		p++
	}
	if p >= len(s) {
		return "", false
	}
	if q := s[p]; q == '"' || q == '\'' {
		end := indexByte(s[p+1:], q)
		if end < 0 {
			return "", false
		}
		return s[p+1 : p+1+end], true
	}
	end := p
	for end < len(s) && !isSpaceByte(s[end]) && s[end] != ';' {
		end++
	}
	return s[p:end], true
}

// indexFold returns the index of the first ASCII case-insensitive match of
// the lower-case word in s at or after p, or -1. The word has no repeated
// prefix, so a failed partial match never needs to back up.
func indexFold(s string, p int, word string) int {
	for i := p; i+len(word) <= len(s); i++ {
		j := 0
		for j < len(word) && lowerByte(s[i+j]) == word[j] {
			j++
		}
		if j == len(word) {
			return i
		}
	}
	return -1
}
