package auth

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/relayhttp/relay/internal/origin"
	"github.com/relayhttp/relay/middleware"
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

type digestAlgorithm struct {
	name string
	rank int // also selects the hash in sum
	new  func() hash.Hash
}

var (
	digestMD5       = &digestAlgorithm{"MD5", 1, md5.New}
	digestSHA256    = &digestAlgorithm{"SHA-256", 2, sha256.New}
	digestSHA512256 = &digestAlgorithm{"SHA-512-256", 3, sha512.New512_256}
)

// sum appends the hex digest of data to dst. It calls the hash functions
// directly so that the buffers of answer stay on the stack.
func (a *digestAlgorithm) sum(dst, data []byte) []byte {
	switch a.rank {
	case 2:
		s := sha256.Sum256(data)
		return hex.AppendEncode(dst, s[:])
	case 3:
		s := sha512.Sum512_256(data)
		return hex.AppendEncode(dst, s[:])
	}
	s := md5.Sum(data)
	return hex.AppendEncode(dst, s[:])
}

// digestAlgorithmOf maps an algorithm parameter to its hash and whether it is
// a -sess variant. An absent parameter means MD5.
func digestAlgorithmOf(token string) (*digestAlgorithm, bool) {
	name, sess := token, false
	if len(name) > 5 && strings.EqualFold(name[len(name)-5:], "-sess") {
		name, sess = name[:len(name)-5], true
	}
	switch {
	case token == "", strings.EqualFold(name, "MD5"):
		return digestMD5, sess
	case strings.EqualFold(name, "SHA-256"):
		return digestSHA256, sess
	case strings.EqualFold(name, "SHA-512-256"):
		return digestSHA512256, sess
	}
	return nil, false
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

// answer sets req's Authorization header for the space sp, whose nonce count
// has already been increased.
func (d *digest) answer(req *http.Request, sp digestSpace) error {
	alg := sp.alg
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	uri := req.URL.RequestURI()
	var cnonce string
	if sp.qop != "" || sp.sess {
		cnonce = d.cnonce()
	}
	var nc [8]byte
	hexCount(nc[:], sp.nc)

	buf := make([]byte, 0, 512)
	// HA1, with -sess: H(H(user:realm:pass):nonce:cnonce).
	ha1 := sp.ha1
	if sp.sess {
		buf = append(append(append(append(append(buf, ha1...), ':'), sp.nonce...), ':'), cnonce...)
		ha1 = string(alg.sum(nil, buf))
		buf = buf[:0]
	}
	// HA2: H(method:uri), with auth-int H(method:uri:H(body)).
	buf = append(append(append(buf, method...), ':'), uri...)
	if sp.qop == "auth-int" {
		bodyHash, err := hashBody(req, alg)
		if err != nil {
			return err
		}
		buf = append(append(buf, ':'), bodyHash...)
	}
	mark := len(buf)
	buf = alg.sum(buf, buf)
	ha2 := buf[mark:]
	// response: H(HA1:nonce:nc:cnonce:qop:HA2), or H(HA1:nonce:HA2) without qop.
	start := len(buf)
	buf = append(append(append(append(buf, ha1...), ':'), sp.nonce...), ':')
	if sp.qop != "" {
		buf = append(append(append(append(append(append(buf, nc[:]...), ':'), cnonce...), ':'), sp.qop...), ':')
	}
	buf = append(buf, ha2...)
	mark = len(buf)
	buf = alg.sum(buf, buf[start:])
	response := buf[mark:]

	var hb [512]byte // on the stack; append moves a longer header to the heap
	h := hb[:0]
	h = append(h, "Digest "...)
	h = append(h, sp.username...)
	h = append(h, ", realm="...)
	h = appendQuoted(h, sp.realm)
	h = append(h, ", nonce="...)
	h = appendQuoted(h, sp.nonce)
	h = append(h, ", uri="...)
	h = appendQuoted(h, uri)
	h = append(h, `, response="`...)
	h = append(h, response...)
	h = append(h, '"')
	if sp.hasOpaque {
		h = append(h, ", opaque="...)
		h = appendQuoted(h, sp.opaque)
	}
	if sp.algToken != "" {
		h = append(append(h, ", algorithm="...), sp.algToken...)
	}
	if sp.qop != "" {
		h = append(append(h, ", qop="...), sp.qop...)
		h = append(append(h, ", nc="...), nc[:]...)
	}
	if cnonce != "" {
		h = append(h, ", cnonce="...)
		h = appendQuoted(h, cnonce)
	}
	if sp.userhash {
		h = append(h, ", userhash=true"...)
	}
	req.Header.Set("Authorization", string(h))
	return nil
}

// hexCount writes n as 8 lower-case hex digits, the nc format.
func hexCount(dst []byte, n uint32) {
	const digits = "0123456789abcdef"
	for i := 7; i >= 0; i-- {
		dst[i] = digits[n&0xf]
		n >>= 4
	}
}

// hashBody returns the hex digest of req's body, read through GetBody so the
// body that will be sent stays unread.
func hashBody(req *http.Request, alg *digestAlgorithm) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return alg.sum(nil, nil), nil
	}
	if req.GetBody == nil {
		return nil, fmt.Errorf("digest qop=auth-int hashes the body: %w", middleware.ErrUnrewindableBody)
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, fmt.Errorf("digest qop=auth-int: reading the body: %w", err)
	}
	defer body.Close()
	h := alg.new()
	if _, err := io.Copy(h, body); err != nil {
		return nil, fmt.Errorf("digest qop=auth-int: reading the body: %w", err)
	}
	return hex.AppendEncode(nil, h.Sum(nil)), nil
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

