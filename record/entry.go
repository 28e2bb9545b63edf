package record

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// requestHead is the HAR form of req as the transport will send it, and
// of the first bytes of its body (rb, nil for none).
func requestHead(req *http.Request, rb *requestBody) Request {
	u := *req.URL
	u.Fragment, u.RawFragment = "", ""
	if u.Host == "" {
		u.Host = req.Host
	}
	q := Request{
		Method:      req.Method,
		URL:         u.String(),
		HTTPVersion: protoOf(req.Proto),
		Cookies:     cookiesOf(req.Cookies()),
		Headers:     headerList(req.Header),
		QueryString: queryList(u.RawQuery),
		HeadersSize: -1,
		BodySize:    0,
	}
	if q.Method == "" {
		q.Method = http.MethodGet
	}
	if req.Host != "" && req.Host != req.URL.Host {
		q.Headers = append([]NameValue{{Name: "Host", Value: req.Host}}, q.Headers...)
	}
	if rb != nil {
		q.PostData = &PostData{MimeType: req.Header.Get("Content-Type"), Text: string(rb.prefix), Truncated: rb.truncated}
		q.BodySize = Size(len(rb.read))
	}
	return q
}

// responseHead is the HAR form of resp without its body.
func responseHead(resp *http.Response) Response {
	text := http.StatusText(resp.StatusCode)
	if _, rest, ok := strings.Cut(resp.Status, " "); ok { // "200 OK"
		text = rest
	}
	p := Response{
		Status:      resp.StatusCode,
		StatusText:  text,
		HTTPVersion: protoOf(resp.Proto),
		Cookies:     cookiesOf(resp.Cookies()),
		Headers:     headerList(resp.Header),
		Content:     Content{MimeType: resp.Header.Get("Content-Type")},
		RedirectURL: resp.Header.Get("Location"),
		HeadersSize: -1,
		BodySize:    0,
	}
	return p
}

func protoOf(proto string) string {
	if proto == "" {
		return "HTTP/1.1"
	}
	return proto
}

// headerList is h as HAR headers: names sorted, each value on its own.
func headerList(h http.Header) []NameValue {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	slices.Sort(names)
	out := make([]NameValue, 0, len(h))
	for _, k := range names {
		for _, v := range h[k] {
			out = append(out, NameValue{Name: k, Value: v})
		}
	}
	return out
}

// queryList is a raw query as HAR parameters, in order, decoded.
func queryList(raw string) []NameValue {
	out := []NameValue{}
	if raw == "" {
		return out
	}
	for p := range strings.SplitSeq(raw, "&") {
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		out = append(out, NameValue{Name: k, Value: v})
	}
	return out
}

func cookiesOf(cs []*http.Cookie) []Cookie {
	out := make([]Cookie, 0, len(cs))
	for _, c := range cs {
		hc := Cookie{Name: c.Name, Value: c.Value, Path: c.Path, Domain: c.Domain, HTTPOnly: c.HttpOnly, Secure: c.Secure}
		if !c.Expires.IsZero() {
			hc.Expires = &Time{c.Expires}
		}
		out = append(out, hc)
	}
	return out
}

// millis is d in HAR's milliseconds.
func millis(d time.Duration) Number {
	if d < 0 {
		d = 0
	}
	return Number(float64(d) / float64(time.Millisecond))
}

// fillBody sets the response's content from what the tap kept: decoded
// from its Content-Encoding when relay knows the coding (see Content), as
// it came otherwise. complete says the body was read to its end.
func fillBody(p *Response, raw []byte, n int64, complete bool, codings []string, max int64) {
	c := &p.Content
	p.BodySize = Size(n)
	kept := int64(len(raw)) == n // nothing beyond the cap was dropped
	if len(codings) == 0 {
		c.Text, c.Size, c.Truncated = string(raw), Size(n), !complete || !kept
		return
	}
	if decoded, partial, ok := decodeBody(raw, codings, complete && kept, max); ok {
		c.Text, c.Size, c.Truncated = string(decoded), Size(len(decoded)), partial
		if saved := Size(len(decoded)) - Size(n); !partial && saved > 0 {
			c.Compression = saved
		}
		return
	}
	c.Text, c.Size, c.Truncated, c.ContentEncoded = string(raw), Size(n), !complete || !kept, true
}
