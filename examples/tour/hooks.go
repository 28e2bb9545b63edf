package main

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/relayhttp/relay/client"
)

// eventHooks: Requests' print_url response hook, session hooks, hooks that
// see every redirect hop when asked, and request and error hooks.
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

	// A request hook may fail the call; an error hook sees calls that end
	// without a response (a 4xx or 5xx is a response).
	var sawErr error
	onError := func(_ *http.Request, err error) { sawErr = err }
	_, err = s.Get(ctx, e.url("/delay/1"), client.Timeout(50*time.Millisecond), client.HookError(onError))
	e.say("GET /delay/1 with client.Timeout(50ms), client.HookError(fn) → fn saw an error matching context.DeadlineExceeded: %t",
		errors.Is(sawErr, context.DeadlineExceeded))
	denied := errors.New("no DELETE today")
	_, err2 := s.Delete(ctx, e.url("/delete"), client.HookRequest(func(r *http.Request) error {
		if r.Method == http.MethodDelete {
			return denied
		}
		return nil
	}))
	e.say("DELETE /delete with client.HookRequest(refuse DELETE) → %v", err2)

	return failed(
		expect(errors.Is(err, context.DeadlineExceeded) && errors.Is(sawErr, context.DeadlineExceeded),
			"want a deadline error, seen by the error hook too; got %v, the hook saw %v", err, sawErr),
		expect(errors.Is(err2, denied), "want the request hook's error, got %v", err2),
		equal("printed", strings.Join(printed, " "), "/get /redirect/2 /relative-redirect/1 /get"),
		equal("X-Hooked", got.Headers.Get("X-Hooked"), "yes"),
		expect(requests >= 2, "the session's request hook ran %d times", requests),
	)
}
