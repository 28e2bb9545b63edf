package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Bearer returns an Authenticator that sends token as an OAuth 2.0 bearer
// token (RFC 6750): "Authorization: Bearer <token>". A token that is empty or
// holds a control character (CR, LF, NUL …) fails every request with an
// error that does not show it. Its String method does not show the token.
func Bearer(token string) Authenticator {
	return bearer{value: "Bearer " + token, err: checkToken(token)}
}

type bearer struct {
	value string
	err   error
}

func (b bearer) Authorize(req *http.Request) error {
	if b.err != nil {
		return b.err
	}
	req.Header.Set("Authorization", b.value)
	return nil
}

// String formats the authenticator without its token.
func (bearer) String() string { return "auth.Bearer(***)" }

// GoString keeps the token out of %#v too.
func (b bearer) GoString() string { return b.String() }

// BearerFunc returns an Authenticator that calls f with the request's context
// for every request it authorizes (each redirect hop that stays on the origin
// is a request), and sends the token f returns as a bearer token. f is where
// a token is cached and refreshed: an OAuth 2.0 token source plugs in with a
// one-line adapter (see docs/auth.md). f must be safe for concurrent use. An
// error from f fails the request, wrapped; an empty token or one with a
// control character fails it too, without showing the token.
func BearerFunc(f func(ctx context.Context) (string, error)) Authenticator {
	return bearerFunc(f)
}

type bearerFunc func(ctx context.Context) (string, error)

func (f bearerFunc) Authorize(req *http.Request) error {
	if f == nil {
		return errors.New("BearerFunc was given a nil function")
	}
	token, err := f(req.Context())
	if err != nil {
		return fmt.Errorf("bearer token: %w", err)
	}
	if err := checkToken(token); err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return nil
}

// String formats the authenticator.
func (bearerFunc) String() string { return "auth.BearerFunc(…)" }

// GoString formats the authenticator for %#v.
func (f bearerFunc) GoString() string { return f.String() }

var (
	errEmptyToken   = errors.New("bearer token is empty")
	errTokenControl = errors.New("bearer token has a control character")
)

func checkToken(t string) error {
	if t == "" {
		return errEmptyToken
	}
	if strings.ContainsFunc(t, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return errTokenControl
	}
	return nil
}
