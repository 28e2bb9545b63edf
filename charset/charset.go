package charset

import (
	"bytes"
	"unicode/utf8"
)

// Source tells which step of Determine decided an encoding.
type Source int

// The sources. Determine consults BOM, Header (or UnknownLabel), Prescan,
// MediaTypeDefault and Guess in that order, and falls back to Default; the
// values are not in that order, so that they keep their meaning from one
// release to the next.
const (
	// Default means that nothing decided: the content was empty, had no byte
	// outside ASCII in its sample, looked binary (more than one byte in 32
	// a control character no text holds), or the guess was turned off. The name is
	// then "utf-8", which decodes ASCII exactly.
	Default Source = iota
	// BOM means the content starts with a UTF-8 or UTF-16 byte order mark.
	BOM
	// Header means the charset parameter of the Content-Type header.
	Header
	// MediaTypeDefault means the default of the media type, such as UTF-8
	// for JSON or ISO-8859-1 (windows-1252) for text/*.
	MediaTypeDefault
	// Prescan means an HTML <meta> element or an XML declaration in the
	// first bytes of the content of an HTML or XML media type, or of content
	// whose media type is unknown.
	Prescan
	// Guess means the statistical guess over a sample of the content.
	Guess
	// UnknownLabel means the charset parameter of the Content-Type header
	// names an encoding that neither WHATWG nor Decode knows. The name is then
	// "utf-8", so bytes invalid in UTF-8 decode to U+FFFD, as Requests does
	// (Python's str(content, errors="replace") once the codec lookup fails).
	UnknownLabel
)

// String returns the lower-case name of s, such as "header".
func (s Source) String() string {
	switch s {
	case Default:
		return "default"
	case BOM:
		return "bom"
	case Header:
		return "header"
	case MediaTypeDefault:
		return "media-type-default"
	case Prescan:
		return "prescan"
	case Guess:
		return "guess"
	case UnknownLabel:
		return "unknown-label"
	}
	return "unknown"
}

// Result is the outcome of Determine.
type Result struct {
	// Name is the canonical lower-case WHATWG name of the encoding, such as
	// "utf-8", "windows-1252" or "shift_jis". Decode and NewReader accept it.
	Name string
	// Source is the step that decided.
	Source Source
	// Confidence is 1 when the encoding was declared (BOM, header, prescan,
	// media type default). For a guess it is the probability, between 0
	// and 1, that the guess rather than the best-scoring rival decoding
	// is right: about 0.5 when two decodings that give different text fit
	// the sample equally well, close to 1 when the runner-up fits far worse.
	// It is 0 for Default and UnknownLabel.
	Confidence float64
}

// Default bounds of Options.
const (
	// DefaultPrescanBytes is the length of the prefix searched for a <meta>
	// element or an XML declaration; 1024 is the WHATWG value.
	DefaultPrescanBytes = 1024
	// DefaultSampleBytes is the length of the prefix the guess looks at.
	DefaultSampleBytes = 64 << 10
)

// Options adjusts Determine. The zero value, and a nil *Options, give the
// documented defaults.
type Options struct {
	// ModernTextDefault drops the ISO-8859-1 default of text/* media types
	// without a charset parameter (RFC 2616 §3.7.1, kept by Requests). With it
	// set, such responses go on to the guess, as RFC 7231 §3.1.1.5 lets them
	// (an HTML or XML body has had its prescan before the default either way).
	ModernTextDefault bool
	// NoGuess skips the statistical guess: content that nothing declared is
	// then reported as UTF-8 with Source Default.
	NoGuess bool
	// PrescanBytes bounds the prefix searched for <meta> and the XML
	// declaration; 0 means DefaultPrescanBytes, a negative value disables
	// the prescan.
	PrescanBytes int
	// SampleBytes bounds the prefix the guess looks at; 0 means
	// DefaultSampleBytes.
	SampleBytes int
}

// Determine returns the encoding of a response body whose Content-Type
// header is contentType (all its values joined by commas, or "") and whose
// first bytes are content, with the default Options. See Options.Determine.
func Determine(contentType string, content []byte) Result {
	return (*Options)(nil).Determine(contentType, content)
}

// Determine returns the encoding of a response body, by this precedence,
// which is the WHATWG HTML encoding-sniffing order
// (https://html.spec.whatwg.org/multipage/parsing.html#encoding-sniffing-algorithm:
// BOM, transport-layer charset, prescan, default) with Requests' answers
// where a client that is not a browser needs one:
//
//  1. a UTF-8 or UTF-16 byte order mark at the start of content;
//  2. the charset parameter of contentType, looked up as a WHATWG label, or
//     as a Python or IANA name that Decode knows; a label nobody knows gives
//     "utf-8" with Source UnknownLabel, as Requests falls back to UTF-8;
//  3. for HTML media types (text/html), and for a missing or unparsable
//     contentType, the WHATWG prescan of the first PrescanBytes of content
//     for a <meta> charset or an XML declaration; for XML media types
//     (text/xml, application/xml, */*+xml: MIME Sniffing §4.6), the XML
//     declaration only (XML 1.0 §4.3.3);
//  4. the default of the media type: UTF-8 for application/json and
//     application/*+json, for XML media types (XML 1.0 §4.3.3, RFC 7303)
//     and for text/event-stream (HTML §9.2.5); ISO-8859-1 for other text/*
//     unless ModernTextDefault is set (reported as "windows-1252", the
//     encoding WHATWG maps that label to);
//  5. a statistical guess over the first SampleBytes of content, unless
//     what it would score looks binary (an image, compressed bytes), as
//     charset_normalizer, which Requests asks, then finds nothing either;
//  6. UTF-8.
//
// Determine reads no more than those bounded prefixes, whatever the length of
// content, so calling it costs a small constant. It never fails and never
// panics. A nil o means the defaults.
func (o *Options) Determine(contentType string, content []byte) Result {
	return o.determine(contentType, content, false)
}

