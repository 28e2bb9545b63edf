package charset

import (
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// lookupWHATWG returns the canonical WHATWG name of the encoding a label
// names (https://encoding.spec.whatwg.org/#names-and-labels), or "" for a
// label WHATWG does not know. Case and surrounding whitespace are ignored.
func lookupWHATWG(label string) string {
	e, err := htmlindex.Get(label)
	if err != nil {
		return ""
	}
	name, err := htmlindex.Name(e)
	if err != nil {
		return ""
	}
	return name
}

// headerEncoding returns the canonical name of the encoding that the
// charset parameter label names, or "" when Decode does not know it. The name
// is the WHATWG one when WHATWG has the encoding, else the lower-case IANA
// name, which Decode accepts as well.
func headerEncoding(label string) string {
	if equalFoldASCII(label, "utf-8") {
		return "utf-8" // most responses: no index lookup
	}
	if name := lookupWHATWG(label); name != "" {
		return name
	}
	e := lookup(label)
	if e == nil {
		return ""
	}
	if name, err := htmlindex.Name(e); err == nil {
		return name
	}
	if name, err := ianaindex.IANA.Name(e); err == nil {
		return strings.ToLower(name)
	}
	return ""
}

// aliases maps names that WHATWG does not list but that users coming from
// Python or from IANA registries write, to a WHATWG label.
var aliases = map[string]string{
	"cp932":     "shift_jis",
	"ms932":     "shift_jis",
	"sjis":      "shift_jis",
	"cp936":     "gbk",
	"cp949":     "euc-kr",
	"uhc":       "euc-kr",
	"cp950":     "big5",
	"big5hkscs": "big5",
	"latin-1":   "latin1",
	"utf8-sig":  "utf-8",
	"utf-8-sig": "utf-8",
	"utf-16-le": "utf-16le",
	"utf-16-be": "utf-16be",
	"cp20866":   "koi8-r",
	"cp28591":   "windows-1252",
	"cp65001":   "utf-8",
}

// lookup returns the encoding a name denotes, or nil. It accepts WHATWG
// labels, the Python spellings in aliases (with "_" for "-" and cpNNNN for
// windows-NNNN), and IANA names and aliases that golang.org/x/text supports.
func lookup(name string) encoding.Encoding {
	if e, err := htmlindex.Get(name); err == nil {
		return e
	}
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.ReplaceAll(n, "_", "-")
	if a, ok := aliases[n]; ok {
		n = a
	} else if strings.HasPrefix(n, "cp125") && len(n) == 6 {
		n = "windows-" + n[2:]
	}
	if e, err := htmlindex.Get(n); err == nil {
		return e
	}
	if e, err := ianaindex.IANA.Encoding(name); err == nil && e != nil {
		// An IANA alias of a name WHATWG knows means what WHATWG makes of
		// that name: "us" decodes as "us-ascii" does, as windows-1252.
		if n, err := ianaindex.IANA.Name(e); err == nil {
			if w, err := htmlindex.Get(n); err == nil {
				return w
			}
		}
		return e
	}
	return nil
}

// decoder returns a transformer that decodes from the named encoding to
// UTF-8 and drops a leading byte order mark of that encoding; unknown names
// give the UTF-8 decoder.
func decoder(name string) transform.Transformer {
	e := lookup(name)
	switch e {
	case nil, encoding.Nop, unicode.UTF8, unicode.UTF8BOM:
		return unicode.UTF8BOM.NewDecoder()
	case unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM):
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
	case unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM):
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder()
	}
	return e.NewDecoder()
}

// isUTF8 reports whether name denotes UTF-8 or is unknown, the two cases
// Decode handles without a transformer when content is valid.
func isUTF8(name string) bool {
	switch e := lookup(name); e {
	case nil, encoding.Nop, unicode.UTF8, unicode.UTF8BOM:
		return true
	}
	return false
}

// Decode returns content decoded from the named encoding to UTF-8. It never
// fails: an unknown or unsupported name decodes as UTF-8, and bytes invalid
// in the encoding become U+FFFD. A leading byte order mark of the named
// encoding is dropped; Decode does not sniff a byte order mark of another
// encoding (Determine does, before anything else).
//
// The name may be a WHATWG label (as Determine returns), a Python codec name
// such as "cp1252" or "latin_1", or an IANA name. As WHATWG specifies,
// "iso-8859-1", "latin1" and "ascii" decode as windows-1252, and the labels
// of the "replacement" encoding (such as "iso-2022-kr") decode any non-empty
// content to a single U+FFFD.
func Decode(content []byte, name string) string {
	if isUTF8(name) {
		content = trimUTF8BOM(content)
		if utf8.Valid(content) {
			return string(content)
		}
	}
	if cm, ok := lookup(name).(*charmap.Charmap); ok {
		return decodeSingleByte(content, cm)
	}
	out, _, err := transform.Bytes(decoder(name), content)
	if err != nil {
		// The decoders of golang.org/x/text replace what they cannot decode;
		// this is a belt for a transformer that reports an error anyway.
		return strings.ToValidUTF8(string(content), "\uFFFD")
	}
	return string(out)
}

// decodeSingleByte decodes content with a byte-to-character table, in one
// pass over content to size the output.
func decodeSingleByte(content []byte, cm *charmap.Charmap) string {
	var enc [128][utf8.UTFMax]byte
	var size [128]int
	for i := range enc {
		size[i] = utf8.EncodeRune(enc[i][:], cm.DecodeByte(byte(0x80+i)))
	}
	n := 0
	for _, c := range content {
		if c < 0x80 {
			n++
		} else {
			n += size[c-0x80]
		}
	}
	out := make([]byte, n)
	w := 0
	for _, c := range content {
		if c < 0x80 {
			out[w] = c
			w++
			continue
		}
		e := &enc[c-0x80]
		switch size[c-0x80] {
		case 2:
			out[w], out[w+1] = e[0], e[1]
			w += 2
		case 3:
			out[w], out[w+1], out[w+2] = e[0], e[1], e[2]
			w += 3
		default:
			w += copy(out[w:], e[:size[c-0x80]])
		}
	}
	return string(out)
}

func trimUTF8BOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return b[3:]
	}
	return b
}

// NewReader returns a reader that decodes r from the named encoding to
// UTF-8 as it is read, with the rules of Decode: it never fails on bad
// input, only passes on r's errors. It reads r in small chunks and keeps
// no more than a few KiB buffered, so it suits line-by-line and chunked
// reading of large or endless bodies.
func NewReader(r io.Reader, name string) io.Reader {
	return transform.NewReader(r, decoder(name))
}
