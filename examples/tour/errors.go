package main

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/relayhttp/relay/client"
)

// statusErrors: a 4xx or 5xx answer is a response, not an error; r.Err()
// turns it into a *client.StatusError (Requests' raise_for_status).
func statusErrors(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()

	r, err := s.Get(ctx, e.url("/status/200"))
	if err != nil {
		return err
	}
	e.say("GET /status/200 → %s, r.Err() = %v", r.Status, r.Err())
	if err := equal("Err() of a 200", r.Err(), nil); err != nil {
		return err
	}

	for _, c := range []struct {
		method, path string
		code         int
	}{
		{http.MethodGet, "/status/404", http.StatusNotFound},
		{http.MethodPost, "/status/503", http.StatusServiceUnavailable},
	} {
		r, err := s.Do(ctx, c.method, e.url(c.path))
		if err != nil {
			return err // a status is never an error from Do
		}
		var se *client.StatusError
		if err := expect(errors.As(r.Err(), &se), "%s %s: r.Err() = %v, want a *client.StatusError", c.method, c.path, r.Err()); err != nil {
			return err
		}
		e.say("%s %s → err == nil; r.Err() = %v", c.method, c.path, r.Err())
		e.say("  errors.As(r.Err(), &se): se.StatusCode=%d se.Method=%s", se.StatusCode, se.Method)
		if err := failed(equal("StatusCode", se.StatusCode, c.code), equal("Method", se.Method, c.method)); err != nil {
			return err
		}
	}

	withPassword := strings.Replace(e.url("/status/403"), "://", "://user:s3cret@", 1)
	if r, err = s.Get(ctx, withPassword); err != nil {
		return err
	}
	e.say("GET http://user:s3cret@httpbin/status/403 → r.Err() = %v (no password)", r.Err())
	return expect(r.Err() != nil && !strings.Contains(r.Err().Error(), "s3cret"), "StatusError shows the password: %v", r.Err())
}

// timeouts: client.Timeout (or Session.Timeout) bounds a whole call.
func timeouts(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()

	_, err := s.Get(ctx, e.url("/delay/2"), client.Timeout(100*time.Millisecond))
	e.say("GET /delay/2 with client.Timeout(100 * time.Millisecond) →")
	e.say("  %v", err)
	return expect(errors.Is(err, context.DeadlineExceeded), "want context.DeadlineExceeded, got %v", err)
}
