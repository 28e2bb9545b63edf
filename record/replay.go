package record

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// replay answers req from the cassette. answered is false when no entry
// matches; err is then the *NoMatchError to return in Replay mode.
func (r *Recorder) replay(req *http.Request, rb *requestBody, sensitive []string) (resp *http.Response, err error, answered bool) {
	live := requestHead(req, rb)
	r.opts.redactor.liveRequest(&live, sensitive)
	k := keysOf(&live, r.opts.matchHeaders)

	r.mu.Lock()
	id, exhausted, last := r.idx.lookup(&live, k, &r.opts)
	var e Entry
	if id >= 0 {
		e = r.idx.entries[id]
	}
	r.mu.Unlock()

	if id < 0 {
		nm := &NoMatchError{Path: r.path, Method: live.Method, URL: live.URL, Exhausted: exhausted, ClosestIndex: last}
		if !exhausted {
			nm.ClosestIndex, nm.Closest = r.idx.closest(k)
			if nm.ClosestIndex >= 0 {
				c := r.idx.entries[nm.ClosestIndex].Request
				nm.Closest = fmt.Sprintf("%s %s (%s differs)", c.Method, c.URL, nm.Closest)
			}
		}
		return nil, nm, false
	}
	resp, err = responseOf(&e, req)
	return resp, err, true
}

// responseOf builds the response that entry e recorded, as the answer to
// req. A body kept decoded is served without Content-Encoding and with its
// own Content-Length; a truncated one yields its bytes, then
// ErrTruncatedBody.
func responseOf(e *Entry, req *http.Request) (*http.Response, error) {
	p := &e.Response
	if p.Error != "" || p.Status == 0 {
		msg := p.Error
		if msg == "" {
			msg = "no response was recorded"
		}
		return nil, &RecordedError{Method: e.Request.Method, URL: e.Request.URL, Message: msg}
	}
	h := make(http.Header, len(p.Headers))
	for _, nv := range p.Headers {
		if strings.HasPrefix(nv.Name, ":") { // an HTTP/2 pseudo-header in a browser's HAR
			continue
		}
		h.Add(nv.Name, nv.Value)
	}
	c := p.Content
	resp := &http.Response{
		Status:     fmt.Sprintf("%d %s", p.Status, statusText(p)),
		StatusCode: p.Status,
		Header:     h,
		Request:    req,
	}
	resp.Proto, resp.ProtoMajor, resp.ProtoMinor = parseProto(p.HTTPVersion)
	if req.Method == http.MethodHead {
		resp.Body = http.NoBody
		resp.ContentLength = -1
		if n, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64); err == nil {
			resp.ContentLength = n
		}
		return resp, nil
	}
	if !c.ContentEncoded {
		h.Del("Content-Encoding")
	}
	h.Del("Transfer-Encoding")
	if c.Truncated {
		h.Del("Content-Length")
		resp.ContentLength = -1
		resp.Body = io.NopCloser(io.MultiReader(strings.NewReader(c.Text), errorReader{
			fmt.Errorf("%w: %d bytes of the response body of %s %s are recorded, of %s",
				ErrTruncatedBody, len(c.Text), e.Request.Method, e.Request.URL, sizeText(c.Size, len(c.Text))),
		}))
		return resp, nil
	}
	resp.ContentLength = int64(len(c.Text))
	if resp.ContentLength > 0 || h.Get("Content-Length") != "" {
		h.Set("Content-Length", strconv.Itoa(len(c.Text)))
	}
	if c.Text == "" {
		resp.Body = http.NoBody
	} else {
		resp.Body = io.NopCloser(strings.NewReader(c.Text))
	}
	return resp, nil
}

func sizeText(size Size, kept int) string {
	if int(size) > kept {
		return strconv.FormatInt(int64(size), 10)
	}
	return "more"
}

func statusText(p *Response) string {
	if p.StatusText != "" {
		return p.StatusText
	}
	return http.StatusText(p.Status)
}

// parseProto reads a HAR httpVersion: "HTTP/1.1", and the spellings
// browsers use ("http/2.0", "h2", "h3"); anything else is HTTP/1.1.
func parseProto(v string) (string, int, int) {
	switch u := strings.ToUpper(strings.TrimSpace(v)); u {
	case "H2", "HTTP/2", "HTTP/2.0":
		return "HTTP/2.0", 2, 0
	case "H3", "HTTP/3", "HTTP/3.0":
		return "HTTP/3.0", 3, 0
	default:
		if major, minor, ok := http.ParseHTTPVersion(u); ok {
			return u, major, minor
		}
	}
	return "HTTP/1.1", 1, 1
}

type errorReader struct{ err error }

func (r errorReader) Read([]byte) (int, error) { return 0, r.err }
