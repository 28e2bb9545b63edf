package record

import (
	"errors"
	"fmt"
)

// ErrTruncatedBody is what reading a replayed body returns after the bytes
// the cassette holds, when it holds only part of the body: the response
// was longer than Options.MaxBodySize, the caller closed it before the
// end, or a browser exported it without its content. Reading never ends
// short with io.EOF.
var ErrTruncatedBody = errors.New("record: the cassette holds only part of this body")

// ErrClosed is returned by a send through a closed Recorder.
var ErrClosed = errors.New("record: recorder closed")

// NoMatchError is the failure of a request that no recorded entry matches
// in Replay mode. Method and URL are the request's (redacted as the
// cassette would hold them); Closest describes the most similar entry,
// ClosestIndex is its index in the file (-1 when the cassette is empty).
type NoMatchError struct {
	Path         string // the cassette
	Method, URL  string
	ClosestIndex int
	Closest      string // "GET https://… (body differs)"
	Exhausted    bool   // entries matched but were all replayed already
}

func (e *NoMatchError) Error() string {
	msg := fmt.Sprintf("record: no entry of %s matches %s %s", e.Path, e.Method, e.URL)
	switch {
	case e.Exhausted:
		msg += fmt.Sprintf("; its matching entries were all replayed already (the last is entry %d); Options.Repeat lets entries repeat", e.ClosestIndex)
	case e.ClosestIndex < 0:
		msg += "; the cassette has no entries"
	default:
		msg += fmt.Sprintf("; closest is entry %d: %s", e.ClosestIndex, e.Closest)
	}
	return msg
}

// RecordedError is a replayed send that failed when it was recorded (a
// refused connection, a timeout): the cassette holds its message only.
type RecordedError struct {
	Method, URL string
	Message     string
}

func (e *RecordedError) Error() string {
	return fmt.Sprintf("record: %s %s failed when recorded: %s", e.Method, e.URL, e.Message)
}