// pickDigestChallenge returns the Digest challenge with the strongest
// algorithm this package can answer, the first one among equals, or nil.
func pickDigestChallenge(cs []challenge) *challenge {
	var best *challenge
	bestRank := 0
	for i := range cs {
		c := &cs[i]
		if c.scheme != "digest" || c.bad {
			continue
		}
		if n, _ := c.get("nonce"); n == "" {
			continue
		}
		algToken, _ := c.get("algorithm")
		alg, _ := digestAlgorithmOf(algToken)
		if alg == nil {
			continue
		}
		if q, ok := c.get("qop"); ok && pickQop(q) == "" {
			continue
		}
		if alg.rank > bestRank {
			best, bestRank = c, alg.rank
		}
	}
	return best
}

// pickQop chooses from a qop-options value: "auth" if offered, else
// "auth-int" if offered, else "".
func pickQop(options string) string {
	var authInt bool
	for o := range strings.SplitSeq(options, ",") {
		switch strings.ToLower(strings.TrimSpace(o)) {
		case "auth":
			return "auth"
		case "auth-int":
			authInt = true
		}
	}
	if authInt {
		return "auth-int"
	}
	return ""
}

var errDigestUsername = errors.New("digest: the user name has a control character and the server did not offer charset=UTF-8")

// newSpace builds the protection space of challenge c, received for a
// request to u.
func (d *digest) newSpace(u *url.URL, c *challenge) (*digestSpace, error) {
	realm, _ := c.get("realm")
	nonce, _ := c.get("nonce")
	algToken, _ := c.get("algorithm")
	alg, sess := digestAlgorithmOf(algToken)
	sp := &digestSpace{realm: realm, nonce: nonce, algToken: algToken, alg: alg, sess: sess}
	sp.opaque, sp.hasOpaque = c.get("opaque")
	if q, ok := c.get("qop"); ok {
		sp.qop = pickQop(q)
	}
	if v, _ := c.get("userhash"); strings.EqualFold(v, "true") {
		sp.userhash = true
	}
	charset, _ := c.get("charset")
	utf8 := strings.EqualFold(charset, "UTF-8")

	buf := make([]byte, 0, 64)
	buf = append(append(append(append(append(buf, d.user...), ':'), realm...), ':'), d.pass...)
	sp.ha1 = string(alg.sum(nil, buf))
	switch {
	case sp.userhash:
		// RFC 7616 §3.4.4: username = H(unq(username) ":" unq(realm)).
		buf = append(append(append(buf[:0], d.user...), ':'), realm...)
		sp.username = `username="` + string(alg.sum(nil, buf)) + `"`
	case plainUsername(d.user):
		sp.username = string(appendQuoted([]byte("username="), d.user))
	case utf8:
		sp.username = "username*=UTF-8''" + encodeRFC8187(d.user)
	case hasControl(d.user):
		return nil, errDigestUsername
	default: // non-ASCII without charset=UTF-8: raw UTF-8, as Requests and curl send it
		sp.username = string(appendQuoted([]byte("username="), d.user))
	}
	if domain, ok := c.get("domain"); ok {
		sp.paths = domainPaths(u, domain)
		if sp.paths != nil && matchLen(sp.paths, u.EscapedPath()) < 0 {
			// The challenged URI is in the space, whatever domain says.
			sp.paths = append(sp.paths, u.EscapedPath())
		}
	}
	return sp, nil
}

// domainPaths resolves a domain parameter (space-separated URIs) against the
// request URL u and keeps the paths of those on u's origin. None (or an
// empty parameter) means the whole origin, as RFC 7616 §3.3 says.
func domainPaths(u *url.URL, domain string) []string {
	o := origin.Of(u)
	var paths []string
	for f := range strings.FieldsSeq(domain) {
		ref, err := url.Parse(f)
		if err != nil {
			continue
		}
		abs := u.ResolveReference(ref)
		if origin.Of(abs) != o {
			continue
		}
		p := abs.EscapedPath()
		if p == "" {
			p = "/"
		}
		paths = append(paths, p)
	}
	return paths
}

func plainUsername(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return false
}

// encodeRFC8187 percent-encodes s as an RFC 8187 value-chars.
func encodeRFC8187(s string) string {
	const upper = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upper[c>>4])
		b.WriteByte(upper[c&0xf])
	}
	return b.String()
}
