package auth

import (
	"net/http"
	"strings"
)

// A staleChallenger is a Challenger whose server can refuse an answer only
// because the nonce it was computed from has expired, and says so in its
// challenge (Digest's stale=true, RFC 7616 §3.3). The auth middleware then
// renews the answer once per request, besides the one answer it gives a
// challenge, so a nonce that expires between a challenge and its answer
// costs the caller nothing.
type staleChallenger interface {
	Challenger

	// stale reports whether resp, a 401 answering req, declares stale the
	// nonce of the answer req carried and offers a new one: the credentials
	// were right, and an answer with the new nonce is worth sending. It
	// only reads resp's header and changes nothing; Challenge learns the new
	// nonce.
	stale(req *http.Request, resp *http.Response) bool
}

var _ staleChallenger = (*digest)(nil)

// isStale reports whether c is a staleChallenger for which resp, the 401
// answering req, is a stale one.
func isStale(c Challenger, req *http.Request, resp *http.Response) bool {
	s, ok := c.(staleChallenger)
	return ok && s.stale(req, resp)
}

// stale reports whether the Digest challenge of resp that Challenge would
// pick says stale=true for its realm, with a nonce other than the one req's
// Authorization header answered. A request that carried no Digest answer
// for that realm was not refused for its nonce, and a server that declares
// stale the very nonce it offers again would only be answered in a loop.
func (d *digest) stale(req *http.Request, resp *http.Response) bool {
	c := pickDigestChallenge(parseChallenges(resp.Header.Values("Www-Authenticate")))
	if c == nil {
		return false
	}
	if v, _ := c.get("stale"); !strings.EqualFold(v, "true") {
		return false
	}
	realm, _ := c.get("realm")
	nonce, _ := c.get("nonce")
	sent := sentNonce(req, realm)
	return sent != "" && sent != nonce
}
