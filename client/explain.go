package client

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/relayhttp/relay/explain"
)

// Explain makes the call keep its decision trail (package explain): which
// session default or request option set each header and parameter, which
// proxy and mount each hop took and why, which credentials and cookies
// went or were withheld, each retry, timeout and cache answer.
// Response.Explain returns it. Session.Explain does the same for every
// call. A context that already carries a trail (explain.With) keeps it.
func Explain() Option {
	return optionFunc(func(c *requestConfig) { c.explain = true })
}

// Explain returns the call's decision trail: nil when the call was not
// explained (client.Explain, Session.Explain). A nil trail prints as ""
// and has no decisions. The trail's String is curl -v style text; its
// Decisions are the values, for code and tests.
func (r *Response) Explain() *explain.Trail { return r.trail }

// explainContext returns ctx with a trail when the call is explained and
// ctx has none yet, and the trail (nil when not explained).
func (s *Session) explainContext(ctx context.Context, cfg *requestConfig) (context.Context, *explain.Trail) {
	if !cfg.explain && !s.Explain {
		return ctx, nil
	}
	t := explain.From(ctx)
	if t == nil {
		ctx, t = explain.With(ctx)
	}
	t.Redact(s.sensitiveHeaders()...)
	return ctx, t
}

// noteOptions writes to t the headers and params the request options set
// that no session default has: those that meet a default are noted when
// the defaults are merged.
func (s *Session) noteOptions(t *explain.Trail, cfg *requestConfig) {
	header, params := cfg.headerMap(), cfg.paramValues()
	for _, name := range sortedNames(header) {
		if _, ok := s.Headers[name]; !ok {
			t.Note(explain.Decision{Kind: explain.KindHeader, Subject: name, Action: explain.ActionSet,
				Value: joinValues(header[name]), Source: "request option Header"})
		}
	}
	for _, k := range sortedNames(params) {
		t.Note(explain.Decision{Kind: explain.KindParam, Subject: k, Action: explain.ActionSet,
			Value: joinValues(params[k]), Source: "request option Param"})
	}
}

// noteCallTimeout notes the call's own timeout (Session.Timeout or the
// Timeout option) when it is what ended the call.
func noteCallTimeout(req *http.Request, err error, timeout string) {
	if errors.Is(err, context.DeadlineExceeded) && context.Cause(req.Context()) == context.DeadlineExceeded {
		explain.Note(req.Context(), explain.Decision{Kind: explain.KindTimeout, Subject: "call",
			Action: explain.ActionFired, Reason: "after " + timeout})
	}
}

func sortedNames[M ~map[string][]string](m M) []string {
	if len(m) == 0 {
		return nil
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

func joinValues(vs []string) string { return strings.Join(vs, ", ") }
