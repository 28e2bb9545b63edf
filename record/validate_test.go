package record_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// This file is a strict HAR 1.2 validator
// (http://www.softwareishard.com/blog/har-12-spec/): every file relay
// writes must pass it. It checks every object's required fields and their
// types, that no field is unknown unless it starts with "_", ISO 8601
// dates, absolute URLs, sizes that are integers of at least -1, timings of
// at least -1 (send, wait and receive at least 0) whose sum is the
// entry's time, and base64 content that decodes.

// field describes one member of a HAR object.
type field struct {
	required bool
	check    func(path string, v any, p *problems)
}

type problems []string

func (p *problems) add(path, format string, args ...any) {
	*p = append(*p, path+": "+fmt.Sprintf(format, args...))
}

// validateHAR returns what is wrong with b as a HAR 1.2 file.
func validateHAR(b []byte) []string {
	var p problems
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	object("", root, map[string]field{"log": {true, checkLog}}, &p)
	return p
}

// assertValidHAR fails t when b is not strict HAR 1.2.
func assertValidHAR(t testing.TB, b []byte) {
	t.Helper()
	if ps := validateHAR(b); len(ps) > 0 {
		t.Fatalf("not a valid HAR 1.2 file:\n  %s", strings.Join(ps, "\n  "))
	}
}

func object(path string, v any, fields map[string]field, p *problems) map[string]any {
	m, ok := v.(map[string]any)
	if !ok {
		p.add(path, "want an object, have %T", v)
		return nil
	}
	for name, f := range fields {
		fv, present := m[name]
		if !present {
			if f.required {
				p.add(path, "required field %q missing", name)
			}
			continue
		}
		f.check(path+"."+name, fv, p)
	}
	for name := range m {
		if _, known := fields[name]; !known && !strings.HasPrefix(name, "_") {
			p.add(path, "unknown field %q (custom fields start with _)", name)
		}
	}
	return m
}

func array(elem func(string, any, *problems)) func(string, any, *problems) {
	return func(path string, v any, p *problems) {
		a, ok := v.([]any)
		if !ok {
			p.add(path, "want an array, have %T", v)
			return
		}
		for i, e := range a {
			elem(fmt.Sprintf("%s[%d]", path, i), e, p)
		}
	}
}

func str(path string, v any, p *problems) {
	if _, ok := v.(string); !ok {
		p.add(path, "want a string, have %T", v)
	}
}

func boolean(path string, v any, p *problems) {
	if _, ok := v.(bool); !ok {
		p.add(path, "want a boolean, have %T", v)
	}
}

func number(path string, v any, p *problems) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		p.add(path, "want a number, have %T", v)
		return 0, false
	}
	f, err := n.Float64()
	if err != nil {
		p.add(path, "bad number %s", n)
		return 0, false
	}
	return f, true
}

// size is an integer byte count, -1 when unknown.
func size(path string, v any, p *problems) {
	if f, ok := number(path, v, p); ok && (f != math.Trunc(f) || f < -1) {
		p.add(path, "want an integer ≥ -1, have %v", f)
	}
}

func nonNegativeInt(path string, v any, p *problems) {
	if f, ok := number(path, v, p); ok && (f != math.Trunc(f) || f < 0) {
		p.add(path, "want an integer ≥ 0, have %v", f)
	}
}

// iso8601 is the date format of HAR: date, time with optional fraction,
// and a zone.
var iso8601 = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)

func date(path string, v any, p *problems) {
	s, ok := v.(string)
	if !ok || !iso8601.MatchString(s) {
		p.add(path, "want an ISO 8601 date with a zone, have %v", v)
	}
}

func absoluteURL(path string, v any, p *problems) {
	s, ok := v.(string)
	if !ok {
		p.add(path, "want a URL string, have %T", v)
		return
	}
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() || u.Host == "" {
		p.add(path, "want an absolute URL, have %q", s)
	}
}

var optionalComment = field{false, str}

func checkLog(path string, v any, p *problems) {
	creator := func(path string, v any, p *problems) {
		object(path, v, map[string]field{"name": {true, str}, "version": {true, str}, "comment": optionalComment}, p)
	}
	m := object(path, v, map[string]field{
		"version": {true, str},
		"creator": {true, creator},
		"browser": {false, creator},
		"pages":   {false, array(checkPage)},
		"entries": {true, array(checkEntry)},
		"comment": optionalComment,
	}, p)
	if m != nil && m["version"] != "1.2" {
		p.add(path+".version", "want 1.2, have %v", m["version"])
	}
}

