package middleware

import "errors"

// ErrUnrewindableBody is returned when a middleware must send a request again
// (a 307/308 redirect, an answered authentication challenge, a retry) and the
// body cannot be replayed because the request has no GetBody. relay never
// resends an empty or truncated body in its place.
var ErrUnrewindableBody = errors.New("request body cannot be replayed (it has no GetBody)")
