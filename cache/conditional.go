package cache

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The caller's own conditional and range requests. A cache holding a fresh
// response may answer them itself (RFC 9111 §4.3.2, RFC 9110 §14.2): a 304
// when the stored response satisfies If-None-Match or If-Modified-Since, a
// 206 from a stored complete response for one byte range. What it cannot
// evaluate (If-Match, If-Unmodified-Since, several ranges, a range on a
// response of unknown length) goes to the origin, unstored.

// unevaluated reports whether req carries preconditions the cache leaves
// to the origin.
func unevaluated(req *http.Request) bool {
	return len(req.Header["If-Match"]) > 0 || len(req.Header["If-Unmodified-Since"]) > 0
}

// conditional reports whether req carries a precondition the cache
// evaluates.
func conditional(req *http.Request) bool {
	return len(req.Header["If-None-Match"]) > 0 || len(req.Header["If-Modified-Since"]) > 0
}

// notModified reports whether the stored response with header h satisfies
// req's conditions, so that the answer is 304 (RFC 9110 §13.2.2):
// If-None-Match by weak comparison, and only when it is absent
// If-Modified-Since against Last-Modified (or else Date, §4.3.2 of RFC 9111).
func notModified(req *http.Request, h http.Header, received time.Time) bool {
	if inm := req.Header.Values("If-None-Match"); len(inm) > 0 {
		etag := h.Get("ETag")
		for _, v := range inm {
			for _, tag := range strings.Split(v, ",") {
				tag = strings.TrimSpace(tag)
				if tag == "*" || etag != "" && weakEqual(tag, etag) {
					return true
				}
			}
		}
		return false
	}
	since, err := parseDate(req.Header.Get("If-Modified-Since"))
	if err != nil {
		return false // an invalid date is ignored (RFC 9110 §13.1.3), and then the full response is the answer
	}
	last, err := parseDate(h.Get("Last-Modified"))
	if err != nil {
		if last, err = parseDate(h.Get("Date")); err != nil {
			last = received
		}
	}
	return !last.After(since)
}

// weakEqual compares two entity tags by weak comparison (RFC 9110 §8.8.3.2):
// their opaque tags, the W/ prefix aside.
func weakEqual(a, b string) bool {
	return strings.TrimPrefix(a, "W/") == strings.TrimPrefix(b, "W/")
}

// byteRange is one range of a body of a known length: the bytes from first
// to last, both included.
type byteRange struct{ first, last int64 }

// singleRange parses a Range field of one byte range over a body of size
// bytes (RFC 9110 §14.1.2): "bytes=a-b", "bytes=a-", or "bytes=-n". It
// reports false for anything else (other units, several ranges, a range
// that is not satisfiable), which the cache leaves to the origin.
func singleRange(values []string, size int64) (byteRange, bool) {
	if len(values) != 1 || size <= 0 {
		return byteRange{}, false
	}
	unit, spec, ok := strings.Cut(strings.TrimSpace(values[0]), "=")
	if !ok || !strings.EqualFold(strings.TrimSpace(unit), "bytes") || strings.Contains(spec, ",") {
		return byteRange{}, false
	}
	a, b, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return byteRange{}, false
	}
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if a == "" { // the last b bytes
		n, ok := parseDelta(b)
		if !ok || n == 0 {
			return byteRange{}, false
		}
		return byteRange{max(0, size-n), size - 1}, true
	}
	first, ok := parseDelta(a)
	if !ok || first >= size {
		return byteRange{}, false
	}
	last := size - 1
	if b != "" {
		n, ok := parseDelta(b)
		if !ok || n < first {
			return byteRange{}, false
		}
		last = min(n, last)
	}
	return byteRange{first, last}, true
}

// rangeApplies reports whether req's If-Range, if any, matches the stored
// response with header h (RFC 9110 §13.1.5): an entity tag by strong
// comparison, a date equal to Last-Modified. When it does not, the answer
// is the whole response.
func rangeApplies(req *http.Request, h http.Header) bool {
	ir := strings.TrimSpace(req.Header.Get("If-Range"))
	if ir == "" {
		return true
	}
	if strings.HasPrefix(ir, `"`) || strings.HasPrefix(ir, "W/") {
		etag := h.Get("ETag")
		return !strings.HasPrefix(ir, "W/") && !strings.HasPrefix(etag, "W/") && ir == etag
	}
	lm := h.Get("Last-Modified")
	return lm != "" && ir == lm
}

// answerOwn answers a request of the caller's own conditions or range from
// s, fresh enough to use: a 304, a 206, or the whole response. It reports
// false, having closed s, when only the origin can answer it.
func (c *Cache) answerOwn(s *stored, req *http.Request, now time.Time, st Status) (*http.Response, bool) {
	h := s.meta.Header
	if conditional(req) && notModified(req, h, s.meta.ResponseTime) {
		resp := c.serve(s, req, now, st)
		resp.Body.Close()
		resp.Status, resp.StatusCode = "304 Not Modified", http.StatusNotModified
		for name := range resp.Header {
			if strings.HasPrefix(name, "Content-") && name != "Content-Location" {
				delete(resp.Header, name)
			}
		}
		resp.Body, resp.ContentLength = http.NoBody, 0
		return resp, true
	}
	ranges := req.Header["Range"]
	if len(ranges) == 0 || req.Method == http.MethodHead || !rangeApplies(req, h) {
		return c.serve(s, req, now, st), true
	}
	size, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64)
	r, ok := singleRange(ranges, size)
	if err != nil || s.meta.Status != http.StatusOK || !ok {
		s.close()
		return nil, false
	}
	resp := c.serve(s, req, now, st)
	resp.Status, resp.StatusCode = "206 Partial Content", http.StatusPartialContent
	resp.ContentLength = r.last - r.first + 1
	resp.Header.Set("Content-Length", strconv.FormatInt(resp.ContentLength, 10))
	resp.Header.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", r.first, r.last, size))
	resp.Body = &rangeBody{rc: resp.Body, skip: r.first, left: resp.ContentLength}
	return resp, true
}

// rangeBody reads one range of a stored body: it skips to the range's
// first byte on the first read (seeking when the body can), then reads
// up to its last.
type rangeBody struct {
	rc         io.ReadCloser
	skip, left int64
}

func (b *rangeBody) Read(p []byte) (int, error) {
	if b.skip > 0 {
		var err error
		if sk, ok := b.rc.(io.Seeker); ok {
			_, err = sk.Seek(b.skip, io.SeekCurrent)
		} else {
			_, err = io.CopyN(io.Discard, b.rc, b.skip)
		}
		b.skip = 0
		if err != nil {
			return 0, unexpected(err)
		}
	}
	if b.left <= 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), b.left)]
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if err == io.EOF && b.left > 0 {
		err = io.ErrUnexpectedEOF // the stored body is shorter than it said
	}
	return n, err
}

func (b *rangeBody) Close() error { return b.rc.Close() }

// unexpected turns an end of the stored body before the range into the
// error it is.
func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