// determine is Determine for content that may be only the start of the body:
// more tells that the body goes on after content.
func (o *Options) determine(contentType string, content []byte, more bool) Result {
	ct := parseContentTypeOnce(contentType)
	// Most responses of an API: a Content-Type naming a known charset, and
	// no byte order mark, which would win over it. Nothing else is asked.
	if ct.declared != "" && !mayStartWithBOM(content) {
		return Result{Name: ct.declared, Source: Header, Confidence: 1}
	}
	var opt Options
	if o != nil {
		opt = *o
	}
	if name := bomEncoding(content); name != "" {
		return Result{Name: name, Source: BOM, Confidence: 1}
	}
	if ct.hasCharset {
		if ct.declared != "" {
			return Result{Name: ct.declared, Source: Header, Confidence: 1}
		}
		return Result{Name: "utf-8", Source: UnknownLabel}
	}
	essence := ct.essence
	if n := opt.prescanBytes(); n > 0 {
		var name string
		switch mediaKind(essence) {
		case htmlMedia, unknownMedia:
			name = prescan(prefix(content, n))
		case xmlMedia:
			name = xmlDeclaration(prefix(content, n))
		}
		if name != "" {
			return Result{Name: name, Source: Prescan, Confidence: 1}
		}
	}
	if name := mediaTypeDefault(essence, opt.ModernTextDefault); name != "" {
		return Result{Name: name, Source: MediaTypeDefault, Confidence: 1}
	}
	if !opt.NoGuess {
		n := opt.sampleBytes()
		if name, conf := guess(prefix(content, n), more || len(content) > n); name != "" {
			return Result{Name: name, Source: Guess, Confidence: conf}
		}
	}
	return Result{Name: "utf-8", Source: Default}
}

// prescanBytes returns the length of the prefix the prescan searches, 0 when
// the prescan is off.
func (o *Options) prescanBytes() int {
	switch {
	case o == nil || o.PrescanBytes == 0:
		return DefaultPrescanBytes
	case o.PrescanBytes < 0:
		return 0
	}
	return o.PrescanBytes
}

// sampleBytes returns the length of the prefix the guess looks at.
func (o *Options) sampleBytes() int {
	if o == nil || o.SampleBytes <= 0 {
		return DefaultSampleBytes
	}
	return o.SampleBytes
}

func prefix(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// mayStartWithBOM reports whether content starts with a byte that begins a
// byte order mark.
func mayStartWithBOM(content []byte) bool {
	return len(content) > 0 && (content[0] == 0xEF || content[0] == 0xFE || content[0] == 0xFF)
}

// bomEncoding returns the encoding named by a byte order mark at the start of
// content, or "".
func bomEncoding(content []byte) string {
	switch {
	case bytes.HasPrefix(content, []byte{0xEF, 0xBB, 0xBF}):
		return "utf-8"
	case bytes.HasPrefix(content, []byte{0xFE, 0xFF}):
		return "utf-16be"
	case bytes.HasPrefix(content, []byte{0xFF, 0xFE}):
		return "utf-16le"
	}
	return ""
}

// mediaTypeDefault returns the encoding a media type implies when it has no
// charset parameter, or "".
func mediaTypeDefault(essence string, modern bool) string {
	typ, sub, _ := cutByte(essence, '/')
	switch {
	case essence == "application/json", typ == "application" && hasSuffix(sub, "+json"):
		// RFC 8259 §8.1: JSON exchanged between systems is UTF-8; the media
		// type has no charset parameter.
		return "utf-8"
	case mediaKind(essence) == xmlMedia:
		// XML 1.0 §4.3.3 and Appendix F: an entity without a byte order mark
		// or an encoding declaration is UTF-8, and RFC 7303 §3.2 lets that
		// rule decide when the charset parameter is absent, text/xml
		// included. Requests gives text/xml the text/* default instead.
		return "utf-8"
	case essence == "text/event-stream":
		// HTML §9.2.5: event streams are always UTF-8.
		return "utf-8"
	case typ == "text" && !modern:
		// RFC 2616 §3.7.1, as Requests applies it. WHATWG maps the label
		// ISO-8859-1 to windows-1252, which decodes every byte the same way
		// except 0x80-0x9F, where it gives the characters servers mean.
		return "windows-1252"
	}
	return ""
}

func cutByte(s string, c byte) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func hasSuffix(s, suffix string) bool {
	return len(s) >= len(suffix) && s[len(s)-len(suffix):] == suffix
}

// trimPartialRune drops an incomplete UTF-8 sequence at the end of b.
func trimPartialRune(b []byte) []byte {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}
