package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/internal/relayctx"
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
	cfg := getConfig()
	defer putConfig(cfg)
	req, err := s.newRequest(ctx, method, url, cfg, opts)
	if err != nil {
		return nil, err
	}
	return s.send(req, cfg)
}

// Prepare builds the request Do would send, with the session's headers and
// params already merged, and does not send it. The caller may change it — a
// header deleted from it stays deleted — and send it with Send. Options that
// shape the response (Stream, Timeout, MaxBodySize) are remembered in the
// request's context for Send.
func (s *Session) Prepare(ctx context.Context, method, url string, opts ...Option) (*http.Request, error) {
	cfg := getConfig()
	defer putConfig(cfg)
	req, err := s.newRequest(ctx, method, url, cfg, opts)
	if err != nil {
		return nil, err
	}
	// The marker keeps the stack from merging the defaults again, also when
	// the request is sent through Client.
	ctx = middleware.WithDefaultsMerged(relayctx.WithValue(req.Context(), readKey{}, cfg.read()))
	return req.WithContext(ctx), nil
}

// Send sends a request built by Prepare, or any *http.Request (whose missing
// session headers and params are then merged by the stack, as for requests
// made through Client). opts may add response options (Stream, Timeout,
// MaxBodySize) and request options; those that change the request apply to a
// copy, never to req.
func (s *Session) Send(req *http.Request, opts ...Option) (*Response, error) {
	cfg := getConfig()
	defer putConfig(cfg)
	if prepared, ok := req.Context().Value(readKey{}).(readConfig); ok {
		cfg.stream, cfg.timeout, cfg.timeoutSet = prepared.stream, prepared.timeout, prepared.timeoutSet
		cfg.maxBody, cfg.maxSet = prepared.maxBody, prepared.maxSet
	}
	for _, o := range opts {
		o.apply(cfg)
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
	if ctx, trail := s.explainContext(req.Context(), cfg); trail != nil && ctx != req.Context() {
		req = req.WithContext(ctx)
	}
	req = urlCredentials(req)
	if err := validate(req); err != nil {
		middleware.CloseRequestBody(req)
		return nil, err
	}
	return s.send(req, cfg)
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
type readKey struct{ relayctx.KeyBase }

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
	// The stack's lookups of relay's keys stop on top of the caller's
	// context, however deep it is (relayctx).
	ctx = cfg.context(relayctx.Scope(ctx))
	ctx, trail := s.explainContext(ctx, cfg)
	req, err := s.urls.newRequest(ctx, method, rawURL)
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
	// The request's own headers are checked before the merge, the
	// session's as it copies them: each header is read once.
	err = validateHeaders(req.Header)
	if err == nil {
		err = middleware.MergeCheckedDefaults(req, s.Headers, s.Params, validateHeader)
	}
	if err == nil {
		err = validateLine(req)
	}
	if err != nil {
		middleware.CloseRequestBody(req)
		return nil, err
	}
	cfg.merged = true
	return req, nil
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
