package record_test

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/record"
)

const api = "https://api.example.test"

// entry is a hand-made cassette entry answering method url (with a body
// of mimeType when body is not empty) with text.
func entry(method, u, mimeType, body, text string, headers ...record.NameValue) record.Entry {
	e := record.Entry{
		Request: record.Request{Method: method, URL: u, HTTPVersion: "HTTP/1.1", Headers: headers, BodySize: record.Size(len(body))},
		Response: record.Response{Status: 200, StatusText: "OK", HTTPVersion: "HTTP/1.1",
			Content: record.Content{Size: record.Size(len(text)), MimeType: "text/plain", Text: text}},
		Timings: record.Timings{Blocked: -1, DNS: -1, Connect: -1, SSL: -1},
	}
	if body != "" {
		e.Request.PostData = &record.PostData{MimeType: mimeType, Text: body}
	}
	return e
}

// write writes entries as a cassette and returns its path.
func write(t testing.TB, entries ...record.Entry) string {
	t.Helper()
	path := cassette(t)
	if err := record.WriteFile(path, &record.HAR{Log: record.Log{Entries: entries}}); err != nil {
		t.Fatal(err)
	}
	return path
}

// replayer opens entries for replay in a session that never reaches the
// network.
func replayer(t testing.TB, o record.Options, entries ...record.Entry) *client.Session {
	t.Helper()
	return session(t, open(t, write(t, entries...), record.Replay, o), offline(t))
}

// answer returns the replayed body, or the error's text.
func answer(t testing.TB, s *client.Session, method, u string, opts ...client.Option) string {
	t.Helper()
	r, err := s.Do(t.Context(), method, u, opts...)
	if err != nil {
		return "error: " + err.Error()
	}
	b, err := r.Bytes()
	if err != nil {
		return "error: " + err.Error()
	}
	return string(b)
}

func TestMatchQueryAsMultiset(t *testing.T) {
	s := replayer(t, record.Options{Repeat: true}, entry("GET", api+"/q?a=1&b=2&a=3", "", "", "multiset"))
	for u, want := range map[string]string{
		api + "/q?b=2&a=3&a=1":                     "multiset",
		api + ":443/q?a=3&a=1&b=2":                 "multiset", // the default port is the same URL
		"HTTPS://API.example.test/q?a=1&a=3&b=%32": "multiset",
		api + "/q?a=1&b=2":                         "error",
		api + "/q?a=1&b=2&a=3&a=3":                 "error",
		api + "/Q?a=1&b=2&a=3":                     "error",
	} {
		if got := answer(t, s, "GET", u); !strings.HasPrefix(got, want) {
			t.Errorf("GET %s = %q, want %s", u, got, want)
		}
	}
	if got := answer(t, s, "POST", api+"/q?a=1&b=2&a=3"); !strings.HasPrefix(got, "error") {
		t.Errorf("POST matched a GET entry: %q", got)
	}
}

func TestMatchBodies(t *testing.T) {
	s := replayer(t, record.Options{Repeat: true},
		entry("POST", api+"/j", "application/json", `{"x": 1, "y": [1, 2], "z": {"a": "b"}}`, "json"),
		entry("POST", api+"/f", "application/x-www-form-urlencoded", "a=1&b=2&a=3", "form"),
		entry("POST", api+"/t", "text/plain", "exact bytes", "text"),
	)
	jsonBody := func(s string) client.Option {
		return client.Body(strings.NewReader(s))
	}
	ct := client.Header("Content-Type", "application/json")
	tests := []struct {
		name, path string
		opts       []client.Option
		want       string
	}{
		{"JSON members in another order", "/j", []client.Option{ct, jsonBody(`{"z":{"a":"b"},"y":[1,2],"x":1}`)}, "json"},
		{"JSON through client.JSON", "/j", []client.Option{client.JSON(map[string]any{"x": 1, "y": []int{1, 2}, "z": map[string]string{"a": "b"}})}, "json"},
		{"JSON array in another order", "/j", []client.Option{ct, jsonBody(`{"x":1,"y":[2,1],"z":{"a":"b"}}`)}, "error"},
		{"JSON value differs", "/j", []client.Option{ct, jsonBody(`{"x":2,"y":[1,2],"z":{"a":"b"}}`)}, "error"},
		{"form fields in another order", "/f", []client.Option{client.Form(url.Values{"b": {"2"}, "a": {"3", "1"}})}, "form"},
		{"form value differs", "/f", []client.Option{client.Form(url.Values{"a": {"1", "3"}, "b": {"4"}})}, "error"},
		{"text byte for byte", "/t", []client.Option{client.Header("Content-Type", "text/plain"), jsonBody("exact bytes")}, "text"},
		{"text differs", "/t", []client.Option{client.Header("Content-Type", "text/plain"), jsonBody("exact bytes ")}, "error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := answer(t, s, "POST", api+tc.path, tc.opts...); !strings.HasPrefix(got, tc.want) {
				t.Errorf("got %q, want %s", got, tc.want)
			}
		})
	}
}

