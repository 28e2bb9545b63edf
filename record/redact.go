package record

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
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

// url redacts a URL's userinfo (wholly) and its secret-looking query
// parameters, keeping everything else byte for byte. A value that does not
// parse as a URL is returned as it is.
func (r *redactor) url(raw string, f *found) string {
	if raw == "" {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	changed := false
	if u.User != nil {
		info := u.User.String()
		if name := u.User.Username(); name != "" {
			f.hide(name)
		}
		if pass, ok := u.User.Password(); ok {
			f.hide(pass)
		}
		u.User = url.User(f.hide(info))
		changed = true
	}
	if q, ok := r.query(u.RawQuery, f); ok {
		u.RawQuery = q
		changed = true
	}
	if !changed {
		return raw
	}
	return u.String()
}

// query redacts the secret-looking fields of a query string or form body,
// keeping their order; ok is false when nothing changed.
func (r *redactor) query(raw string, f *found) (string, bool) {
	if raw == "" {
		return raw, false
	}
	parts := strings.Split(raw, "&")
	changed := false
	for i, p := range parts {
		k, v, _ := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if !r.secretName(name) {
			continue
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			val = v
		}
		if isPlaceholder(val) || val == "" {
			continue
		}
		parts[i] = k + "=" + f.hide(val)
		changed = true
	}
	return strings.Join(parts, "&"), changed
}

// body redacts a JSON or form body's secret-looking fields; other bodies
// are left to the scrubbing of known secrets.
func (r *redactor) body(text, mimeType string, f *found) string {
	switch kind := bodyKind(mimeType); {
	case text == "":
		return text
	case kind == kindJSON:
		return r.jsonBody(text, f)
	case kind == kindForm:
		if q, ok := r.query(text, f); ok {
			return q
		}
	}
	return text
}

// jsonBody redacts a JSON text: the values of secret-looking members
// (each string, number or boolean inside them), and the secrets found so
// far wherever a string holds them (decoded, so that a JSON text inside a
// JSON string is searched too). A text that does not parse (a truncated
// body) is returned as it is, and one with nothing to redact keeps its
// bytes.
func (r *redactor) jsonBody(text string, f *found) string {
	v, ok := decodeJSON(text)
	if !ok {
		return text
	}
	v, changed := r.jsonValue(v, false, f.replacer(), f)
	if !changed {
		return text
	}
	b, err := encodeJSON(v)
	if err != nil {
		return text
	}
	return string(b)
}

// jsonValue redacts v, every scalar in it when secret is true; rep
// replaces the secrets known (nil: none).
func (r *redactor) jsonValue(v any, secret bool, rep *strings.Replacer, f *found) (any, bool) {
	switch t := v.(type) {
	case map[string]any:
		changed := false
		for k, m := range t {
			if m2, c := r.jsonValue(m, secret || r.secretName(k), rep, f); c {
				t[k], changed = m2, true
			}
		}
		return t, changed
	case []any:
		changed := false
		for i, m := range t {
			if m2, c := r.jsonValue(m, secret, rep, f); c {
				t[i], changed = m2, true
			}
		}
		return t, changed
	case string:
		if rep != nil {
			if s := rep.Replace(t); s != t {
				return s, true
			}
		}
		if secret && t != "" && !isPlaceholder(t) {
			return f.hide(t), true
		}
	case json.Number:
		if secret {
			return f.hide(t.String()), true
		}
	case bool:
		if secret {
			return f.hide(strconv.FormatBool(t)), true
		}
	}
	return v, false
}

// scrubRequest replaces every form of the secrets found so far wherever
// they occur in the request.
func (f *found) scrubRequest(q *Request) {
	rep := f.replacer()
	if rep == nil {
		return
	}
	q.URL = rep.Replace(q.URL)
	scrubPairs(rep, q.Headers)
	scrubPairs(rep, q.QueryString)
	for i := range q.Cookies {
		q.Cookies[i].Value = rep.Replace(q.Cookies[i].Value)
	}
	if p := q.PostData; p != nil {
		p.Text = rep.Replace(p.Text)
		for i := range p.Params {
			p.Params[i].Value = rep.Replace(p.Params[i].Value)
		}
	}
}

// scrubResponse does for the response what scrubRequest does for the
// request, with the secrets of both.
func (f *found) scrubResponse(p *Response) {
	rep := f.replacer()
	if rep == nil {
		return
	}
	p.RedirectURL = rep.Replace(p.RedirectURL)
	p.Error = rep.Replace(p.Error)
	scrubPairs(rep, p.Headers)
	for i := range p.Cookies {
		p.Cookies[i].Value = rep.Replace(p.Cookies[i].Value)
	}
	p.Content.Text = rep.Replace(p.Content.Text)
}

func scrubPairs(rep *strings.Replacer, nv []NameValue) {
	for i := range nv {
		nv[i].Value = rep.Replace(nv[i].Value)
	}
}

// replacer replaces each secret found, as it is, URL-escaped (query and
// path), JSON-escaped and in base64 (standard and URL alphabets, padded
// or not), by its placeholder; nil when there is none.
func (f *found) replacer() *strings.Replacer {
	if f.n != len(f.list) {
		f.rep, f.n = f.buildReplacer(), len(f.list)
	}
	return f.rep
}

func (f *found) buildReplacer() *strings.Replacer {
	var pairs []string
	for _, s := range f.list {
		if len(s) < minScrubLength {
			continue
		}
		p := f.r.placeholder(s)
		forms := []string{
			s, url.QueryEscape(s), url.PathEscape(s), jsonEscape(s, false), jsonEscape(s, true),
			base64.StdEncoding.EncodeToString([]byte(s)), base64.RawStdEncoding.EncodeToString([]byte(s)),
			base64.URLEncoding.EncodeToString([]byte(s)), base64.RawURLEncoding.EncodeToString([]byte(s)),
		}
		for _, form := range forms {
			if !slices.Contains(pairs, form) {
				pairs = append(pairs, form, p)
			}
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	// Longer forms first: the replacer tries the pairs in order at each
	// position, and a secret must not be cut by a shorter one it contains.
	type pair struct{ old, new string }
	ps := make([]pair, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		ps = append(ps, pair{pairs[i], pairs[i+1]})
	}
	slices.SortStableFunc(ps, func(a, b pair) int { return len(b.old) - len(a.old) })
	pairs = pairs[:0]
	for _, p := range ps {
		pairs = append(pairs, p.old, p.new)
	}
	return strings.NewReplacer(pairs...)
}

// jsonEscape is s as it appears inside a JSON string written by
// encoding/json, with HTML characters escaped (as json.Marshal does) or not.
func jsonEscape(s string, html bool) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	_ = enc.Encode(s)
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}