func checkPage(path string, v any, p *problems) {
	object(path, v, map[string]field{
		"startedDateTime": {true, date},
		"id":              {true, str},
		"title":           {true, str},
		"pageTimings": {true, func(path string, v any, p *problems) {
			object(path, v, map[string]field{
				"onContentLoad": {false, func(path string, v any, p *problems) { number(path, v, p) }},
				"onLoad":        {false, func(path string, v any, p *problems) { number(path, v, p) }},
				"comment":       optionalComment,
			}, p)
		}},
		"comment": optionalComment,
	}, p)
}

func checkEntry(path string, v any, p *problems) {
	m := object(path, v, map[string]field{
		"pageref":         {false, str},
		"startedDateTime": {true, date},
		"time": {true, func(path string, v any, p *problems) {
			if f, ok := number(path, v, p); ok && f < 0 {
				p.add(path, "negative time %v", f)
			}
		}},
		"request":         {true, checkRequest},
		"response":        {true, checkResponse},
		"cache":           {true, checkCache},
		"timings":         {true, checkTimings},
		"serverIPAddress": {false, str},
		"connection":      {false, str},
		"comment":         optionalComment,
	}, p)
	if m == nil {
		return
	}
	// time is the sum of the timings that apply (ssl is part of connect).
	tm, _ := m["timings"].(map[string]any)
	total, ok := m["time"].(json.Number)
	if tm == nil || !ok {
		return
	}
	var sum float64
	for _, k := range []string{"blocked", "dns", "connect", "send", "wait", "receive"} {
		if n, ok := tm[k].(json.Number); ok {
			if f, _ := n.Float64(); f > 0 {
				sum += f
			}
		}
	}
	if t, _ := total.Float64(); math.Abs(t-sum) > 0.01 {
		p.add(path+".time", "%v is not the sum of the timings, %v", t, sum)
	}
}

var nameValue = func(path string, v any, p *problems) {
	object(path, v, map[string]field{"name": {true, str}, "value": {true, str}, "comment": optionalComment}, p)
}

func checkCookie(path string, v any, p *problems) {
	object(path, v, map[string]field{
		"name": {true, str}, "value": {true, str}, "path": {false, str}, "domain": {false, str},
		"expires": {false, date}, "httpOnly": {false, boolean}, "secure": {false, boolean}, "comment": optionalComment,
	}, p)
}

func checkRequest(path string, v any, p *problems) {
	object(path, v, map[string]field{
		"method":      {true, str},
		"url":         {true, absoluteURL},
		"httpVersion": {true, str},
		"cookies":     {true, array(checkCookie)},
		"headers":     {true, array(nameValue)},
		"queryString": {true, array(nameValue)},
		"postData":    {false, checkPostData},
		"headersSize": {true, size},
		"bodySize":    {true, size},
		"comment":     optionalComment,
	}, p)
}

func checkPostData(path string, v any, p *problems) {
	m := object(path, v, map[string]field{
		"mimeType": {true, str},
		"params": {false, array(func(path string, v any, p *problems) {
			object(path, v, map[string]field{
				"name": {true, str}, "value": {false, str}, "fileName": {false, str},
				"contentType": {false, str}, "comment": optionalComment,
			}, p)
		})},
		"text":    {false, str},
		"comment": optionalComment,
	}, p)
	if m != nil && m["text"] == nil && m["params"] == nil {
		p.add(path, "neither text nor params")
	}
	if m != nil && m["_encoding"] == "base64" {
		if s, _ := m["text"].(string); !decodesBase64(s) {
			p.add(path+".text", "_encoding is base64 but the text does not decode")
		}
	}
}

func checkResponse(path string, v any, p *problems) {
	object(path, v, map[string]field{
		"status":      {true, func(path string, v any, p *problems) { nonNegativeInt(path, v, p) }},
		"statusText":  {true, str},
		"httpVersion": {true, str},
		"cookies":     {true, array(checkCookie)},
		"headers":     {true, array(nameValue)},
		"content":     {true, checkContent},
		"redirectURL": {true, str},
		"headersSize": {true, size},
		"bodySize":    {true, size},
		"comment":     optionalComment,
	}, p)
}

