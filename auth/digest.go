package auth

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"

	"github.com/relayhttp/relay/internal/origin"
)

// Digest returns a Challenger that answers HTTP Digest challenges (RFC 7616,
// and RFC 2617 which it updates) with user and pass.
//
// It supports the algorithms MD5, SHA-256 and SHA-512-256 and their -sess
// variants, qop "auth" and "auth-int", opaque, userhash and charset=UTF-8.
// When a 401 carries several challenges (in one WWW-Authenticate field or
// several), it answers the Digest challenge with the strongest algorithm
// (SHA-512-256, then SHA-256, then MD5; the first one offered among equals).
// It never sends Basic credentials, even when the server offers only Basic:
// that 401 is returned as it is.
//
// What a challenge teaches (realm, nonce, opaque, algorithm, the nonce count)
// is kept per protection space, the request's origin and the challenge's
// realm, and narrowed to the challenge's domain parameter when it names paths
// on that origin. Later requests to that space are authorized up front, with
// the nonce count increased, so a session pays the 401 round trip once. A
// 401 with stale=true to a request that carried an answer (the nonce expired,
// up front or between a challenge and its answer) replaces the nonce, its
// count back at 1, and the middleware answers once more without involving
// the caller: once per request, so a second stale 401, or a 401 without
// stale to an answer, is returned as it is. Nothing learned on one origin is
// ever used on another.
//
// With qop=auth-int the request body is hashed, read a second time through
// GetBody; a request with a body and no GetBody then fails with
// middleware.ErrUnrewindableBody. When the server offers both, "auth" is used,
// as curl, browsers and Requests do, so a body is not read twice for nothing.
//
// The returned Authenticator is safe for concurrent use. Its String method
// does not show the password.
func Digest(user, pass string) Authenticator {
	return &digest{user: user, pass: pass, cnonce: randomCnonce}
}

// Limits on what a Digest authenticator remembers: a few realms per origin,
// and a bounded number of origins (an arbitrary one is forgotten when full).
const (
	maxDigestSpacesPerOrigin = 8
	maxDigestOrigins         = 256
)

type digest struct {
	user, pass string
	cnonce     func() string // replaced by tests

	mu     sync.Mutex
	spaces map[origin.Origin][]*digestSpace // most recently challenged first
}

// digestSpace is one protection space and the challenge last received for it.
type digestSpace struct {
	realm     string
	paths     []string // domain paths on this origin; nil: the whole origin
	nonce     string
	opaque    string
	hasOpaque bool
	algToken  string // the algorithm as the server spelled it; "" if absent
	alg       *digestAlgorithm
	sess      bool
	qop       string // "auth", "auth-int", or "" (RFC 2069 compatibility)
	userhash  bool
	username  string // the username parameter, formatted: `username="x"`
	ha1       string // H(user:realm:pass), before -sess
	nc        uint32
}

func randomCnonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24)
	return hex.EncodeToString(b[:])
}

// String formats the authenticator without its password.
func (d *digest) String() string { return "auth.Digest(" + d.user + ", ***)" }

// GoString keeps the password out of %#v too.
func (d *digest) GoString() string { return d.String() }

// Authorize adds a Digest Authorization header when req belongs to a
// protection space this authenticator has been challenged for; otherwise it
// leaves req alone and the server's 401 brings the challenge.
func (d *digest) Authorize(req *http.Request) error {
	o := origin.Of(req.URL)
	path := req.URL.EscapedPath()
	d.mu.Lock()
	sp := d.find(o, path)
	if sp == nil {
		d.mu.Unlock()
		return nil
	}
	sp.nc++
	snapshot := *sp
	d.mu.Unlock()
	return d.answer(req, snapshot)
}

// find returns the space of origin o that covers path: the one with the
// longest matching domain path, the most recently challenged among equals.
// The caller holds d.mu.
func (d *digest) find(o origin.Origin, path string) *digestSpace {
	var best *digestSpace
	bestLen := -1
	for _, sp := range d.spaces[o] {
		n := matchLen(sp.paths, path)
		if n > bestLen {
			best, bestLen = sp, n
		}
	}
	return best
}

// matchLen returns the length of the longest prefix of path in paths, 0 for
// a space without paths (the whole origin), and -1 if none matches.
func matchLen(paths []string, path string) int {
	if paths == nil {
		return 0
	}
	n := -1
	for _, p := range paths {
		if len(p) > n && strings.HasPrefix(path, p) {
			n = len(p)
		}
	}
	return n
}

// Challenge reads the Digest challenges of a 401 and remembers the strongest
// one for the protection space of req. It returns false when there is none it
// can answer (no Digest challenge, an unknown algorithm or qop), and when the
// server repeats the nonce req was already authorized with without stale=true:
// the credentials are wrong and resending cannot help.
func (d *digest) Challenge(req *http.Request, resp *http.Response) (bool, error) {
	c := pickDigestChallenge(parseChallenges(resp.Header.Values("Www-Authenticate")))
	if c == nil {
		return false, nil
	}
	sp, err := d.newSpace(req.URL, c)
	if err != nil {
		return false, err
	}
	stale, _ := c.get("stale")
	if !strings.EqualFold(stale, "true") && sentNonce(req, sp.realm) == sp.nonce {
		return false, nil
	}
	o := origin.Of(req.URL)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.spaces == nil {
		d.spaces = make(map[origin.Origin][]*digestSpace)
	}
	list, known := d.spaces[o]
	if !known && len(d.spaces) >= maxDigestOrigins {
		for k := range d.spaces { // forget an arbitrary origin
			delete(d.spaces, k)
			break
		}
	}
	kept := make([]*digestSpace, 0, len(list)+1)
	kept = append(kept, sp)
	for _, old := range list {
		if old.realm == sp.realm {
			if old.nonce == sp.nonce {
				sp.nc = old.nc // the same nonce: the count goes on
			}
			continue
		}
		if len(kept) < maxDigestSpacesPerOrigin {
			kept = append(kept, old)
		}
	}
	d.spaces[o] = kept
	return true, nil
}

// sentNonce returns the nonce of the Digest Authorization header req carried
// for realm, or "".
func sentNonce(req *http.Request, realm string) string {
	for _, c := range parseChallenges(req.Header.Values("Authorization")) {
		if c.scheme != "digest" {
			continue
		}
		if r, _ := c.get("realm"); r != realm {
			continue
		}
		n, _ := c.get("nonce")
		return n
	}
	return ""
}
