package middleware

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/relayhttp/relay/explain"
)

// Sources of header and parameter decisions.
const (
	sourceSessionDefault = "session default"
	sourceRequest        = "request"
	sourceWithout        = "request option Without"
)

// noteDefaults writes to t what MergeDefaults is about to do with req:
// each default header and param set, overridden by the request, or
// removed. It runs before the merge, on the request as the caller gave it.
func noteDefaults(t *explain.Trail, req *http.Request, headers http.Header, params url.Values, removed []string) {
	for _, name := range sortedKeys(headers) {
		values := headers[name]
		switch own, ok := req.Header[name]; {
		case slices.Contains(removed, name):
			t.Note(explain.Decision{Kind: explain.KindHeader, Subject: name, Action: explain.ActionRemoved,
				Source: sourceWithout})
		case ok:
			t.Note(explain.Decision{Kind: explain.KindHeader, Subject: name, Action: explain.ActionOverrode,
				Value: strings.Join(own, ", "), Source: sourceRequest, Reason: "overrides the session default"})
		case len(values) > 0:
			t.Note(explain.Decision{Kind: explain.KindHeader, Subject: name, Action: explain.ActionSet,
				Value: strings.Join(values, ", "), Source: sourceSessionDefault})
		}
	}
	if slices.Contains(removed, "User-Agent") && headers["User-Agent"] == nil && req.Header.Get("User-Agent") == "" {
		t.Note(explain.Decision{Kind: explain.KindHeader, Subject: "User-Agent", Action: explain.ActionRemoved,
			Source: sourceWithout, Reason: "net/http's Go-http-client is not sent either"})
	}
	if len(params) == 0 {
		return
	}
	own, _ := url.ParseQuery(req.URL.RawQuery)
	for _, k := range sortedKeys(params) {
		vs := params[k]
		if mine, ok := own[k]; ok {
			t.Note(explain.Decision{Kind: explain.KindParam, Subject: k, Action: explain.ActionOverrode,
				Value: strings.Join(mine, ", "), Source: sourceRequest, Reason: "the URL has the key: overrides the session default"})
		} else if len(vs) > 0 {
			t.Note(explain.Decision{Kind: explain.KindParam, Subject: k, Action: explain.ActionSet,
				Value: strings.Join(vs, ", "), Source: sourceSessionDefault})
		}
	}
}

// sortedKeys gives a map's keys in order, so a trail reads the same on
// every run.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
