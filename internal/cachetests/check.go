package cachetests

import (
	"slices"
	"strconv"
	"strings"
)

// checkResponse checks response i against its step (test.mjs
// checkResponse and checkResponseBody), in the suite's order.
func (r *testRun) checkResponse(i int, s *step, got received) *failure {
	n := i + 1
	h := got.header
	resNum, resNumOK := parseInt(h.Get(fieldServerCount))

	if v, ok := get(h, fieldRequestNums); ok {
		nums := strings.Split(v, " ")
		slices.Sort(nums)
		if len(slices.Compact(nums)) != len(strings.Split(v, " ")) {
			return &failure{setup: true, msg: "retry"}
		}
	}

	typeSetup := s.isSetup("expected_type")
	switch s.ExpectedType {
	case "cached":
		if got.status == 304 && !resNumOK {
			break // some caches answer a conditional request without the origin's fields
		}
		if f := check(typeSetup, resNumOK && resNum < int64(n), "Response %d does not come from cache", n); f != nil {
			return f
		}
	case "not_cached":
		if f := check(typeSetup, resNumOK && resNum == int64(n), "Response %d comes from cache", n); f != nil {
			return f
		}
	}

	switch {
	case s.ExpectedStatus.Set:
		if !s.ExpectedStatus.Null {
			want := s.ExpectedStatus.V
			if f := check(s.isSetup("expected_status"), got.status == want, "Response %d status is %s, not %d", n, statusOf(got), want); f != nil {
				return f
			}
		}
	case s.ResponseStatus.has():
		want := s.ResponseStatus.V.Code
		if f := check(true, got.status == want, "Response %d status is %s, not %d", n, statusOf(got), want); f != nil {
			return f
		}
	case got.status == 999:
		return check(typeSetup, false, "Request %d should have been conditional, but it was not.", n)
	default:
		if f := check(true, got.status == 200, "Response %d status is %s, not 200", n, statusOf(got)); f != nil {
			return f
		}
	}

	if f := r.checkResponseFields(n, s, got); f != nil {
		return f
	}
	if f := checkInterim(n, s, got); f != nil {
		return f
	}
	return r.checkBody(n, s, got)
}

// jsString formats a field value as the suite's messages do: in quotes, or
// null for a missing response field (Headers.get) or undefined for a
// missing request field (a property of Node's request.headers).
func jsString(v string, ok bool, missing string) string {
	if !ok {
		v = missing
	}
	return `"` + v + `"`
}

// statusOf is the status for a message: a number, or the subject's error.
func statusOf(got received) string {
	if got.err != nil {
		return "an error (" + got.err.Error() + ")"
	}
	return strconv.Itoa(got.status)
}

// checkResponseFields checks expected_response_headers and
// expected_response_headers_missing.
func (r *testRun) checkResponseFields(n int, s *step, got received) *failure {
	h := got.header
	setup := s.isSetup("expected_response_headers")
	for _, e := range s.ExpectedResponseHeaders {
		v, ok := get(h, e.Name)
		if e.Op == "" && e.HasArg { // [name, value]
			want := fixup(field{Name: e.Name, Value: e.Value}, h, s).String()
			if f := check(setup, ok && v == want, "Response %d header %s is %s, not \"%s\"", n, e.Name, jsString(v, ok, "null"), want); f != nil {
				return f
			}
			continue
		}
		if f := check(setup, ok, "Response %d %s header not present.", n, e.Name); f != nil {
			return f
		}
		switch e.Op {
		case "=":
			other, _ := get(h, e.Value.S)
			if f := check(setup, v == other, "Response %d header %s is %s, should match %s (%s)", n, e.Name, v, e.Value.S, other); f != nil {
				return f
			}
		case ">":
			num, numOK := parseInt(v)
			if f := check(setup, numOK && num > int64(e.Value.N), "Response %d header %s is %s, should be bigger than %d", n, e.Name, v, e.Value.N); f != nil {
				return f
			}
		}
	}
	setup = s.isSetup("expected_response_headers_missing")
	for _, e := range s.ExpectedResponseHeadersMissing {
		v, ok := get(h, e.Name)
		if !e.HasArg {
			if f := check(setup, !ok, "Response %d includes unexpected header %s: \"%s\"", n, e.Name, v); f != nil {
				return f
			}
			continue
		}
		// The suite means "the field does not contain this value"; its
		// JavaScript reads the value in a way that never finds one.
		if f := check(setup, !strings.Contains(v, e.Value.S), "Response %d header %s still has value \"%s\"", n, e.Name, v); f != nil {
			return f
		}
	}
	return nil
}

// checkInterim checks expected_interim_responses: their number, codes and
// fields (the suite checks that each field is present; this also checks its
// value).
func checkInterim(n int, s *step, got received) *failure {
	if !s.ExpectedInterimResponses.Set {
		return nil
	}
	setup := s.isSetup("expected_interim_responses")
	for j, want := range s.ExpectedInterimResponses.V {
		if f := check(setup, j < len(got.interim), "Interim response %d not received", j+1); f != nil {
			return f
		}
		in := got.interim[j]
		if f := check(setup, in.code == want.Code, "Interim response %d status is %d, not %d", j+1, in.code, want.Code); f != nil {
			return f
		}
		for _, fl := range want.Fields {
			vs := in.header.Values(fl.Name)
			if f := check(setup, len(vs) > 0, "Interim response %d %s header not present.", j+1, fl.Name); f != nil {
				return f
			}
			v := fromWire(strings.Join(vs, ", "))
			if f := check(setup, v == fl.Value.String(), "Interim response %d header %s is %s, should %s", j+1, fl.Name, v, fl.Value.String()); f != nil {
				return f
			}
		}
	}
	wantN := len(s.ExpectedInterimResponses.V)
	return check(setup, len(got.interim) == wantN, "Received %d interim response(s), expected %d", len(got.interim), wantN)
}

// checkBody is the suite's checkResponseBody.
func (r *testRun) checkBody(n int, s *step, got received) *failure {
	if got.bodyErr != nil {
		return &failure{msg: "Response " + strconv.Itoa(n) + " body: " + got.bodyErr.Error()}
	}
	body := string(got.body)
	switch {
	case s.CheckBody.has() && !s.CheckBody.V:
		return nil
	case s.ExpectedResponseText.Set:
		if s.ExpectedResponseText.Null {
			return nil
		}
		want := s.ExpectedResponseText.V
		return check(s.isSetup("expected_response_text"), body == want, "Response body is \"%s\", not \"%s\"", body, want)
	case s.ResponseBody.has():
		return check(true, body == s.ResponseBody.V, "Response body is \"%s\", not \"%s\"", body, s.ResponseBody.V)
	case !slices.Contains(noBodyStatus, got.status) && s.RequestMethod != "HEAD":
		return check(true, body == r.id, "Response body is \"%s\", not \"%s\"", body, r.id)
	}
	return nil
}
