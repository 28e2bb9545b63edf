package main

import (
	"context"
	"fmt"
	"net/http"

	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/client"
)

// caching: an RFC 9111 private cache on the session — a fresh hit that
// never reaches the origin, a revalidation answered 304, and StatusOf.
func caching(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()
	s.Cache = cache.New(cache.Options{Store: cache.Memory(16 << 20)})
	e.say("s.Cache = cache.New(cache.Options{Store: cache.Memory(16 << 20)})")

	for _, c := range []struct {
		path string
		want []cache.Status
	}{
		{"/cache/60", []cache.Status{cache.Miss, cache.Hit}},             // Cache-Control: public, max-age=60
		{"/etag/tour-v1", []cache.Status{cache.Miss, cache.Revalidated}}, // ETag only: stored, then revalidated
	} {
		for i, want := range c.want {
			r, err := s.Get(ctx, e.url(c.path))
			if err != nil {
				return err
			}
			got := cache.StatusOf(r.Response)
			e.say("GET %s → %s, cache.StatusOf = %s", c.path, r.Status, got)
			if err := failed(status(r, http.StatusOK), equal(fmt.Sprintf("cache status of request %d", i+1), got, want)); err != nil {
				return err
			}
		}
	}
	r, err := s.Get(ctx, e.url("/cache/60"), client.Header("Cache-Control", "no-cache"))
	if err != nil {
		return err
	}
	e.say(`GET /cache/60 with Cache-Control: no-cache → %s (the request asks the origin again)`, cache.StatusOf(r.Response))
	return expect(cache.StatusOf(r.Response) != cache.Hit, "a no-cache request was a hit")
}