func checkContent(path string, v any, p *problems) {
	m := object(path, v, map[string]field{
		"size":        {true, size},
		"compression": {false, size},
		"mimeType":    {true, str},
		"text":        {false, str},
		"encoding":    {false, str},
		"comment":     optionalComment,
	}, p)
	if m == nil {
		return
	}
	if enc, ok := m["encoding"]; ok {
		if enc != "base64" {
			p.add(path+".encoding", "unknown encoding %v", enc)
		} else if s, _ := m["text"].(string); !decodesBase64(s) {
			p.add(path+".text", "encoding is base64 but the text does not decode")
		}
	}
}

func decodesBase64(s string) bool {
	_, err := base64.StdEncoding.DecodeString(s)
	return err == nil
}

func checkCache(path string, v any, p *problems) {
	state := func(path string, v any, p *problems) {
		if v == nil {
			return // null: no information
		}
		object(path, v, map[string]field{
			"expires": {false, date}, "lastAccess": {true, date}, "eTag": {true, str},
			"hitCount": {true, func(path string, v any, p *problems) { nonNegativeInt(path, v, p) }},
			"comment":  optionalComment,
		}, p)
	}
	object(path, v, map[string]field{"beforeRequest": {false, state}, "afterRequest": {false, state}, "comment": optionalComment}, p)
}

func checkTimings(path string, v any, p *problems) {
	atLeast := func(min float64) func(string, any, *problems) {
		return func(path string, v any, p *problems) {
			if f, ok := number(path, v, p); ok && (f < min || (f < 0 && f != -1)) {
				p.add(path, "want ≥ %v, have %v", min, f)
			}
		}
	}
	object(path, v, map[string]field{
		"blocked": {false, atLeast(-1)}, "dns": {false, atLeast(-1)}, "connect": {false, atLeast(-1)},
		"send": {true, atLeast(0)}, "wait": {true, atLeast(0)}, "receive": {true, atLeast(0)},
		"ssl": {false, atLeast(-1)}, "comment": optionalComment,
	}, p)
}

// TestValidatorRejects checks that the validator catches what it claims
// to: each broken file has exactly the problem named.
func TestValidatorRejects(t *testing.T) {
	good := `{"log":{"version":"1.2","creator":{"name":"x","version":"1"},"entries":[{
		"startedDateTime":"2024-01-02T03:04:05.678Z","time":3,
		"request":{"method":"GET","url":"http://h/","httpVersion":"HTTP/1.1","cookies":[],"headers":[],"queryString":[],"headersSize":-1,"bodySize":0},
		"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","cookies":[],"headers":[],"content":{"size":0,"mimeType":""},"redirectURL":"","headersSize":-1,"bodySize":0},
		"cache":{},"timings":{"send":1,"wait":1,"receive":1}}]}}`
	if ps := validateHAR([]byte(good)); len(ps) > 0 {
		t.Fatalf("the good file fails: %v", ps)
	}
	for _, c := range []struct{ old, new, want string }{
		{`"version":"1.2"`, `"version":"1.1"`, "want 1.2"},
		{`"cache":{},`, ``, `"cache" missing`},
		{`"time":3`, `"time":4`, "not the sum"},
		{`"bodySize":0}`, `"bodySize":1.5}`, "integer"},
		{`"url":"http://h/"`, `"url":"/relative"`, "absolute URL"},
		{`"2024-01-02T03:04:05.678Z"`, `"2024-01-02 03:04:05"`, "ISO 8601"},
		{`"redirectURL":"",`, `"redirectURL":"","extra":1,`, `unknown field "extra"`},
		{`"mimeType":""}`, `"mimeType":"","encoding":"base64","text":"***"}`, "does not decode"},
		{`"send":1`, `"send":-1`, "want ≥ 0"},
	} {
		bad := strings.Replace(good, c.old, c.new, 1)
		ps := validateHAR([]byte(bad))
		if !slices.ContainsFunc(ps, func(p string) bool { return strings.Contains(p, c.want) }) {
			t.Errorf("after %s → %s: problems %q, want one with %q", c.old, c.new, ps, c.want)
		}
	}
}
