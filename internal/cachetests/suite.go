package cachetests

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
)

// suiteJSON is the suite as its exporter writes it: see testdata/README.md.
//
//go:embed testdata/cache-tests.json
var suiteJSON []byte

// group is one test group of the suite ("Cache-Control Freshness", …).
type group struct {
	Name        string   `json:"name"`
	ID          string   `json:"id"`
	Description string   `json:"description"`
	SpecAnchors []string `json:"spec_anchors"`
	Tests       []*test  `json:"tests"`
}

// test is one test: a sequence of steps, each a request and what is
// expected of its response.
type test struct {
	Name        string   `json:"name"`
	ID          string   `json:"id"`
	Description string   `json:"description"`
	Kind        string   `json:"kind"` // "required" (also when empty), "optimal", "check"
	Steps       []*step  `json:"requests"`
	BrowserOnly bool     `json:"browser_only"`
	CDNOnly     bool     `json:"cdn_only"`
	BrowserSkip bool     `json:"browser_skip"`
	DependsOn   []string `json:"depends_on"`
	SpecAnchors []string `json:"spec_anchors"` // anchors in RFC 9111's text
}

// step is one request of a test: what the runner sends, what the origin
// answers, and the expectations. The names are the suite's.
type step struct {
	RequestMethod  string           `json:"request_method"`
	RequestHeaders []field          `json:"request_headers"`
	RequestBody    optional[string] `json:"request_body"`
	QueryArg       string           `json:"query_arg"`
	Filename       string           `json:"filename"`
	Mode           string           `json:"mode"`
	Credentials    string           `json:"credentials"`
	Cache          string           `json:"cache"`
	Redirect       string           `json:"redirect"`
	PauseAfter     bool             `json:"pause_after"`
	Disconnect     bool             `json:"disconnect"`
	MagicLocations bool             `json:"magic_locations"`
	MagicIMS       bool             `json:"magic_ims"`
	RFC850Date     []string         `json:"rfc850date"`
	ResponsePause  int              `json:"response_pause"`

	InterimResponses         []interim           `json:"interim_responses"`
	ExpectedInterimResponses optional[[]interim] `json:"expected_interim_responses"`

	ResponseStatus  optional[status] `json:"response_status"`
	ResponseHeaders []field          `json:"response_headers"`
	ResponseBody    optional[string] `json:"response_body"`
	CheckBody       optional[bool]   `json:"check_body"`

	ExpectedType                   string           `json:"expected_type"`
	ExpectedMethod                 string           `json:"expected_method"`
	ExpectedStatus                 optional[int]    `json:"expected_status"`
	ExpectedResponseText           optional[string] `json:"expected_response_text"`
	ExpectedRequestHeaders         []expectation    `json:"expected_request_headers"`
	ExpectedRequestHeadersMissing  []expectation    `json:"expected_request_headers_missing"`
	ExpectedResponseHeaders        []expectation    `json:"expected_response_headers"`
	ExpectedResponseHeadersMissing []expectation    `json:"expected_response_headers_missing"`

	Setup      bool     `json:"setup"`
	SetupTests []string `json:"setup_tests"`
}

// isSetup reports whether a failure of the check named member (the suite's
// name: "expected_type", …) is a setup failure rather than the cache's:
// the suite's setupCheck.
func (s *step) isSetup(member string) bool {
	if s.Setup {
		return true
	}
	for _, m := range s.SetupTests {
		if m == member {
			return true
		}
	}
	return false
}

// optional is a member that may be absent, present, or present as null:
// the suite tells these apart ("expected_status": null means do not check).
type optional[T any] struct {
	Set, Null bool
	V         T
}

func (o *optional[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Null = true
		return nil
	}
	return json.Unmarshal(b, &o.V)
}

// has reports whether the member is present and not null.
func (o optional[T]) has() bool { return o.Set && !o.Null }

