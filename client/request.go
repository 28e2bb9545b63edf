package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/cookiejar"
	"github.com/relayhttp/relay/explain"
	"github.com/relayhttp/relay/middleware"
)

// Get sends a GET request. See Do.
func (s *Session) Get(ctx context.Context, url string, opts ...Option) (*Response, error) {
	return s.Do(ctx, http.MethodGet, url, opts...)
}

// Head sends a HEAD request. See Do.
func (s *Session) Head(ctx context.Context, url string, opts ...Option) (*Response, error) {
	return s.Do(ctx, http.MethodHead, url, opts...)
}

// Post sends a POST request; give it a body with JSON, Form, Body, Chunks
// or Multipart. See Do.
func (s *Session) Post(ctx context.Context, url string, opts ...Option) (*Response, error) {
	return s.Do(ctx, http.MethodPost, url, opts...)
}

// Put sends a PUT request. See Do.
func (s *Session) Put(ctx context.Context, url string, opts ...Option) (*Response, error) {
	return s.Do(ctx, http.MethodPut, url, opts...)
}

// Patch sends a PATCH request. See Do.
func (s *Session) Patch(ctx context.Context, url string, opts ...Option) (*Response, error) {
	return s.Do(ctx, http.MethodPatch, url, opts...)
}

// Delete sends a DELETE request. See Do.
func (s *Session) Delete(ctx context.Context, url string, opts ...Option) (*Response, error) {
	return s.Do(ctx, http.MethodDelete, url, opts...)
}

// Options sends an OPTIONS request. See Do.
func (s *Session) Options(ctx context.Context, url string, opts ...Option) (*Response, error) {
	return s.Do(ctx, http.MethodOptions, url, opts...)
}

// Do sends a request and returns its response.
//
// Unless Stream is given, the body is read up front (up to the session's
// MaxBodySize) and the connection released, so the caller need not close
// anything. An error means no usable response: a bad URL, method or header
// (reported before anything is dialled), a transport failure, or a body
// over the cap (ErrBodyTooLarge). A 4xx or 5xx status is not an error here:
// ask Response.Err for one.
func (s *Session) Do(ctx context.Context, method, url string, opts ...Option) (*Response, error) {
	var cfg requestConfig
	req, err := s.newRequest(ctx, method, url, &cfg, opts)
	if err != nil {
		return nil, err
	}
	return s.send(req, &cfg)
}

// Prepare builds the request Do would send, with the session's headers and
// params already merged, and does not send it. The caller may change it — a
// header deleted from it stays deleted — and send it with Send. Options that
// shape the response (Stream, Timeout, MaxBodySize) are remembered in the
// request's context for Send.
func (s *Session) Prepare(ctx context.Context, method, url string, opts ...Option) (*http.Request, error) {
	var cfg requestConfig
	req, err := s.newRequest(ctx, method, url, &cfg, opts)
	if err != nil {
		return nil, err
	}
	// The marker keeps the stack from merging the defaults again, also when
	// the request is sent through Client.
	ctx = middleware.WithDefaultsMerged(context.WithValue(req.Context(), readKey{}, cfg.read()))
	return req.WithContext(ctx), nil
}

// Send sends a request built by Prepare, or any *http.Request (whose missing
// session headers and params are then merged by the stack, as for requests
// made through Client). opts may add response options (Stream, Timeout,
// MaxBodySize) and request options; those that change the request apply to a
// copy, never to req.
func (s *Session) Send(req *http.Request, opts ...Option) (*Response, error) {
	var cfg requestConfig
	if prepared, ok := req.Context().Value(readKey{}).(readConfig); ok {
		cfg.stream, cfg.timeout, cfg.timeoutSet = prepared.stream, prepared.timeout, prepared.timeoutSet
		cfg.maxBody, cfg.maxSet = prepared.maxBody, prepared.maxSet
	}
	for _, o := range opts {
		o.apply(&cfg)
	}
	cfg.fail(cfg.checkRoute())
	if cfg.err != nil {
		middleware.CloseRequestBody(req)
		return nil, cfg.err
	}
	if cfg.shapesRequest() {
		req = req.Clone(cfg.context(req.Context()))
		if err := cfg.shape(req); err != nil {
			middleware.CloseRequestBody(req)
			return nil, err
		}
	}
	if ctx, trail := s.explainContext(req.Context(), &cfg); trail != nil && ctx != req.Context() {
		req = req.WithContext(ctx)
	}
	req = urlCredentials(req)
	if err := validate(req); err != nil {
		middleware.CloseRequestBody(req)
		return nil, err
	}
	return s.send(req, &cfg)
}

// urlCredentials turns https://user:pass@host/ into Basic auth for that
// origin (auth.FromURL), so that the userinfo never reaches the request line,
// a Referer, a log or an error. A request without userinfo is returned as it
// is; otherwise a shallow copy, so the caller's request is not modified.
func urlCredentials(req *http.Request) *http.Request {
	if req.URL.User == nil {
		return req
	}
	a, clean := auth.FromURL(req.URL)
	ctx := req.Context()
	if a != nil {
		ctx = auth.NewURLContext(ctx, a)
	}
	req = req.WithContext(ctx)
	req.URL = clean
	return req
}

