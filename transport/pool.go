package transport

import (
	"io"
	"net/http"
	"sync/atomic"

	"github.com/relayhttp/relay/middleware"
)

// pool is one route's transport.
type pool struct {
	owner     *pools
	key       routeKey
	route     middleware.Route // what it was built from, for rebuilding
	t         *http.Transport
	files     []watchedFile // nil: none to watch
	nextCheck atomic.Int64
	lastUsed  atomic.Int64
	inflight  atomic.Int64
	retired   atomic.Bool
}

func (pl *pool) roundTrip(req *http.Request) (*http.Response, error) {
	pl.inflight.Add(1)
	resp, err := pl.t.RoundTrip(req)
	if err != nil || resp.StatusCode == http.StatusSwitchingProtocols {
		// A 101's connection belongs to its caller now, not to the pool.
		pl.done()
		return resp, err
	}
	resp.Body = &inflightBody{ReadCloser: resp.Body, pl: pl}
	return resp, nil
}

// done ends one request in flight; the last one on a retired pool closes
// the connections it leaves idle.
func (pl *pool) done() {
	if pl.inflight.Add(-1) == 0 && pl.retired.Load() {
		pl.t.CloseIdleConnections()
		pl.owner.forget(pl)
	}
}

// inflightBody ends its request's time in flight when it is read to the end
// or closed, whichever comes first.
type inflightBody struct {
	io.ReadCloser
	pl   *pool
	over atomic.Bool
}

func (b *inflightBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.finish()
	}
	return n, err
}

func (b *inflightBody) Close() error {
	err := b.ReadCloser.Close()
	b.finish()
	return err
}

func (b *inflightBody) finish() {
	if b.over.CompareAndSwap(false, true) {
		b.pl.done()
	}
}
