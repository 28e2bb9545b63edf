package client

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/relayhttp/relay/linkheader"
)

// Links returns the response's Link header fields (RFC 8288) by relation
// type, one key per type in lower case (a link with rel="next last" is under
// both), the first link of a type winning. URLs are resolved against the URL
// the response was fetched from: r.Links()["next"].URL is Requests'
// r.links["next"]["url"]. A response without Link fields gives an empty map.
func (r *Response) Links() map[string]linkheader.Link {
	values := r.Header.Values("Link")
	if len(values) == 0 {
		return map[string]linkheader.Link{}
	}
	links := linkheader.Parse(values...)
	if r.Request != nil {
		return linkheader.ByRel(links, r.Request.URL)
	}
	return linkheader.ByRel(links, nil)
}

// ErrPageLoop is yielded by Pages when a rel="next" link leads back to a page
// already fetched.
var ErrPageLoop = errors.New("pagination loops: next link repeats a page")

// Pages fetches url and then follows rel="next" links, yielding each page's
// response, the way GitHub-style APIs paginate. opts apply to every page.
// It stops after a page without a next link, at the first error (which it
// yields), when the caller breaks out of the loop, when ctx is done, and
// before fetching a URL it already fetched (yielding ErrPageLoop).
//
// Each page is read whole unless opts hold Stream, in which case the caller
// closes each page's body before asking for the next.
func (s *Session) Pages(ctx context.Context, url string, opts ...Option) iter.Seq2[*Response, error] {
	return func(yield func(*Response, error) bool) {
		seen := map[string]bool{}
		for url != "" {
			if err := ctx.Err(); err != nil {
				yield(nil, err)
				return
			}
			if seen[url] {
				yield(nil, fmt.Errorf("client: %w: %s", ErrPageLoop, redact(url)))
				return
			}
			seen[url] = true
			r, err := s.Get(ctx, url, opts...)
			if err != nil {
				yield(nil, err)
				return
			}
			url = r.Links()["next"].URL
			if !yield(r, nil) {
				return
			}
		}
	}
}
