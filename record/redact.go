package record

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
)

// placeholderPrefix starts every value redaction writes.
const placeholderPrefix = "REDACTED-"

// minScrubLength is the shortest secret that is also searched for, and
// replaced, everywhere else in an entry: shorter values would match too
// much unrelated text.
const minScrubLength = 4

// alwaysSensitive are the headers redacted whatever their name looks like.
var alwaysSensitive = []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"}

// urlHeaders hold a URL whose userinfo and secret-looking query parameters
// are redacted like the request's.
var urlHeaders = []string{"Location", "Content-Location", "Referer"}

// redactor applies the redaction rules of one Recorder. It is immutable
// once built and safe for concurrent use.
type redactor struct {
	headers map[string]bool // canonical names redacted on top of the built-in ones
	names   map[string]bool // lower-cased names redacted on top of LooksSecret
	salt    string
	user    func(*Entry)
}

func newRedactor(headers, names []string, salt string, user func(*Entry)) redactor {
	r := redactor{headers: map[string]bool{}, names: map[string]bool{}, salt: salt, user: user}
	for _, h := range alwaysSensitive {
		r.headers[h] = true
	}
	for _, h := range headers {
		r.headers[http.CanonicalHeaderKey(h)] = true
	}
	for _, n := range names {
		r.names[strings.ToLower(n)] = true
	}
	return r
}

// placeholder is what a secret becomes: REDACTED- and 8 hex digits of a
// salted SHA-256, the same for the same secret on every run.
func (r *redactor) placeholder(secret string) string {
	h := sha256.New()
	h.Write([]byte("relay/record\x00"))
	h.Write([]byte(r.salt))
	h.Write([]byte{0})
	h.Write([]byte(secret))
	return placeholderPrefix + hex.EncodeToString(h.Sum(nil)[:4])
}

// secretName reports whether a parameter or field named name is redacted.
func (r *redactor) secretName(name string) bool {
	return LooksSecret(name) || (len(r.names) > 0 && r.names[strings.ToLower(name)])
}

// sensitiveHeader reports whether the header named name (canonical) is
// redacted, sensitive being the names the session marks sensitive.
func (r *redactor) sensitiveHeader(name string, sensitive []string) bool {
	if r.headers[name] || r.secretName(name) {
		return true
	}
	for _, s := range sensitive {
		if strings.EqualFold(s, name) {
			return true
		}
	}
	return false
}

// found collects the secrets replaced in one entry, so that their other
// occurrences (an echo of a header in a body, a token in a URL of a
// redirect) are replaced too.
type found struct {
	r    *redactor
	list []string
	rep  *strings.Replacer // of list, built when needed
	n    int               // how many of list rep replaces
}

// hide returns v's placeholder and remembers v. A placeholder stays as it
// is, so redaction can run twice.
func (f *found) hide(v string) string {
	if v == "" || isPlaceholder(v) {
		return v
	}
	if !slices.Contains(f.list, v) {
		f.list = append(f.list, v)
	}
	return f.r.placeholder(v)
}

func isPlaceholder(v string) bool {
	return len(v) == len(placeholderPrefix)+8 && strings.HasPrefix(v, placeholderPrefix)
}

// entry redacts e in place: the request, then the response, then the
// user's rule. sensitive are the session's sensitive header names. The
// request is redacted from its own content only, so that the live request
// in replay, redacted alone, comes out the same as the recorded one.
func (r *redactor) entry(e *Entry, sensitive []string) {
	f := &found{r: r}
	r.request(&e.Request, sensitive, f)
	f.scrubRequest(&e.Request)
	r.response(&e.Response, sensitive, f)
	f.scrubResponse(&e.Response)
	if r.user != nil {
		r.user(e)
	}
}

// liveRequest redacts a request about to be matched as entry redacts a
// recorded one.
func (r *redactor) liveRequest(q *Request, sensitive []string) {
	f := &found{r: r}
	r.request(q, sensitive, f)
	f.scrubRequest(q)
	if r.user != nil {
		e := Entry{Request: *q}
		r.user(&e)
		*q = e.Request
	}
}

