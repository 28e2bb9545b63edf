package record

import (
	"fmt"
	"net/http"
	"strings"
)

// DefaultMaxBodySize is the body cap when Options.MaxBodySize is 0.
const DefaultMaxBodySize = 1 << 20

// Options tunes a Recorder. The zero value is the defaults.
type Options struct {
	// MatchHeaders names request headers that must be equal (after
	// redaction) for an entry to match; by default no header is compared.
	MatchHeaders []string

	// Match, when set, decides which entries match a request, in place
	// of comparing the body and MatchHeaders. It is offered only entries
	// with the request's method and URL without its query (so that it may
	// ignore query parameters), in recorded order, both sides redacted.
	Match func(live, recorded *Request) bool

	// Repeat lets entries be replayed more than once: identical requests
	// are answered by the matching entries in recorded order, and once
	// they are used up, by the last of them again. Without it a request
	// past the last matching entry has no match.
	Repeat bool

	// MaxBodySize caps each request and response body kept, in bytes: a
	// longer body is recorded truncated (marked _truncated), and replaying
	// it fails after those bytes with ErrTruncatedBody. 0 means
	// DefaultMaxBodySize; a negative value means no cap.
	MaxBodySize int64

	// SensitiveHeaders are redacted in requests and responses, on top of
	// Authorization, Proxy-Authorization, Cookie, Set-Cookie and the
	// headers whose names look like secrets.
	SensitiveHeaders []string

	// SecretNames are more names of query parameters, JSON fields, form
	// fields and headers to redact, on top of those that look like
	// secrets (see LooksSecret). Compared without regard to case.
	SecretNames []string

	// Redact, when set, runs on every entry after relay's redaction and
	// before the entry is kept: it may change anything. It runs on the
	// live request too (an entry with no response) before matching, so a
	// rule that rewrites the request keeps replay matching.
	Redact func(*Entry)

	// Salt is mixed into the hash of redaction placeholders. The
	// placeholder of a secret is the same on every run, so that matching
	// works and a diff shows which values changed; a short hash of a weak
	// password can confirm a guess, which a salt kept out of the cassette
	// prevents. The same salt must be given when replaying.
	Salt string
}

// compiled is Options checked and prepared once, at Open.
type compiled struct {
	matchHeaders []string // canonical
	match        func(live, recorded *Request) bool
	repeat       bool
	maxBody      int64 // < 0: no cap
	redactor     redactor
}

func (o Options) compile() (compiled, error) {
	c := compiled{match: o.Match, repeat: o.Repeat, maxBody: o.MaxBodySize}
	if c.maxBody == 0 {
		c.maxBody = DefaultMaxBodySize
	}
	for _, h := range o.MatchHeaders {
		if strings.TrimSpace(h) == "" {
			return compiled{}, fmt.Errorf("record: empty name in MatchHeaders")
		}
		c.matchHeaders = append(c.matchHeaders, http.CanonicalHeaderKey(h))
	}
	c.redactor = newRedactor(o.SensitiveHeaders, o.SecretNames, o.Salt, o.Redact)
	return c, nil
}
