// Package explain is the decision trail of a call: which setting won, where
// it came from, what was stripped or withheld and why.
//
// A relay call is decided by many layers — session defaults and request
// options, proxy maps and environment variables, netrc files, cookie jars,
// redirect rules, retries, timeouts, the cache — and when the result
// surprises, the question is always "which setting did that?". Requests'
// and other clients' issue trackers are full of it: a .netrc silently
// overriding an explicit Authorization, an environment proxy winning over a
// configured one, a stored cookie not sent. curl -v answers some of it;
// this package answers all of it, as values code and tests can check.
//
// A [Trail] travels in the call's context ([With]); every relay middleware
// writes a [Decision] to it at the place it decides ([Note]), and a user's
// middleware can too, with [KindUser]. A relay Session makes one per call
// with client.Explain() or Session.Explain, and Response.Explain returns
// it; String prints it as curl -v style lines:
//
//   - header User-Agent: relay/0.1.0 ← session default
//   - proxy http://p:3128 ← environment variable HTTPS_PROXY
//   - hop 2: header Authorization stripped (origin http://a:80 → http://b:80)
//
// With no trail in the context, Note costs one atomic load until the first
// trail of the process is made, and one context lookup after that; it never
// allocates. Middlewares that build strings for a decision check [On]
// first.
//
// The trail never holds a secret: the value of a header or parameter whose
// name is sensitive (Authorization, Cookie, a name with "token", "key",
// "secret", "password", … in it, or one given to [Trail.Redact]) is
// replaced by [Redacted] when it is noted, and relay's middlewares note
// cookie names, authenticator schemes and proxy URLs without their
// credentials, never their values.
package explain
