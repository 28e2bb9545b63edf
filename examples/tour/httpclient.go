package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/httpbintest"
	"github.com/relayhttp/relay/transport"
)

// packageLevelGet: client.Get and friends use a default Session, for a quick
// request that needs no configuration.
func packageLevelGet(ctx context.Context, e *env) error {
	// The default session lives as long as the program and has no way to
	// close its idle connections, so the tour asks the server not to keep
	// this one open.
	r, err := client.Get(ctx, e.url("/user-agent"), client.Header("Connection", "close"))
	if err != nil {
		return err
	}
	var got struct {
		UserAgent string `json:"user-agent"`
	}
	if err := status(r, http.StatusOK); err != nil {
		return err
	}
	if err := r.JSON(&got); err != nil {
		return err
	}
	e.say("client.Get(ctx, /user-agent) → %s, user-agent %q", r.Status, got.UserAgent)
	return equal("user-agent", got.UserAgent, "relay/"+client.Version)
}

// libraryGet stands for any third-party code that takes an *http.Client: it
// knows nothing about relay.
func libraryGet(ctx context.Context, hc *http.Client, url string, v any) (finalPath string, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("library: %s", resp.Status)
	}
	return resp.Request.URL.Path, json.NewDecoder(resp.Body).Decode(v)
}

// sessionClient: s.Client() is an *http.Client that runs the whole session
// stack, and WithHTTPClient builds a session over a client you already have.
func sessionClient(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()
	s.Headers.Set("X-Session", "yes")

	var got httpbintest.Echo
	final, err := libraryGet(ctx, s.Client(), e.url("/redirect/2"), &got)
	if err != nil {
		return err
	}
	e.say("libraryGet(s.Client(), /redirect/2) → ended at %s (the session followed the redirects)", final)
	e.say("the session's headers went along: X-Session=%s, User-Agent=%s", got.Headers.Get("X-Session"), got.Headers.Get("User-Agent"))
	if err := failed(
		equal("final path", final, "/get"),
		equal("X-Session", got.Headers.Get("X-Session"), "yes"),
		equal("User-Agent", got.Headers.Get("User-Agent"), "relay/"+client.Version),
	); err != nil {
		return err
	}

	base, err := transport.New()
	if err != nil {
		return err
	}
	counted := &countingTransport{next: base}
	existing := &http.Client{Transport: counted, Timeout: 5 * time.Second}
	s2 := client.NewSession(client.WithHTTPClient(existing))
	defer s2.CloseIdleConnections()
	r, err := s2.Get(ctx, e.url("/get"))
	if err != nil {
		return err
	}
	if err := status(r, http.StatusOK); err != nil {
		return err
	}
	e.say("client.NewSession(client.WithHTTPClient(existing)) → GET /get went through existing's transport %d time(s); s2.Timeout = %v",
		counted.n.Load(), s2.Timeout)
	return failed(
		equal("requests through the existing transport", counted.n.Load(), 1),
		equal("s2.Timeout", s2.Timeout, 5*time.Second),
		expect(existing.Transport == counted, "WithHTTPClient changed the client's Transport"),
	)
}