// value is a field value: a string, or an integer that the suite turns into
// a date relative to the origin's now (for date fields) or, elsewhere, into
// its decimal form.
type value struct {
	S     string
	N     int
	IsInt bool
}

func (v *value) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &v.S)
	}
	v.IsInt = true
	return json.Unmarshal(b, &v.N)
}

// String is the value as it is sent when nothing rewrites it.
func (v value) String() string {
	if v.IsInt {
		return strconv.Itoa(v.N)
	}
	return v.S
}

// field is a header field of a request or response: [name, value] or, in
// response_headers, [name, value, check] where check false tells the
// runner not to compare what the client received with what was sent.
type field struct {
	Name  string
	Value value
	Check bool
}

func (f *field) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if len(raw) < 2 || len(raw) > 3 {
		return fmt.Errorf("cachetests: field %s: want [name, value] or [name, value, check]", b)
	}
	f.Check = true
	if err := json.Unmarshal(raw[0], &f.Name); err != nil {
		return err
	}
	if err := json.Unmarshal(raw[1], &f.Value); err != nil {
		return err
	}
	if len(raw) == 3 {
		return json.Unmarshal(raw[2], &f.Check)
	}
	return nil
}

// expectation is one member of the expected_*_headers lists: a bare name
// (present, or absent), [name, value], or [name, op, operand] with op "="
// (the same value as the field named operand) or ">" (an integer greater
// than operand).
type expectation struct {
	Name   string
	HasArg bool
	Value  value // [name, value]; for "=", the other field's name; for ">", the bound
	Op     string
}

func (e *expectation) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &e.Name)
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	switch len(raw) {
	case 2:
		e.HasArg = true
		if err := json.Unmarshal(raw[0], &e.Name); err != nil {
			return err
		}
		return json.Unmarshal(raw[1], &e.Value)
	case 3:
		e.HasArg = true
		if err := json.Unmarshal(raw[0], &e.Name); err != nil {
			return err
		}
		if err := json.Unmarshal(raw[1], &e.Op); err != nil {
			return err
		}
		if e.Op != "=" && e.Op != ">" {
			return fmt.Errorf("cachetests: expectation %s: unknown operator %q", b, e.Op)
		}
		return json.Unmarshal(raw[2], &e.Value)
	}
	return fmt.Errorf("cachetests: expectation %s: want a name, [name, value] or [name, op, operand]", b)
}

// status is [code, reason phrase].
type status struct {
	Code   int
	Phrase string
}

func (s *status) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if len(raw) != 2 {
		return fmt.Errorf("cachetests: status %s: want [code, phrase]", b)
	}
	if err := json.Unmarshal(raw[0], &s.Code); err != nil {
		return err
	}
	return json.Unmarshal(raw[1], &s.Phrase)
}

// interim is an interim (1xx) response: [code] or [code, [[name, value], …]].
type interim struct {
	Code   int
	Fields []field
}

func (i *interim) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if len(raw) < 1 || len(raw) > 2 {
		return fmt.Errorf("cachetests: interim response %s: want [code] or [code, fields]", b)
	}
	if err := json.Unmarshal(raw[0], &i.Code); err != nil {
		return err
	}
	if len(raw) == 2 {
		return json.Unmarshal(raw[1], &i.Fields)
	}
	return nil
}

// loadSuite decodes the vendored suite. A member the runner does not know
// is an error: a newer suite may need more of the runner.
func loadSuite() ([]*group, error) {
	var groups []*group
	dec := json.NewDecoder(bytes.NewReader(suiteJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&groups); err != nil {
		return nil, fmt.Errorf("cachetests: decoding the suite: %w", err)
	}
	seen := make(map[string]bool)
	for _, g := range groups {
		for _, t := range g.Tests {
			if t.ID == "" || seen[t.ID] {
				return nil, fmt.Errorf("cachetests: group %s: missing or duplicate test id %q", g.ID, t.ID)
			}
			seen[t.ID] = true
		}
	}
	return groups, nil
}
