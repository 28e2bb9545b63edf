package middleware

import (
	"context"
	"io"
	"sync/atomic"
	"time"

	"github.com/relayhttp/relay/explain"
)

// newTimedBody wraps body so that closing it releases cancel, and so that a
// Read waiting longer than idle (if positive) cancels the request.
func newTimedBody(body io.ReadCloser, cancel context.CancelCauseFunc, idle time.Duration) io.ReadCloser {
	if idle <= 0 {
		return &cancelOnClose{ReadCloser: body, cancel: cancel}
	}
	b := &idleBody{body: body, cancel: cancel, idle: idle,
		err: &TimeoutError{Kind: TimeoutIdleBody, After: idle}}
	b.timer = time.AfterFunc(time.Hour, b.fire)
	b.timer.Stop()
	return b
}

// cancelOnClose releases a request's derived context when its body is
// closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelCauseFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel(nil)
	return err
}

// cancelOnCloseRW is cancelOnClose for the read-write body of a 101
// response.
type cancelOnCloseRW struct {
	io.ReadWriteCloser
	cancel context.CancelCauseFunc
}

func (c *cancelOnCloseRW) Close() error {
	err := c.ReadWriteCloser.Close()
	c.cancel(nil)
	return err
}

// idleBody times each Read of a response body. Its timer runs only while a
// Read is in progress; no goroutine is started.
type idleBody struct {
	body   io.ReadCloser
	cancel context.CancelCauseFunc
	idle   time.Duration
	timer  *time.Timer
	state  atomic.Int32 // idleResting, idleReading or idleFired
	err    *TimeoutError
	trail  *explain.Trail // the call's, noted when the timer fires; nil: none
}

// States of an idleBody. A Read and the timer race for the one switch out of
// idleReading, so exactly one of them decides how that Read ends.
const (
	idleResting int32 = iota // no Read waiting: a late timer does nothing
	idleReading              // a Read is waiting for data, the timer armed
	idleFired                // the timer won: the body is over
)

func (b *idleBody) fire() {
	if b.state.CompareAndSwap(idleReading, idleFired) {
		b.cancel(b.err)
		if b.trail != nil {
			b.trail.Note(timeoutDecision(b.err))
		}
	}
}

func (b *idleBody) Read(p []byte) (int, error) {
	if !b.state.CompareAndSwap(idleResting, idleReading) {
		return 0, b.err // fired before (concurrent Reads are not supported)
	}
	b.timer.Reset(b.idle)
	n, err := b.body.Read(p)
	b.timer.Stop()
	if !b.state.CompareAndSwap(idleReading, idleResting) {
		return n, b.err // the timer fired while this Read waited
	}
	return n, err
}

func (b *idleBody) Close() error {
	b.timer.Stop()
	err := b.body.Close()
	b.cancel(nil)
	return err
}
