package auth

import "net/url"

// FromURL splits the credentials off a URL, the way Requests turns
// https://user:pass@host/ into Basic auth. It returns Basic(user, pass) for
// u's userinfo (decoded; a missing password is empty) and a copy of u without
// it. When u has no userinfo, or an empty one ("https://:@host/"), it returns
// a nil Authenticator and a copy of u without userinfo. u is not modified; a
// nil u gives nil, nil.
//
// The caller sends the returned URL and gives the Authenticator to the
// request with NewURLContext, so that the credentials are bound to the
// origin where the redirect chain starts and never appear in the request
// line, a Referer, a log line or an error string.
func FromURL(u *url.URL) (Authenticator, *url.URL) {
	if u == nil {
		return nil, nil
	}
	clean := *u
	clean.User = nil
	if u.User == nil {
		return nil, &clean
	}
	user := u.User.Username()
	pass, _ := u.User.Password()
	if user == "" && pass == "" {
		return nil, &clean
	}
	return Basic(user, pass), &clean
}
