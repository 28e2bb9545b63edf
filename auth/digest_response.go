package auth

import (
	"crypto/md5"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strings"

	"github.com/relayhttp/relay/middleware"
)

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
