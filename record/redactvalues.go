package record

// The redaction of values: URLs and queries, and JSON and form bodies.

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
)

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
