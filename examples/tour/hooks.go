package main

import (
	"context"
	"net/http"
	"strings"

	"github.com/relayhttp/relay/client"
)

// eventHooks: Requests' print_url response hook, session hooks, and hooks
// that see every redirect hop when asked.
func eventHooks(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()
	var printed []string
	printURL := func(r *http.Response) (*http.Response, error) {
		printed = append(printed, r.Request.URL.Path)
		e.say("  print_url: %s", r.Request.URL) // Requests' print(r.url)
		return nil, nil                         // nil keeps the response, as in Requests
	}
	e.say("s.Get(/get, client.HookResponse(printURL)):")
	if _, err := s.Get(ctx, e.url("/get"), client.HookResponse(printURL)); err != nil {
		return err
	}

	var requests int
	s.Hooks.OnRequest(func(r *http.Request) error { requests++; r.Header.Set("X-Hooked", "yes"); return nil })
	r, err := s.Get(ctx, e.url("/headers"))
	if err != nil {
		return err
	}
	got, err := echo(r)
	if err != nil {
		return err
	}
	e.say("s.Hooks.OnRequest(add X-Hooked) → httpbin saw X-Hooked=%s", got.Headers.Get("X-Hooked"))

	e.say("s.Get(/redirect/2, client.HookRedirects(), client.HookResponse(printURL)):")
	if _, err := s.Get(ctx, e.url("/redirect/2"), client.HookRedirects(), client.HookResponse(printURL)); err != nil {
		return err
	}
	return failed(
		equal("printed", strings.Join(printed, " "), "/get /redirect/2 /relative-redirect/1 /get"),
		equal("X-Hooked", got.Headers.Get("X-Hooked"), "yes"),
		expect(requests >= 2, "the session's request hook ran %d times", requests),
	)
}
