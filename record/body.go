package record

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/url"
	"slices"
	"strings"
)

// bodyKinds are the body formats matching and redaction understand.
type kind uint8

const (
	kindOther kind = iota
	kindJSON
	kindForm
)

// bodyKind tells a body's format from its media type: application/json
// and any +json type, or an HTML form.
func bodyKind(mimeType string) kind {
	mt, _, err := mime.ParseMediaType(mimeType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.SplitN(mimeType, ";", 2)[0]))
	}
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		return kindJSON
	case mt == "application/x-www-form-urlencoded":
		return kindForm
	}
	return kindOther
}

// decodeJSON parses one JSON value, numbers kept as written.
func decodeJSON(text string) (any, bool) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil, false
	}
	if _, err := dec.Token(); err == nil { // more than one value
		return nil, false
	}
	return v, true
}

// encodeJSON writes v compactly, object members sorted by name, HTML
// characters as they are.
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// canonicalBody is what two bodies are compared by: JSON by value (object
// members in any order, any white space), forms by field (fields and
// repeated values in any order), anything else byte for byte.
func canonicalBody(text, mimeType string) string {
	switch bodyKind(mimeType) {
	case kindJSON:
		if v, ok := decodeJSON(text); ok {
			if b, err := encodeJSON(v); err == nil {
				return "json:" + string(b)
			}
		}
	case kindForm:
		return "form:" + canonicalQuery(text)
	}
	return "raw:" + text
}

// canonicalQuery is a query string or form as a multiset of fields: each
// name=value decoded, then sorted and joined with '&' after escaping, so
// that two strings with the same fields in any order are equal.
func canonicalQuery(raw string) string {
	fields := queryList(raw)
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = url.QueryEscape(f.Name) + "=" + url.QueryEscape(f.Value)
	}
	slices.Sort(out)
	return strings.Join(out, "&")
}

// paramsText is a form body from HAR params (a browser may export a form
// that way, without its text).
func paramsText(ps []Param) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(p.Name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(p.Value))
	}
	return b.String()
}
