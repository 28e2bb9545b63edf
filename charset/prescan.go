package charset

// This file implements the WHATWG "prescan a byte stream to determine its
// encoding" algorithm
// (https://html.spec.whatwg.org/multipage/parsing.html#prescan-a-byte-stream-to-determine-its-encoding);
// xmldecl.go has the "get an XML encoding" algorithm it starts with. Each
// byte of the prefix is visited a bounded number of times, so the prescan is
// linear in the length of the prefix.

// prescan returns the canonical name of the encoding that a <meta> element or
// an XML declaration in b declares, or "".
func prescan(b []byte) string {
	if name := xmlDeclaration(b); name != "" {
		return name
	}
	return metaPrescan(b)
}

func isSpaceByte(c byte) bool {
	return c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D || c == 0x20
}

func isASCIILetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func hasPrefixFold(b []byte, p string) bool {
	if len(b) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if lowerByte(b[i]) != p[i] {
			return false
		}
	}
	return true
}

// indexFrom returns the index of the first c in b at or after i, or -1.
func indexFrom(b []byte, i int, c byte) int {
	for ; i < len(b); i++ {
		if b[i] == c {
			return i
		}
	}
	return -1
}

// metaPrescan runs the WHATWG prescan over b.
func metaPrescan(b []byte) string {
	p := 0
	for p < len(b) {
		switch {
		case hasPrefixFold(b[p:], "<!--"):
			// Skip to the first "-->"; the dashes of "<!--" may be its
			// dashes, so "<!-->" is a whole comment.
			q := p + 2
			for {
				q = indexFrom(b, q, '>')
				if q < 0 {
					return ""
				}
				if b[q-1] == '-' && b[q-2] == '-' {
					break
				}
				q++
			}
			p = q + 1
		case hasPrefixFold(b[p:], "<meta") && len(b) > p+5 && (isSpaceByte(b[p+5]) || b[p+5] == '/'):
			p += 6
			name, next, ok := metaElement(b, p)
			if !ok {
				return ""
			}
			if name != "" {
				return name
			}
			p = next
		case p+1 < len(b) && b[p] == '<' && (isASCIILetter(b[p+1]) || b[p+1] == '/' && p+2 < len(b) && isASCIILetter(b[p+2])):
			// A start or end tag: skip its name and attributes.
			for p < len(b) && !isSpaceByte(b[p]) && b[p] != '>' {
				p++
			}
			for {
				var found, ok bool
				_, _, p, found, ok = getAttribute(b, p)
				if !ok {
					return ""
				}
				if !found {
					break
				}
			}
			p++
		case hasPrefixFold(b[p:], "<!") || hasPrefixFold(b[p:], "</") || hasPrefixFold(b[p:], "<?"):
			q := indexFrom(b, p+2, '>')
			if q < 0 {
				return ""
			}
			p = q + 1
		default:
			p++
		}
	}
	return ""
}

// metaElement processes the attributes of a <meta> element starting at p. It
// returns the declared encoding ("" when the element declares none) and the
// position after the element; ok is false when the prefix ended inside it.
func metaElement(b []byte, p int) (name string, next int, ok bool) {
	var seen [3]bool // http-equiv, content, charset
	gotPragma := false
	needPragma := 0 // 0 unset, 1 true, 2 false
	charset := ""
	for {
		var key, val string
		var found bool
		key, val, p, found, ok = getAttribute(b, p)
		if !ok {
			return "", p, false
		}
		if !found {
			break
		}
		switch key {
		case "http-equiv":
			if seen[0] {
				continue
			}
			seen[0] = true
			if val == "content-type" {
				gotPragma = true
			}
		case "content":
			if seen[1] {
				continue
			}
			seen[1] = true
			if charset == "" {
				if label, found := charsetFromMetaContent(val); found {
					if n := lookupWHATWG(label); n != "" {
						charset = n
						needPragma = 1
					}
				}
			}
		case "charset":
			if seen[2] {
				continue
			}
			seen[2] = true
			charset = lookupWHATWG(val)
			needPragma = 2
		}
	}
	p++ // past the '>' or the byte that ended the attributes
	if needPragma == 0 || needPragma == 1 && !gotPragma || charset == "" {
		return "", p, true
	}
	switch charset {
	case "utf-16be", "utf-16le":
		charset = "utf-8"
	case "x-user-defined":
		charset = "windows-1252"
	}
	return charset, p, true
}

// getAttribute is the WHATWG "get an attribute" algorithm. It returns the
// attribute's lower-cased name and value and the position after it; found is
// false at the '>' that ends the tag; ok is false when b ended first.
func getAttribute(b []byte, p int) (key, val string, next int, found, ok bool) {
	for p < len(b) && (isSpaceByte(b[p]) || b[p] == '/') {
		p++
	}
	if p >= len(b) {
		return "", "", p, false, false
	}
	if b[p] == '>' {
		return "", "", p, false, true
	}
	var name, value []byte
	// The attribute name.
	for {
		if p >= len(b) {
			return "", "", p, false, false
		}
		c := b[p]
		if c == '=' && len(name) > 0 {
			p++
			goto value
		}
		if isSpaceByte(c) {
			break
		}
		if c == '/' || c == '>' {
			return string(name), "", p, true, true
		}
		name = append(name, lowerByte(c))
		p++
	}
	// Spaces between the name and a possible '='.
	for p < len(b) && isSpaceByte(b[p]) {
		p++
	}
	if p >= len(b) {
		return "", "", p, false, false
	}
	if b[p] != '=' {
		return string(name), "", p, true, true
	}
	p++
value:
	for p < len(b) && isSpaceByte(b[p]) {
		p++
	}
	if p >= len(b) {
		return "", "", p, false, false
	}
	if q := b[p]; q == '"' || q == '\'' {
		for p++; ; p++ {
			if p >= len(b) {
				return "", "", p, false, false
			}
			if b[p] == q {
				return string(name), string(value), p + 1, true, true
			}
			value = append(value, lowerByte(b[p]))
		}
	}
	if b[p] == '>' {
		return string(name), "", p, true, true
	}
	for {
		if p >= len(b) {
			return "", "", p, false, false
		}
		c := b[p]
		if isSpaceByte(c) || c == '>' {
			return string(name), string(value), p, true, true
		}
		value = append(value, lowerByte(c))
		p++
	}
}
