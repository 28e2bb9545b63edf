package record

import (
	"net/http"
	"net/url"
	"strings"
)

// keys are what an entry is matched by, computed once per entry and once
// per live request.
type keys struct {
	method  string
	origin  string // scheme://host[:port], default ports left out
	path    string // escaped path, "/" for none
	query   string // canonicalQuery
	headers string // the MatchHeaders values
	body    string // canonicalBody, "t" prefixed when truncated
}

// route is the index key of the entries a custom matcher is offered.
func (k keys) route() string { return k.method + " " + k.origin + k.path }

// exact is the index key of the default matching.
func (k keys) exact() string {
	return k.route() + "?" + k.query + "\x00" + k.headers + "\x00" + k.body
}

// keysOf computes q's keys. The URL is normalised (scheme and host lower
// case, default port, empty path and fragment, userinfo left out), the
// query compared as a multiset.
func keysOf(q *Request, matchHeaders []string) keys {
	k := keys{method: strings.ToUpper(q.Method)}
	if u, err := url.Parse(q.URL); err == nil {
		scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Host)
		if h, port, ok := strings.Cut(host, ":"); ok && !strings.Contains(port, "]") &&
			((scheme == "http" && port == "80") || (scheme == "https" && port == "443")) {
			host = h
		} else if strings.HasPrefix(host, "[") { // an IPv6 literal: [::1]:80
			if i := strings.LastIndex(host, "]:"); i >= 0 {
				port := host[i+2:]
				if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
					host = host[:i+1]
				}
			}
		}
		k.origin = scheme + "://" + host
		k.path = u.EscapedPath()
		if k.path == "" {
			k.path = "/"
		}
		k.query = canonicalQuery(u.RawQuery)
	} else {
		k.origin, k.path = "", q.URL
	}
	if len(matchHeaders) > 0 {
		var b strings.Builder
		for _, name := range matchHeaders {
			b.WriteString(name)
			b.WriteByte(':')
			for _, h := range q.Headers {
				if http.CanonicalHeaderKey(h.Name) == name || strings.EqualFold(strings.TrimPrefix(h.Name, ":"), name) {
					b.WriteString(h.Value)
					b.WriteByte('\x01')
				}
			}
			b.WriteByte('\x00')
		}
		k.headers = b.String()
	}
	if p := q.PostData; p != nil && (p.Text != "" || p.Truncated) {
		k.body = canonicalBody(p.Text, p.MimeType)
		if p.Truncated {
			k.body = "t" + k.body
		}
	}
	return k
}

// index finds the entries of a cassette that match a request without
// looking at the others: by exact key for the default matching, by route
// for a custom matcher. It is not safe for concurrent use: the Recorder
// guards it.
type index struct {
	entries []Entry
	keys    []keys
	exact   map[string]*queue
	routes  map[string][]int
	used    []bool
}

// queue is the entries of one key in recorded order, next the first not
// replayed yet.
type queue struct {
	ids  []int
	next int
}

func newIndex(entries []Entry, matchHeaders []string) *index {
	ix := &index{
		entries: entries,
		keys:    make([]keys, len(entries)),
		exact:   make(map[string]*queue, len(entries)),
		routes:  make(map[string][]int, len(entries)),
		used:    make([]bool, len(entries)),
	}
	for i := range entries {
		k := keysOf(&entries[i].Request, matchHeaders)
		ix.keys[i] = k
		ex := k.exact()
		q := ix.exact[ex]
		if q == nil {
			q = &queue{}
			ix.exact[ex] = q
		}
		q.ids = append(q.ids, i)
		ix.routes[k.route()] = append(ix.routes[k.route()], i)
	}
	return ix
}

// lookup returns the index of the entry that answers live (keys k), or -1
// and whether matching entries exist that were all replayed already (the
// last of them in last).
func (ix *index) lookup(live *Request, k keys, o *compiled) (id int, exhausted bool, last int) {
	if o.match != nil {
		last = -1
		for _, i := range ix.routes[k.route()] {
			if !o.match(live, &ix.entries[i].Request) {
				continue
			}
			if !ix.used[i] {
				ix.used[i] = true
				return i, false, i
			}
			last = i
		}
		if last >= 0 && o.repeat {
			return last, false, last
		}
		return -1, last >= 0, last
	}
	q := ix.exact[k.exact()]
	if q == nil {
		return -1, false, -1
	}
	for q.next < len(q.ids) && ix.used[q.ids[q.next]] {
		q.next++
	}
	if q.next < len(q.ids) {
		i := q.ids[q.next]
		q.next++
		ix.used[i] = true
		return i, false, i
	}
	last = q.ids[len(q.ids)-1]
	if o.repeat {
		return last, false, last
	}
	return -1, true, last
}

// closest returns the entry most like k and what differs, for the error
// of a request with no match. It looks at every entry: it runs only when
// a request fails.
func (ix *index) closest(k keys) (id int, differs string) {
	best, bestScore := -1, -1
	for i, e := range ix.keys {
		score := 0
		if e.method == k.method {
			score += 16
		}
		if e.origin == k.origin {
			score += 8
		}
		if e.path == k.path {
			score += 4
		}
		if e.query == k.query {
			score += 2
		}
		if e.body == k.body {
			score++
		}
		if e.headers == k.headers {
			score++
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return -1, ""
	}
	e := ix.keys[best]
	var diff []string
	for _, d := range []struct {
		differs bool
		what    string
	}{
		{e.method != k.method, "method"},
		{e.origin != k.origin, "scheme or host"},
		{e.path != k.path, "path"},
		{e.query != k.query, "query"},
		{e.headers != k.headers, "matched headers"},
		{e.body != k.body, "body"},
	} {
		if d.differs {
			diff = append(diff, d.what)
		}
	}
	return best, strings.Join(diff, ", ")
}
