package charset

import "bufio"

// Peek returns the encoding of the body that br reads, with the default
// Options. See Options.Peek.
func Peek(contentType string, br *bufio.Reader) Result {
	return (*Options)(nil).Peek(contentType, br)
}

// Peek returns the encoding of the body that br reads, by Determine's
// precedence, for a body that is still arriving. It consumes nothing: the
// bytes it looks at stay buffered in br for the next Read.
//
// It peeks at no more of the body than the precedence needs, so that a live
// stream is not held up longer than necessary: the first 3 bytes when a byte
// order mark or the charset parameter decides, or when the media type has a
// default and no in-body declaration (text/plain, JSON); PrescanBytes for an
// HTML or XML media type, as a browser waits for the prescan's 1024 bytes;
// SampleBytes+1 when only the guess can decide. Each Peek waits until that
// many bytes have arrived, the body ends, or br's reader fails.
//
// With a buffer of at least SampleBytes+1 bytes (bufio.NewReaderSize), Peek
// returns what Determine returns for the whole body; a smaller buffer bounds
// the prefix further. A read error ends the prefix where it occurred;
// bufio.Reader then returns it from a later Read if the reader reports it
// again, as net/http bodies do.
func (o *Options) Peek(contentType string, br *bufio.Reader) Result {
	peek := func(n int) ([]byte, bool) {
		b, err := br.Peek(min(n, br.Size()))
		return b, err == nil // false: the body ended (or failed) within n bytes
	}
	head, more := peek(3)
	r := o.determine(contentType, head, more)
	switch r.Source {
	case BOM, Header, UnknownLabel:
		return r
	}
	if !more {
		return r
	}
	essence, _, _ := parseContentType(contentType)
	if n := o.prescanBytes(); n > 0 && mediaKind(essence) != otherMedia {
		head, more = peek(n)
		r = o.determine(contentType, head, more)
		if !more || r.Source == Prescan {
			return r
		}
	}
	if r.Source == MediaTypeDefault {
		return r
	}
	if o == nil || !o.NoGuess {
		head, more = peek(o.sampleBytes() + 1)
		r = o.determine(contentType, head, more)
	}
	return r
}
