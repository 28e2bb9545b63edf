package client

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
)

// A session remembers the last few URL strings it parsed, because most
// programs call the same few URLs again and again, and parsing one is the
// largest single step of building a request: on loopback, where each
// request's code runs with cold caches, skipping it saves about half a
// percent of a small GET (docs/benchmarks.md). A URL with userinfo is never
// remembered, so that no credential outlives its call.

// parsedURL is a URL string and what url.Parse made of it. It is never
// modified once stored.
type parsedURL struct {
	raw string
	u   url.URL
}

// urlMemo holds the parsed URLs, replaced in turn. Its zero value is empty
// and ready; it is safe for concurrent use.
type urlMemo struct {
	slots [4]atomic.Pointer[parsedURL]
	next  atomic.Uint32 // the slot the next new URL takes, modulo len(slots)
}

// newRequest is http.NewRequestWithContext(ctx, method, rawURL, nil), with
// rawURL parsed at most once while it stays among the remembered ones. The
// request's URL is its own copy either way: changing it changes nothing the
// memo holds.
func (m *urlMemo) newRequest(ctx context.Context, method, rawURL string) (*http.Request, error) {
	for i := range m.slots {
		if p := m.slots[i].Load(); p != nil && p.raw == rawURL {
			// net/http checks the method and the context as for any
			// URL; the empty one parses to an empty URL at once, which
			// takes the remembered one's fields.
			req, err := http.NewRequestWithContext(ctx, method, "", nil)
			if err != nil {
				return nil, err
			}
			*req.URL = p.u
			req.Host = p.u.Host
			return req, nil
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, nil)
	if err != nil || strings.Contains(rawURL, "@") { // userinfo, or an @ that may be one
		return req, err
	}
	p := &parsedURL{raw: rawURL, u: *req.URL}
	m.slots[m.next.Add(1)%uint32(len(m.slots))].Store(p)
	return req, nil
}
