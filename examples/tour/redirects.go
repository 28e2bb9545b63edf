package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/client"
)

// redirects: a Session follows redirects and keeps the hops in r.History;
// NoRedirects and MaxRedirects change that per request.
func redirects(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()

	r, err := s.Get(ctx, e.url("/redirect/3"))
	if err != nil {
		return err
	}
	hops := make([]string, len(r.History))
	for i, h := range r.History {
		hops[i] = fmt.Sprintf("%d %s", h.StatusCode, h.Request.URL.Path)
	}
	e.say("GET /redirect/3 → %s at %s; r.History: %s", r.Status, r.Request.URL.Path, strings.Join(hops, ", "))
	if err := failed(
		status(r, http.StatusOK),
		equal("final path", r.Request.URL.Path, "/get"),
		equal("hops", len(r.History), 3),
	); err != nil {
		return err
	}

	if r, err = s.Get(ctx, e.url("/redirect/1"), client.NoRedirects()); err != nil {
		return err
	}
	e.say("GET /redirect/1 with client.NoRedirects() → %s, Location: %s", r.Status, r.Header.Get("Location"))
	if err := status(r, http.StatusFound); err != nil {
		return err
	}

	_, err = s.Get(ctx, e.url("/redirect/5"), client.MaxRedirects(2))
	e.say("GET /redirect/5 with client.MaxRedirects(2) → errors.Is(err, client.ErrTooManyRedirects) = %t",
		errors.Is(err, client.ErrTooManyRedirects))
	if err := expect(errors.Is(err, client.ErrTooManyRedirects), "want ErrTooManyRedirects, got %v", err); err != nil {
		return err
	}

	// 302 turns a POST into a GET without body; 307 resends it as it was.
	for _, c := range []struct {
		code       int
		wantMethod string
		wantData   string
	}{
		{http.StatusFound, http.MethodGet, ""},
		{http.StatusTemporaryRedirect, http.MethodPost, "order=42"},
	} {
		target := "/redirect-to?status_code=" + fmt.Sprint(c.code) + "&url=" + url.QueryEscape("/anything")
		r, err := s.Post(ctx, e.url(target), client.Body(strings.NewReader("order=42")), client.Header("Content-Type", "text/plain"))
		if err != nil {
			return err
		}
		got, err := echo(r)
		if err != nil {
			return err
		}
		e.say("POST order=42 to a %d redirect → arrived at /anything as %s with body %q", c.code, got.Method, got.Data)
		if err := failed(equal("method", got.Method, c.wantMethod), equal("body", got.Data, c.wantData)); err != nil {
			return err
		}
	}

	// Credentials stay on the origin where the call started: Authorization
	// and headers marked sensitive are stripped when a hop leaves it.
	s.Headers.Set("X-Api-Key", "k-123")
	s.MarkSensitive("X-Api-Key")
	s.Auth = auth.Basic("user", "passwd")
	for _, c := range []struct {
		to   string
		want bool
	}{
		{e.url("/headers"), true},         // same origin
		{e.other.URL + "/headers", false}, // another origin
	} {
		r, err := s.Get(ctx, e.url("/redirect-to?url="+url.QueryEscape(c.to)))
		if err != nil {
			return err
		}
		got, err := echo(r)
		if err != nil {
			return err
		}
		authz, key := got.Headers.Get("Authorization") != "", got.Headers.Get("X-Api-Key") != ""
		e.say("s.Auth = Basic, X-Api-Key marked sensitive; GET /redirect-to?url=%s → at the target Authorization: %t, X-Api-Key: %t",
			c.to, authz, key)
		if err := failed(
			equal("Authorization sent to "+c.to, authz, c.want),
			equal("X-Api-Key sent to "+c.to, key, c.want),
		); err != nil {
			return err
		}
	}
	return nil
}
