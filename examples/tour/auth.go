package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/client"
)

// customAuth: an Authenticator is anything that can add credentials to a
// request; auth.Func makes one from a function, and auth.Basic is built in.
func customAuth(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()

	// Requests' PizzaAuth, in one line.
	s.Auth = auth.Func(func(r *http.Request) error { r.Header.Set("X-Pizza", "admin"); return nil })
	r, err := s.Get(ctx, e.url("/headers"))
	if err != nil {
		return err
	}
	got, err := echo(r)
	if err != nil {
		return err
	}
	e.say(`s.Auth = auth.Func(set X-Pizza: admin); GET /headers → httpbin saw X-Pizza=%s`, got.Headers.Get("X-Pizza"))
	if err := equal("X-Pizza", got.Headers.Get("X-Pizza"), "admin"); err != nil {
		return err
	}

	basic := auth.Basic("user", "passwd")
	if r, err = s.Get(ctx, e.url("/basic-auth/user/passwd"), client.WithAuth(basic)); err != nil {
		return err
	}
	var ok struct {
		Authenticated bool
		User          string
	}
	if err := failed(status(r, http.StatusOK), r.JSON(&ok)); err != nil {
		return err
	}
	e.say(`client.WithAuth(auth.Basic("user", "passwd")), GET /basic-auth/user/passwd → %s, authenticated=%t user=%s`,
		r.Status, ok.Authenticated, ok.User)
	e.say("fmt.Sprint(auth.Basic(…)) = %s (no password)", fmt.Sprint(basic))
	if err := failed(
		equal("authenticated", ok.Authenticated, true),
		expect(!strings.Contains(fmt.Sprint(basic), "passwd"), "auth.Basic prints its password: %s", basic),
	); err != nil {
		return err
	}

	if r, err = s.Get(ctx, e.url("/basic-auth/user/passwd"), client.WithAuth(nil)); err != nil {
		return err
	}
	var se *client.StatusError
	e.say("the same with client.WithAuth(nil) → %s; r.Err() = %v", r.Status, r.Err())
	if err := expect(errors.As(r.Err(), &se) && se.StatusCode == http.StatusUnauthorized,
		"want a 401 *client.StatusError, got %v", r.Err()); err != nil {
		return err
	}

	// Where credentials go when a redirect leaves the origin: see the
	// redirects step.
	return nil
}