func (r *redactor) request(q *Request, sensitive []string, f *found) {
	q.URL = r.url(q.URL, f)
	for i := range q.QueryString {
		if r.secretName(q.QueryString[i].Name) {
			q.QueryString[i].Value = f.hide(q.QueryString[i].Value)
		}
	}
	r.headerList(q.Headers, sensitive, f)
	for i := range q.Cookies {
		q.Cookies[i].Value = f.hide(q.Cookies[i].Value)
	}
	if p := q.PostData; p != nil {
		p.Text = r.body(p.Text, p.MimeType, f)
		for i := range p.Params {
			if r.secretName(p.Params[i].Name) {
				p.Params[i].Value = f.hide(p.Params[i].Value)
			}
		}
	}
}

func (r *redactor) response(p *Response, sensitive []string, f *found) {
	p.RedirectURL = r.url(p.RedirectURL, f)
	r.headerList(p.Headers, sensitive, f)
	for i := range p.Cookies {
		p.Cookies[i].Value = f.hide(p.Cookies[i].Value)
	}
	if !p.Content.ContentEncoded {
		p.Content.Text = r.body(p.Content.Text, p.Content.MimeType, f)
	}
}

// headerList redacts header values: sensitive headers wholly (cookies
// value by value, credentials after their scheme), URL-valued ones as
// URLs.
func (r *redactor) headerList(hs []NameValue, sensitive []string, f *found) {
	for i := range hs {
		name := http.CanonicalHeaderKey(hs[i].Name)
		switch {
		case strings.HasPrefix(name, ":"): // an HTTP/2 pseudo-header in a browser's HAR
			if name == ":path" {
				hs[i].Value = r.url(hs[i].Value, f)
			}
		case name == "Cookie":
			hs[i].Value = r.cookieHeader(hs[i].Value, f)
		case name == "Set-Cookie":
			hs[i].Value = r.setCookie(hs[i].Value, f)
		case name == "Authorization" || name == "Proxy-Authorization":
			hs[i].Value = r.credentials(hs[i].Value, f)
		case r.sensitiveHeader(name, sensitive):
			hs[i].Value = f.hide(hs[i].Value)
		case slices.Contains(urlHeaders, name):
			hs[i].Value = r.url(hs[i].Value, f)
		}
	}
}

// credentials keeps an Authorization value's scheme and redacts the rest;
// the user:password inside Basic credentials is remembered too, so that an
// echo of it is found.
func (r *redactor) credentials(v string, f *found) string {
	scheme, rest, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok || strings.ContainsAny(scheme, "=,") {
		return f.hide(v)
	}
	rest = strings.TrimSpace(rest)
	if strings.EqualFold(scheme, "basic") {
		if b, err := base64.StdEncoding.DecodeString(rest); err == nil {
			f.hide(string(b))
			if _, pass, ok := strings.Cut(string(b), ":"); ok && pass != "" {
				f.hide(pass)
			}
		}
	}
	return scheme + " " + f.hide(rest)
}

// cookieHeader redacts each value of a Cookie header, keeping the names.
func (r *redactor) cookieHeader(v string, f *found) string {
	parts := strings.Split(v, ";")
	for i, p := range parts {
		name, val, ok := strings.Cut(p, "=")
		if ok {
			parts[i] = name + "=" + f.hide(strings.TrimSpace(val))
		} else if strings.TrimSpace(p) != "" {
			parts[i] = f.hide(p)
		}
	}
	return strings.Join(parts, ";")
}

// setCookie redacts a Set-Cookie header's value, keeping its name and
// attributes.
func (r *redactor) setCookie(v string, f *found) string {
	pair, attrs, _ := strings.Cut(v, ";")
	name, val, ok := strings.Cut(pair, "=")
	if !ok {
		return f.hide(v) + cutRest(v, attrs)
	}
	return name + "=" + f.hide(strings.TrimSpace(val)) + cutRest(v, attrs)
}

func cutRest(v, attrs string) string {
	if strings.Contains(v, ";") {
		return ";" + attrs
	}
	return ""
}
