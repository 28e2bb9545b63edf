package client

import (
	"context"
	"sync"
)

// defaultSession is the session behind the package-level functions, built on
// first use. Nothing can change its configuration.
var defaultSession = sync.OnceValue(func() *Session { return NewSession() })

// Get sends a GET request with a default Session. See Session.Do.
func Get(ctx context.Context, url string, opts ...Option) (*Response, error) {
	return defaultSession().Get(ctx, url, opts...)
}

// Head sends a HEAD request with a default Session.
func Head(ctx context.Context, url string, opts ...Option) (*Response, error) {
	return defaultSession().Head(ctx, url, opts...)
}

// Post sends a POST request with a default Session.
func Post(ctx context.Context, url string, opts ...Option) (*Response, error) {
	return defaultSession().Post(ctx, url, opts...)
}

// Put sends a PUT request with a default Session.
func Put(ctx context.Context, url string, opts ...Option) (*Response, error) {
	return defaultSession().Put(ctx, url, opts...)
}

// Patch sends a PATCH request with a default Session.
func Patch(ctx context.Context, url string, opts ...Option) (*Response, error) {
	return defaultSession().Patch(ctx, url, opts...)
}

// Delete sends a DELETE request with a default Session.
func Delete(ctx context.Context, url string, opts ...Option) (*Response, error) {
	return defaultSession().Delete(ctx, url, opts...)
}

// Options sends an OPTIONS request with a default Session.
func Options(ctx context.Context, url string, opts ...Option) (*Response, error) {
	return defaultSession().Options(ctx, url, opts...)
}

// Do sends a request with a default Session.
func Do(ctx context.Context, method, url string, opts ...Option) (*Response, error) {
	return defaultSession().Do(ctx, method, url, opts...)
}

// CloseIdleConnections closes the idle connections of the default session,
// for programs and tests that want no connection left open.
func CloseIdleConnections() {
	defaultSession().CloseIdleConnections()
}
