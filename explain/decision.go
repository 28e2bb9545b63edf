package explain

// Kind is what a decision is about.
type Kind string

// The kinds of decision relay's middlewares note.
const (
	KindHeader   Kind = "header"   // a request header: set, overridden, removed, stripped
	KindParam    Kind = "param"    // a query parameter: set or overridden
	KindProxy    Kind = "proxy"    // the proxy a hop goes through, or why none
	KindTLS      Kind = "tls"      // where a hop's verification or client certificate came from
	KindMount    Kind = "mount"    // the mount prefix that routed a hop
	KindAuth     Kind = "auth"     // the authenticator that applied, or why none did
	KindCookie   Kind = "cookie"   // a cookie sent from the jar, or withheld
	KindRedirect Kind = "redirect" // a redirect followed: a new hop
	KindRetry    Kind = "retry"    // an attempt retried
	KindTimeout  Kind = "timeout"  // a timeout that fired
	KindCache    Kind = "cache"    // how the cache answered
	KindDecode   Kind = "decode"   // a response body decoded by its Content-Encoding, or left as sent
	KindUser     Kind = "user"     // a decision of the user's own middleware
)

// Action is what was done.
type Action string

// The actions relay's middlewares note. A decision may use any other word.
const (
	ActionSet        Action = "set"         // a value was put in place
	ActionOverrode   Action = "overrode"    // a value won over a default
	ActionRemoved    Action = "removed"     // a value was taken out on request
	ActionChose      Action = "chose"       // one of several candidates was chosen
	ActionStripped   Action = "stripped"    // a value was taken out by a rule (a redirect leaving the origin)
	ActionApplied    Action = "applied"     // an authenticator wrote its credentials
	ActionAnswered   Action = "answered"    // an authenticator answered a challenge
	ActionSkipped    Action = "skipped"     // a candidate did not apply
	ActionSent       Action = "sent"        // a cookie went with the request
	ActionWithheld   Action = "withheld"    // a cookie or credential was not sent
	ActionFollowed   Action = "followed"    // a redirect was followed
	ActionRetried    Action = "retried"     // an attempt is repeated
	ActionFired      Action = "fired"       // a timeout fired
	ActionHit        Action = "hit"         // the cache answered from its store, fresh
	ActionMiss       Action = "miss"        // the cache asked the origin
	ActionRevalidate Action = "revalidated" // the origin confirmed the stored response
	ActionStale      Action = "stale"       // a stale stored response was served
	ActionBypass     Action = "bypass"      // the cache did not take part
	ActionDecoded    Action = "decoded"     // a response body is decoded as it is read
)

// Decision is one thing a middleware decided, as a value.
//
// Value must never hold a secret: relay's middlewares give values only of
// headers and parameters, and the trail replaces the value of any whose
// Subject is a sensitive name by Redacted. Subject, Source and Reason are
// kept as given; a middleware must not put a credential in them.
type Decision struct {
	Kind    Kind   // what the decision is about
	Subject string // what it concerns: a header or parameter name, a proxy URL, a cookie name, a prefix
	Action  Action // what was done
	Value   string // the value put in place, when it is not a secret; Redacted otherwise
	Source  string // where the winning setting came from: "session default", "request option", "netrc", "jar", `Session.Proxies["https"]`, "environment variable HTTPS_PROXY"
	Reason  string // why, for a human: "origin http://a:80 → http://b:80", "Secure cookie over http"
	Hop     int    // the redirect hop, 1 for the first request; 0 when noted: the trail's current hop
	Attempt int    // the attempt within the hop, 1 for the first; 0 when noted: the trail's current attempt
}

// String formats d as one line of a trail, without the leading "* ".
func (d Decision) String() string {
	return string(d.appendText(nil))
}

// quiet actions go without saying in the text: the kind says them.
func quiet(a Action) bool {
	switch a {
	case "", ActionSet, ActionOverrode, ActionChose, ActionFollowed, ActionRetried:
		return true
	}
	return false
}

func (d Decision) appendText(b []byte) []byte {
	if d.Hop > 1 {
		b = append(b, "hop "...)
		b = appendInt(b, d.Hop)
		b = append(b, ": "...)
	}
	if d.Attempt > 1 {
		b = append(b, "attempt "...)
		b = appendInt(b, d.Attempt)
		b = append(b, ": "...)
	}
	b = append(b, d.Kind...)
	if d.Subject != "" {
		b = append(b, ' ')
		b = append(b, d.Subject...)
	}
	if d.Value != "" {
		b = append(b, ": "...)
		b = append(b, d.Value...)
	}
	if !quiet(d.Action) {
		b = append(b, ' ')
		b = append(b, d.Action...)
	}
	if d.Source != "" {
		b = append(b, " ← "...)
		b = append(b, d.Source...)
	}
	if d.Reason != "" {
		b = append(b, " ("...)
		b = append(b, d.Reason...)
		b = append(b, ')')
	}
	return b
}

func appendInt(b []byte, n int) []byte {
	if n >= 10 {
		b = appendInt(b, n/10)
	}
	return append(b, byte('0'+n%10))
}