func TestMatchHeaders(t *testing.T) {
	e := entry("GET", api+"/h", "", "", "v1", record.NameValue{Name: "X-Version", Value: "1"})
	if got := answer(t, replayer(t, record.Options{}, e), "GET", api+"/h", client.Header("X-Version", "2")); got != "v1" {
		t.Errorf("headers are not compared by default, yet got %q", got)
	}
	s := replayer(t, record.Options{MatchHeaders: []string{"x-version"}, Repeat: true}, e)
	if got := answer(t, s, "GET", api+"/h", client.Header("X-Version", "1")); got != "v1" {
		t.Errorf("named header equal: %q", got)
	}
	if got := answer(t, s, "GET", api+"/h", client.Header("X-Version", "2")); !strings.Contains(got, "matched headers differs") {
		t.Errorf("named header differs: %q, want a no-match naming the headers", got)
	}
}

func TestMatchCustom(t *testing.T) {
	ignoreTS := func(live, recorded *record.Request) bool {
		strip := func(raw string) string {
			u, _ := url.Parse(raw)
			q := u.Query()
			q.Del("ts")
			return q.Encode()
		}
		return strip(live.URL) == strip(recorded.URL)
	}
	s := replayer(t, record.Options{Match: ignoreTS},
		entry("GET", api+"/c?ts=1&id=7", "", "", "first"),
		entry("GET", api+"/c?ts=2&id=7", "", "", "second"),
	)
	for i, want := range []string{"first", "second", "error"} {
		if got := answer(t, s, "GET", api+"/c?id=7&ts=99"); !strings.HasPrefix(got, want) {
			t.Errorf("call %d: %q, want %s", i+1, got, want)
		}
	}
	if got := answer(t, s, "GET", api+"/c?id=8&ts=1"); !strings.HasPrefix(got, "error") {
		t.Errorf("other id matched: %q", got)
	}
}

func TestRepeatedRequestsInOrder(t *testing.T) {
	entries := []record.Entry{entry("GET", api+"/poll", "", "", "pending"), entry("GET", api+"/poll", "", "", "done")}
	s := replayer(t, record.Options{}, entries...)
	for _, want := range []string{"pending", "done"} {
		if got := answer(t, s, "GET", api+"/poll"); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	got := answer(t, s, "GET", api+"/poll")
	if !strings.Contains(got, "replayed already") || !strings.Contains(got, "Options.Repeat") {
		t.Errorf("third poll: %q, want a no-match saying the entries were used", got)
	}
	var nm *record.NoMatchError
	if _, err := s.Get(t.Context(), api+"/poll"); !errors.As(err, &nm) || !nm.Exhausted {
		t.Errorf("third poll error %v", err)
	}

	s = replayer(t, record.Options{Repeat: true}, entries...)
	for _, want := range []string{"pending", "done", "done", "done"} {
		if got := answer(t, s, "GET", api+"/poll"); got != want {
			t.Errorf("with Repeat: got %q, want %q", got, want)
		}
	}
}

// TestTruncatedBody records a response longer than the cap and checks that
// the cassette marks it and that replaying it fails after the bytes kept,
// never ending short with io.EOF.
func TestTruncatedBody(t *testing.T) {
	srv := httpbin(t)
	path := cassette(t)
	rec := open(t, path, record.Record, record.Options{MaxBodySize: 16})
	_, body := do(t, session(t, rec), "GET", srv.URL+"/bytes/100")
	if len(body) != 100 {
		t.Fatalf("recording changed what the caller read: %d bytes", len(body))
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	raw, h := readCassette(t, path)
	c := h.Log.Entries[0].Response
	if !strings.Contains(string(raw), `"_truncated": true`) || c.BodySize != 100 || c.Content.Size != 100 {
		t.Errorf("content %+v bodySize %d: want _truncated, sizes 100", c.Content, c.BodySize)
	}

	s := session(t, open(t, path, record.Replay, record.Options{MaxBodySize: 16}), offline(t))
	r, err := s.Get(t.Context(), srv.URL+"/bytes/100", client.Stream())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, err := io.ReadAll(r.Body)
	if len(b) != 16 || !errors.Is(err, record.ErrTruncatedBody) || !strings.Contains(err.Error(), "16 bytes") {
		t.Errorf("replayed truncated body: %d bytes, %v; want 16 then ErrTruncatedBody", len(b), err)
	}
}

// TestRecordedFailure records a send that fails (nothing listens) and
// replays the failure.
func TestRecordedFailure(t *testing.T) {
	srv := httpbin(t)
	dead := srv.URL
	srv.Close()
	path := cassette(t)
	rec := open(t, path, record.Record, record.Options{})
	if _, err := session(t, rec).Get(t.Context(), dead+"/get"); err == nil {
		t.Fatal("a send to a closed server succeeded")
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	_, h := readCassette(t, path)
	if e := h.Log.Entries[0].Response; e.Status != 0 || e.Error == "" {
		t.Fatalf("failed send recorded as %+v", e)
	}
	_, err := session(t, open(t, path, record.Replay, record.Options{}), offline(t)).Get(t.Context(), dead+"/get")
	var re *record.RecordedError
	if !errors.As(err, &re) || re.Method != http.MethodGet {
		t.Errorf("replayed failure: %v, want a *record.RecordedError", err)
	}
}
