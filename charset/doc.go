// Package charset finds out which character encoding a response body is in and
// decodes it to UTF-8.
//
// An HTTP client that offers a Text method must answer a question the
// protocol leaves open: the Content-Type header may name a charset, may
// name none, or may name one the body contradicts, and a large part of the
// web still serves legacy encodings without declaring them. Requests answers
// it with a substring test and a statistical guess that can take seconds
// and runs again on every call; browsers answer it with the WHATWG
// encoding-sniffing rules. This package follows the browsers' precedence,
// keeps Requests' ISO-8859-1 default for text/* (Options.ModernTextDefault
// drops it, as browsers do), bounds
// every step by the size of a prefix so that detection never costs more than
// a small constant, and replaces Requests' guess with a faster and more
// accurate one.
//
// Determine decides for a body in memory, Peek for one still arriving;
// Decode and NewReader decode and never fail: an unknown or unsupported
// encoding name falls back to UTF-8 with U+FFFD for invalid bytes.
//
// The precedence, the defaults and the limits of the guess are described in
// docs/charset.md.
package charset
