// Package hooks lets code observe and change what a relay stack sends and
// receives without writing a middleware: Requests' event hooks, typed per
// event.
//
// There are three events:
//
//   - request: before a request is sent. A [RequestHook] gets a clone of the
//     request that it may edit (headers, URL, body, context) or fail with an
//     error.
//   - response: after a response arrives. A [ResponseHook] may return a
//     replacement response; returning nil keeps the one it was given, as in
//     Requests. The body of a replaced response is drained and closed.
//   - error: when the stack below returned an error instead of a response (a
//     refused connection, a timeout, too many redirects). 4xx and 5xx
//     responses are responses, not errors. An [ErrorHook] observes; it cannot
//     change the error.
//
// Hooks are registered on a [Registry] (a relay Session holds one as
// s.Hooks) or for one request in its context ([WithRequestHook],
// [WithResponseHook], [WithErrorHook]). Registry hooks run first, then the
// request's, each in the order they were added.
//
// A hook that returns an error fails the request with that error wrapped
// ("hooks: request hook: …", reachable with errors.Is and errors.As). A hook
// that panics is recovered: the request fails with a *[PanicError]. On every
// such path the request body is closed if the request was not sent, and a
// received response's body is drained and closed.
//
// # Final responses and hops
//
// By default hooks see one request and one outcome per call: the request as
// the caller made it, and the final response after redirects (and retries)
// or the call's error. A request whose context was made with [WithHops]
// asks for more: every redirect hop and every retry attempt goes through the
// request, response and error hooks. Two middlewares make this work:
// [Middleware] sits outside the redirect middleware and hooks the call;
// [HopMiddleware] sits under it (in every mount, inside retries) and hooks
// each hop and attempt when asked. They coordinate through the context so
// that no event is hooked twice and none is missed when one of the two is
// absent.
package hooks
