package explain

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/relayhttp/relay/internal/relayctx"
)

// Trail is the decision trail of one call, in the order the decisions were
// made. It is safe for concurrent use; a nil *Trail is an empty trail.
//
// A trail counts redirect hops and attempts: a KindRedirect decision with
// a Hop starts that hop (its attempt back to 1), and a KindRetry decision
// with an Attempt starts that attempt; later decisions noted with Hop or
// Attempt 0 get the current ones. One trail therefore belongs to one call:
// calls that run at the same time need a trail each.
type Trail struct {
	mu        sync.Mutex
	decisions []Decision
	hop       int
	attempt   int
	sensitive []string    // canonical header names Redact added
	first     [8]Decision // the first decisions' storage: a plain call fits, in the trail's one allocation
}

type trailKey struct{ relayctx.KeyBase }

// made is set once the process has made its first trail, so that until
// then Note and On cost one atomic load and no context lookup. It never
// changes back and changes nothing but that shortcut.
var made atomic.Bool

// With returns a context that carries a new trail, and the trail. Every
// middleware that sees a request made with the context notes its
// decisions there.
func With(ctx context.Context) (context.Context, *Trail) {
	made.Store(true)
	t := &Trail{hop: 1, attempt: 1}
	t.decisions = t.first[:0]
	return relayctx.WithValue(ctx, trailKey{}, t), t
}

// From returns the trail ctx carries, or nil.
func From(ctx context.Context) *Trail {
	if !made.Load() || ctx == nil {
		return nil
	}
	t, _ := ctx.Value(trailKey{}).(*Trail)
	return t
}

// On reports whether ctx carries a trail: a middleware checks it before it
// builds the strings of a decision.
func On(ctx context.Context) bool { return From(ctx) != nil }

// Note adds d to the trail ctx carries, if any. Without a trail it does
// nothing and does not allocate.
func Note(ctx context.Context, d Decision) {
	if t := From(ctx); t != nil {
		t.Note(d)
	}
}

// Note adds d to t, filling in the current hop and attempt and redacting a
// sensitive value. A nil t does nothing.
func (t *Trail) Note(d Decision) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case d.Kind == KindRedirect && d.Hop > 0:
		t.hop, t.attempt = d.Hop, 1
	case d.Kind == KindRetry && d.Attempt > 0:
		t.attempt = d.Attempt
	}
	if d.Hop == 0 {
		d.Hop = t.hop
	}
	if d.Attempt == 0 {
		d.Attempt = t.attempt
	}
	if d.Value != "" && d.Value != Redacted && t.sensitiveName(d.Subject) {
		d.Value = Redacted
	}
	t.decisions = append(t.decisions, d)
}

// Redact adds header or parameter names whose values t redacts, besides
// the ones Sensitive reports: the names a Session marks sensitive.
func (t *Trail) Redact(names ...string) {
	if t == nil || len(names) == 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, n := range names {
		t.sensitive = append(t.sensitive, strings.ToLower(n))
	}
}

func (t *Trail) sensitiveName(name string) bool {
	if Sensitive(name) {
		return true
	}
	for _, s := range t.sensitive {
		if strings.EqualFold(s, name) {
			return true
		}
	}
	return false
}

// Decisions returns a copy of the decisions noted so far, oldest first;
// nil for a nil trail.
func (t *Trail) Decisions() []Decision {
	if t == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.decisions)
}

// Find returns the decisions of kind k about subject (any subject when
// subject is ""), oldest first: what a test asks for.
func (t *Trail) Find(k Kind, subject string) []Decision {
	var out []Decision
	for _, d := range t.Decisions() {
		if d.Kind == k && (subject == "" || strings.EqualFold(d.Subject, subject)) {
			out = append(out, d)
		}
	}
	return out
}

// String formats the trail as curl -v style lines, one per decision, each
// starting with "* " and ending with a newline; "" for an empty trail.
func (t *Trail) String() string {
	ds := t.Decisions()
	var b []byte
	for _, d := range ds {
		b = append(b, "* "...)
		b = d.appendText(b)
		b = append(b, '\n')
	}
	return string(b)
}
