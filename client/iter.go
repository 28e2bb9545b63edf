package client

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
)

// MaxLineLength bounds a line of Lines: a longer one ends the iteration
// with ErrLineTooLong, so a body without newlines cannot exhaust memory.
const MaxLineLength = 1 << 20

// ErrLineTooLong is yielded by Lines for a line over its limit.
var ErrLineTooLong = errors.New("line too long")

// Lines iterates over the body line by line, without the line ending ("\n"
// or "\r\n", also when the two bytes arrive in different reads). A last line
// without an ending is yielded too. Lines of more than MaxLineLength bytes
// end the iteration with ErrLineTooLong; LinesLimit sets another bound.
//
// A yielded slice is valid until the next iteration; copy it to keep it.
// The body is closed when the loop ends, by exhaustion, error or break.
func (r *Response) Lines() iter.Seq2[[]byte, error] {
	return r.LinesLimit(MaxLineLength)
}

// LinesLimit is Lines with lines bounded to max bytes.
func (r *Response) LinesLimit(max int) iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		body := r.Body
		defer body.Close()
		br := bufio.NewReaderSize(body, min(max+2, 64<<10))
		var long []byte // a line longer than br's buffer, gathered here
		for {
			frag, err := br.ReadSlice('\n')
			if err == bufio.ErrBufferFull {
				long = append(long, frag...)
				if len(long) > max+1 { // +1: a '\r' that the '\n' may still follow
					yield(nil, r.wrap(fmt.Errorf("%w: more than %d bytes", ErrLineTooLong, max)))
					return
				}
				continue
			}
			line := frag
			if long != nil {
				long = append(long, frag...)
				line, long = long, nil
			}
			if err != nil && err != io.EOF {
				yield(nil, r.wrap(err))
				return
			}
			if err == io.EOF && len(line) == 0 {
				return
			}
			line = bytes.TrimSuffix(line, []byte("\n"))
			if err == nil {
				line = bytes.TrimSuffix(line, []byte("\r"))
			}
			if len(line) > max {
				yield(nil, r.wrap(fmt.Errorf("%w: more than %d bytes", ErrLineTooLong, max)))
				return
			}
			if !yield(line, nil) || err == io.EOF {
				return
			}
		}
	}
}

// Chunks iterates over the body in chunks of size bytes (the last may be
// shorter), reading each chunk in full before yielding it, like Requests'
// iter_content. A yielded slice is valid until the next iteration. The body
// is closed when the loop ends, by exhaustion, error or break. A size below
// 1 means 32 KiB.
func (r *Response) Chunks(size int) iter.Seq2[[]byte, error] {
	if size < 1 {
		size = 32 << 10
	}
	return func(yield func([]byte, error) bool) {
		body := r.Body
		defer body.Close()
		buf := make([]byte, size)
		for {
			n, err := io.ReadFull(body, buf)
			if n > 0 && !yield(buf[:n], nil) {
				return
			}
			switch err {
			case nil:
				continue
			case io.EOF, io.ErrUnexpectedEOF:
				return
			default:
				yield(nil, r.wrap(err))
				return
			}
		}
	}
}
