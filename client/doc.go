// Package client is relay's facade: a Session that remembers headers, query
// parameters and auth, and request helpers that read like Python's Requests
// while staying plain Go — a context on every call, explicit errors, and an
// *http.Client view of the whole stack for libraries that want one.
//
// A Session assembles relay's middlewares (package middleware, auth, …) over a
// base transport; everything it does can also be used à la carte on any
// *http.Client. The order of the stack, outermost first:
//
//  1. defaults: session headers and params merged into the request once;
//  2. hooks: the session's and the request's request, response and error hooks;
//  3. the middlewares added with Session.Use, in the order added;
//  4. redirects: each hop goes back through the router below;
//  5. the prefix router (Session.Mount), which picks a mount per URL;
//  6. per mount, per hop: cookies → auth → proxy selection → decompression →
//     retry → phase timeouts → hop hooks → logging → the mount's transport.
//
// A Session is safe for concurrent use once configured: set its fields and
// call Mount and Use before sharing it between goroutines.
package client
