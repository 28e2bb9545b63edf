package record

// Scrubbing: every form of a secret found, replaced wherever it occurs.

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
)

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
