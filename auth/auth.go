package auth

import (
	"encoding/base64"
	"errors"
	"net/http"
)

// Authenticator adds credentials to a request.
//
// Authorize is called with a request the caller owns (the auth middleware
// passes a clone whose Header map is its own), once per attempt. It must be
// safe for concurrent use. An error fails the request before it is sent.
type Authenticator interface {
	Authorize(req *http.Request) error
}

// Challenger is an Authenticator for challenge/response schemes such as
// Digest: the server answers an unauthenticated request with 401 and a
// challenge, and the client resends with an answer to it.
//
// Challenge is given a 401 response to a request that Authorize saw. It
// returns true when it has learned what it needs (a nonce, a realm), so that
// Authorize, called again on a fresh copy of the request, makes a request
// worth resending. The middleware resends at most once per request and drains
// and closes the 401 itself; Challenge must not read resp.Body. A scheme that
// remembers its challenge authorizes later requests up front, with no 401
// round trip.
//
// The one exception to the single resend is Digest's: when the answer is
// refused only because its nonce has expired (stale=true, RFC 7616 §3.3),
// Challenge is called with that 401 too and the request is answered once
// more, so it is sent at most three times.
type Challenger interface {
	Authenticator
	Challenge(req *http.Request, resp *http.Response) (bool, error)
}

// Basic returns an Authenticator that sends HTTP Basic credentials (RFC 7617).
// The header value is computed once. Its String method does not show the
// password.
func Basic(user, pass string) Authenticator {
	return basic{
		user:  user,
		value: "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass)),
	}
}

type basic struct{ user, value string }

func (b basic) Authorize(req *http.Request) error {
	req.Header.Set("Authorization", b.value)
	return nil
}

// String formats the authenticator without its password.
func (b basic) String() string { return "auth.Basic(" + b.user + ", ***)" }

// GoString keeps the password out of %#v too.
func (b basic) GoString() string { return b.String() }

// Func returns an Authenticator that calls f on each request, for custom
// schemes: f may set any header (Requests' custom AuthBase). An error from f
// fails the request.
func Func(f func(*http.Request) error) Authenticator {
	return authFunc(f)
}

type authFunc func(*http.Request) error

func (f authFunc) Authorize(req *http.Request) error {
	if f == nil {
		return errNilFunc
	}
	return f(req)
}

var errNilFunc = errors.New("Func was given a nil function") // the middleware adds "auth: "
