package charset

// This file implements the WHATWG "get an XML encoding" algorithm
// (https://html.spec.whatwg.org/multipage/parsing.html#concept-get-xml-encoding-when-sniffing),
// which the prescan of HTML starts with and which is all the prescan of XML
// media types does. It is linear in the length of the prefix.

// xmlDeclaration returns the canonical name of the encoding that an XML
// declaration at the very start of b declares, or "". XML 1.0 §4.3.3 allows
// nothing before the declaration but a byte order mark, which Determine has
// handled already.
func xmlDeclaration(b []byte) string {
	if !hasPrefixFold(b, "<?xml") {
		return ""
	}
	return xmlEncoding(b)
}

// xmlEncoding is the WHATWG "get an XML encoding" algorithm: the encoding
// label of an XML declaration at the start of b, as a canonical name, or "".
func xmlEncoding(b []byte) string {
	end := indexFrom(b, 0, '>')
	if end < 0 {
		return ""
	}
	decl := string(b[:end])
	i := indexFold(decl, 0, "encoding")
	if i < 0 {
		return ""
	}
	p := i + len("encoding")
	for p < len(decl) && decl[p] <= 0x20 {
		p++
	}
	if p >= len(decl) || decl[p] != '=' {
		return ""
	}
	p++
	for p < len(decl) && decl[p] <= 0x20 {
		p++
	}
	if p >= len(decl) || decl[p] != '"' && decl[p] != '\'' {
		return ""
	}
	q := decl[p]
	p++
	close := indexByte(decl[p:], q)
	if close < 0 {
		return ""
	}
	label := decl[p : p+close]
	for i := 0; i < len(label); i++ {
		if label[i] <= 0x20 {
			return ""
		}
	}
	name := lookupWHATWG(label)
	if name == "utf-16be" || name == "utf-16le" {
		name = "utf-8"
	}
	return name
}