// readKey carries a prepared request's response options to Send.
type readKey struct{}

// readConfig is the part of a requestConfig that concerns the response.
type readConfig struct {
	stream     bool
	timeout    time.Duration
	timeoutSet bool
	maxBody    int64
	maxSet     bool
}

func (c *requestConfig) read() readConfig {
	return readConfig{c.stream, c.timeout, c.timeoutSet, c.maxBody, c.maxSet}
}

// newRequest applies opts and builds a request the session owns, defaults
// merged.
func (s *Session) newRequest(ctx context.Context, method, rawURL string, cfg *requestConfig, opts []Option) (*http.Request, error) {
	for _, o := range opts {
		o.apply(cfg)
	}
	cfg.fail(cfg.checkRoute())
	if cfg.err != nil {
		closeSpec(cfg.body)
		return nil, cfg.err
	}
	if ctx == nil {
		closeSpec(cfg.body)
		return nil, errors.New("client: nil Context")
	}
	ctx = cfg.context(ctx)
	ctx, trail := s.explainContext(ctx, cfg)
	req, err := http.NewRequestWithContext(ctx, method, rawURL, nil)
	if err != nil {
		closeSpec(cfg.body)
		return nil, fmt.Errorf("client: %w", redactParseError(err, rawURL))
	}
	req = urlCredentials(req)
	if err := cfg.shape(req); err != nil {
		closeSpec(cfg.body)
		return nil, err
	}
	if trail != nil {
		s.noteOptions(trail, cfg)
	}
	middleware.MergeDefaults(req, s.Headers, s.Params)
	cfg.merged = true
	if err := validate(req); err != nil {
		middleware.CloseRequestBody(req)
		return nil, err
	}
	return req, nil
}

// shapesRequest reports whether the options change the request itself, not
// only how its response is read.
func (c *requestConfig) shapesRequest() bool {
	return c.header != nil || c.params != nil || c.body != nil || len(c.without) > 0 ||
		c.raw || c.authSet || c.noRedir || c.maxRedirSet || c.routeSet || len(c.cookies) > 0 || c.timeoutsSet || c.retrySet || len(c.hooks) > 0
}

// context adds the per-request settings the middlewares read.
func (c *requestConfig) context(ctx context.Context) context.Context {
	if len(c.without) > 0 {
		ctx = middleware.WithoutHeaders(ctx, c.without...)
	}
	if c.raw {
		ctx = middleware.WithRawBody(ctx)
	}
	if c.authSet {
		ctx = auth.NewContext(ctx, c.auth)
	}
	if c.noRedir {
		ctx = middleware.WithoutRedirects(ctx)
	}
	if c.routeSet {
		ctx = middleware.WithRoute(ctx, c.route)
	}
	if len(c.cookies) > 0 {
		ctx = cookiejar.WithCookies(ctx, c.cookies...)
	}
	if c.timeoutsSet {
		ctx = middleware.WithTimeouts(ctx, c.timeouts)
	}
	if c.retrySet {
		ctx = middleware.WithRetry(ctx, *c.retry)
	}
	for _, set := range c.hooks {
		ctx = set(ctx)
	}
	if c.maxRedirSet {
		ctx = middleware.WithMaxRedirects(ctx, c.maxRedir)
	}
	return ctx
}

// shape writes the options' headers, params and body into req, which the
// caller owns.
func (c *requestConfig) shape(req *http.Request) error {
	for name, values := range c.header {
		req.Header[name] = values
	}
	if len(c.params) > 0 {
		enc := c.params.Encode()
		if req.URL.RawQuery == "" {
			req.URL.RawQuery = enc
		} else {
			req.URL.RawQuery = strings.TrimSuffix(req.URL.RawQuery, "&") + "&" + enc
		}
	}
	if b := c.body; b != nil {
		middleware.CloseRequestBody(req) // a body Send's options replace
		if b.length == 0 {
			_ = b.body.Close()
			req.Body, req.ContentLength = http.NoBody, 0
			req.GetBody = func() (io.ReadCloser, error) { return http.NoBody, nil }
		} else {
			req.Body, req.GetBody, req.ContentLength = b.body, b.getBody, b.length
		}
		if b.contentType != "" && req.Header.Get("Content-Type") == "" {
			req.Header.Set("Content-Type", b.contentType)
		}
	}
	return nil
}

func closeSpec(b *bodySpec) {
	if b != nil && b.body != nil {
		_ = b.body.Close()
	}
}

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

// redactParseError keeps a password in an unparsable URL out of the error.
func redactParseError(err error, rawURL string) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = redactRaw(rawURL)
	}
	return err
}

// redactRaw drops the userinfo of a URL string that url.Parse rejected.
func redactRaw(raw string) string {
	i := strings.Index(raw, "://")
	if i < 0 {
		return raw
	}
	rest := raw[i+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return raw
	}
	return raw[:i+3] + rest[at+1:] // no userinfo at all, as in every error
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
