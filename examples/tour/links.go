package main

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/relayhttp/relay/client"
)

// linkHeaders: r.Links() parses the Link header (RFC 8288) with URLs
// resolved against the response's URL, and s.Pages follows rel="next".
func linkHeaders(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()

	r, err := s.Get(ctx, e.url("/tour/items"))
	if err != nil {
		return err
	}
	if err := status(r, http.StatusOK); err != nil {
		return err
	}
	links := r.Links()
	e.say("GET /tour/items → Link: %s", strings.Join(r.Header.Values("Link"), ", "))
	e.say(`r.Links()["next"].URL = %s`, links["next"].URL)
	e.say(`r.Links()["last"].URL = %s`, links["last"].URL)
	if err := failed(
		equal(`Links()["next"].URL`, links["next"].URL, e.url("/tour/items?page=2")),
		equal(`Links()["last"].URL`, links["last"].URL, e.url("/tour/items?page=3")),
		equal(`Links()["prev"].URL on page 1`, links["prev"].URL, ""),
	); err != nil {
		return err
	}

	var pages int
	var all []string
	for r, err := range s.Pages(ctx, e.url("/tour/items")) {
		if err != nil {
			return err
		}
		var page struct{ Items []string }
		if err := r.JSON(&page); err != nil {
			return err
		}
		pages++
		all = append(all, page.Items...)
	}
	e.say("for r, err := range s.Pages(ctx, /tour/items) → %d pages, items %s", pages, strings.Join(all, " "))
	if err := failed(
		equal("pages", pages, lastPage),
		equal("items", strings.Join(all, " "), "item-1 item-2 item-3 item-4 item-5 item-6"),
	); err != nil {
		return err
	}

	pages = 0
	var loopErr error
	for _, err := range s.Pages(ctx, e.url("/tour/loop")) {
		if err != nil {
			loopErr = err
			break
		}
		pages++
	}
	e.say("s.Pages over /tour/loop, whose next link points at itself → %d page, then:", pages)
	e.say("  %v", loopErr)
	return failed(
		equal("pages before the loop was caught", pages, 1),
		expect(errors.Is(loopErr, client.ErrPageLoop), "want ErrPageLoop, got %v", loopErr),
	)
}
