package middleware

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/relayhttp/relay/explain"
)

// Defaults returns a middleware that merges headers and params into every
// request once: a header the request already has wins over the default, a
// query key the request's URL already has wins over the default's values,
// and repeated keys are kept. Names removed with WithoutHeaders are not added.
// A request whose context was made by WithDefaultsMerged passes untouched.
//
// Defaults copies headers and params: later changes to the maps are not seen.
// A relay Session, whose defaults may change between requests, uses
// DefaultsFrom instead.
func Defaults(headers http.Header, params url.Values) Middleware {
	h, p := headers.Clone(), cloneValues(params)
	return DefaultsFrom(func() (http.Header, url.Values) { return h, p })
}

// DefaultsFrom is Defaults with the header and param sets read from source on
// every request. The maps source returns are only read; they must not be
// written while requests are in flight.
func DefaultsFrom(source func() (http.Header, url.Values)) Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		return &defaults{next: orDefault(next), source: source}
	}
}

type defaults struct {
	next   http.RoundTripper
	source func() (http.Header, url.Values)
}

func (d *defaults) RoundTrip(req *http.Request) (*http.Response, error) {
	if DefaultsMerged(req.Context()) {
		return d.next.RoundTrip(req)
	}
	headers, params := d.source()
	if !NeedsDefaults(req, headers, params) {
		return d.next.RoundTrip(req)
	}
	clone := req.Clone(req.Context())
	MergeDefaults(clone, headers, params)
	return d.next.RoundTrip(clone)
}

func (d *defaults) CloseIdleConnections() { CloseIdleConnections(d.next) }

// NeedsDefaults reports whether MergeDefaults would change req, so a caller
// can skip cloning a request that already has everything.
func NeedsDefaults(req *http.Request, headers http.Header, params url.Values) bool {
	if len(params) > 0 {
		return true
	}
	removed := RemovedHeaders(req.Context())
	if slices.Contains(removed, "User-Agent") && req.Header["User-Agent"] == nil {
		return true
	}
	for name := range headers {
		if _, ok := req.Header[name]; !ok && !slices.Contains(removed, name) {
			return true
		}
	}
	return false
}

// MergeDefaults writes headers and params into req in place, by the rules of
// Defaults. req must be a request the caller owns (a fresh one or a clone
// whose Header map and URL are its own); http.Request.Clone gives both.
func MergeDefaults(req *http.Request, headers http.Header, params url.Values) {
	_ = MergeCheckedDefaults(req, headers, params, nil)
}

// MergeCheckedDefaults is MergeDefaults calling check, when it is not nil,
// on each default header before adding it, so that a caller validating what
// it sends reads the defaults once, in the pass that copies them. The first
// error check returns stops the merge and is returned; req is then partly
// merged and should be dropped.
func MergeCheckedDefaults(req *http.Request, headers http.Header, params url.Values, check func(name string, values []string) error) error {
	removed := RemovedHeaders(req.Context())
	if t := explain.From(req.Context()); t != nil {
		noteDefaults(t, req, headers, params, removed)
	}
	if req.Header == nil {
		req.Header = make(http.Header, len(headers))
	}
	own := len(req.Header) > 0 // else no lookup can find a name
	// The values are copied into one backing array (sized for one value a
	// name; more grow it): the request's header may be edited in place (a
	// prepared request, r.Request), and that must never write into the
	// defaults.
	backing := make([]string, 0, len(headers))
	for name, values := range headers {
		if len(values) == 0 || removed != nil && slices.Contains(removed, name) {
			continue
		}
		if own {
			if _, ok := req.Header[name]; ok {
				continue
			}
		}
		if check != nil {
			if err := check(name, values); err != nil {
				return err
			}
		}
		start := len(backing)
		backing = append(backing, values...)
		req.Header[name] = backing[start:len(backing):len(backing)] // appends copy
	}
	if slices.Contains(removed, "User-Agent") && req.Header.Get("User-Agent") == "" {
		// net/http sends "Go-http-client" when the key is absent; a key
		// with no value sends no User-Agent at all, as Requests does.
		req.Header["User-Agent"] = []string{}
	}
	if len(params) > 0 {
		mergeQuery(req.URL, params)
	}
	return nil
}

// mergeQuery appends the params whose keys u's query lacks, keeping u's own
// query as written (its order and escaping) in front.
func mergeQuery(u *url.URL, params url.Values) {
	own, _ := url.ParseQuery(u.RawQuery) // keys only; a malformed pair is sent as written
	extra := make(url.Values, len(params))
	for k, vs := range params {
		if _, ok := own[k]; !ok && len(vs) > 0 {
			extra[k] = vs
		}
	}
	if len(extra) == 0 {
		return
	}
	enc := extra.Encode() // sorted by key: deterministic
	if u.RawQuery == "" {
		u.RawQuery = enc
		return
	}
	u.RawQuery = strings.TrimSuffix(u.RawQuery, "&") + "&" + enc
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	return url.Values(http.Header(v).Clone())
}
