package cachetests

import (
	"strconv"
	"strings"
)

// checkServer compares the steps with the requests the origin saw (test.mjs
// checkServerRequests): a step expected "cached" must not have reached it,
// the others must have, in order, with the validators, fields and method
// expected, and every response must carry the fields the origin sent.
func (r *testRun) checkServer(seen []seenRequest) *failure {
	k := 0 // the next request the origin saw
	for i, s := range r.t.Steps {
		n := i + 1
		var validators []string
		typeSetup := s.isSetup("expected_type")
		var sr *seenRequest
		if k < len(seen) {
			sr = &seen[k]
		}
		switch s.ExpectedType {
		case "cached":
			continue // the origin does not see it
		case "not_cached":
			if sr == nil {
				return &failure{msg: "Request " + strconv.Itoa(n) + " was not sent to the server"}
			}
			if f := check(typeSetup, sr.num == n, "Response %d comes from cache (%s on server)", n, jsNum(sr.num)); f != nil {
				return f
			}
		case "etag_validated":
			validators = append(validators, "If-None-Match")
		case "lm_validated":
			validators = append(validators, "If-Modified-Since")
		}
		k++
		for _, v := range validators {
			if f := check(typeSetup, sr != nil, "request %d wasn't sent to server", n); f != nil {
				return f
			}
			if f := check(typeSetup, len(sr.header.Values(v)) > 0, "request %d doesn't have %s header", n, strings.ToLower(v)); f != nil {
				return f
			}
		}
		if f := checkRequestFields(n, s, sr); f != nil {
			return f
		}
		if sr != nil {
			got := r.responses[i].header
			for _, sent := range sr.saved {
				if strings.EqualFold(sent.name, "Date") {
					continue // the suite skips it: it causes spurious failures
				}
				v, ok := get(got, sent.name)
				want := strings.Join(sent.values, ", ")
				if f := check(true, ok && v == want, "Response %d header %s is %s, not \"%s\"", n, sent.name, jsString(v, ok, "null"), want); f != nil {
					return f
				}
			}
		}
		if s.ExpectedMethod != "" {
			if sr == nil {
				return &failure{msg: "Request " + strconv.Itoa(n) + " was not sent to the server"}
			}
			if f := check(s.isSetup("expected_method"), sr.method == s.ExpectedMethod, "Request %d had method %s, not %s", n, sr.method, s.ExpectedMethod); f != nil {
				return f
			}
		}
	}
	return nil
}

// checkRequestFields checks expected_request_headers and
// expected_request_headers_missing against the request the origin saw.
func checkRequestFields(n int, s *step, sr *seenRequest) *failure {
	if len(s.ExpectedRequestHeaders)+len(s.ExpectedRequestHeadersMissing) > 0 && sr == nil {
		return &failure{msg: "Request " + strconv.Itoa(n) + " was not sent to the server"}
	}
	setup := s.isSetup("expected_request_headers")
	for _, e := range s.ExpectedRequestHeaders {
		v, ok := get(sr.header, e.Name)
		if !e.HasArg {
			if f := check(setup, ok, "Request %d %s header not present.", n, e.Name); f != nil {
				return f
			}
			continue
		}
		if f := check(setup, ok && v == e.Value.String(), "Request %d header %s is %s, not \"%s\"", n, e.Name, jsString(v, ok, "undefined"), e.Value.String()); f != nil {
			return f
		}
	}
	setup = s.isSetup("expected_request_headers_missing")
	for _, e := range s.ExpectedRequestHeadersMissing {
		v, ok := get(sr.header, e.Name)
		if !e.HasArg {
			if f := check(setup, !ok, "Request %d %s header present.", n, e.Name); f != nil {
				return f
			}
			continue
		}
		if f := check(setup, !ok || v != e.Value.String(), "Request %d header %s is \"%s\"", n, e.Name, v); f != nil {
			return f
		}
	}
	return nil
}
