package client

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/relayhttp/relay/explain"
	"github.com/relayhttp/relay/middleware"
)

// send runs req through the stack and reads the body unless asked to stream.
func (s *Session) send(req *http.Request, cfg *requestConfig) (*Response, error) {
	timeout := s.Timeout
	if cfg.timeoutSet {
		timeout = cfg.timeout
	}
	limit := s.MaxBodySize
	if cfg.maxSet {
		limit = cfg.maxBody
	}
	var cancel context.CancelFunc
	if timeout > 0 {
		var ctx context.Context
		ctx, cancel = context.WithTimeout(req.Context(), timeout)
		req = req.WithContext(ctx)
	}
	start := time.Now()
	resp, err := s.roundTrip(req, cfg.merged)
	elapsed := time.Since(start)
	if err != nil {
		if resp != nil && resp.Body != nil {
			_ = resp.Body.Close()
		}
		if cancel != nil {
			noteCallTimeout(req, err, timeout.String())
			cancel()
		}
		return nil, urlError(req.Method, req.URL, err)
	}
	r := &Response{Response: resp, Elapsed: elapsed, limit: limit, trail: explain.From(req.Context())}
	if resp.Request != nil && resp.Request.Response != nil {
		r.History = history(resp)
	}
	if cfg.stream {
		if cancel != nil {
			resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
		}
		return r, nil
	}
	err = r.readBody()
	if cancel != nil {
		cancel()
	}
	if err != nil {
		return nil, urlError(req.Method, req.URL, err)
	}
	return r, nil
}

// cancelOnClose releases a streamed response's timeout when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// history wraps the redirect hops that led to resp; their bodies are closed.
func history(resp *http.Response) []*Response {
	hops := middleware.Hops(resp)
	h := make([]*Response, len(hops))
	for i, hop := range hops {
		h[i] = &Response{Response: hop, read: true}
		h[i].mem.Reset(nil)
		hop.Body = &h[i].mem
	}
	return h
}
