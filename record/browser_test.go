package record_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/record"
)

// TestReplayChromeHAR replays a HAR in the shape Chrome exports (see
// testdata/README.md) through a session that never reaches the network.
func TestReplayChromeHAR(t *testing.T) {
	rec := open(t, "testdata/chrome.har", record.Replay, record.Options{})
	s := session(t, rec, offline(t))

	// The query in another order; the response labelled br but decoded.
	r, err := s.Get(t.Context(), "https://api.example.test/v1/items?page=2&sort=name")
	if err != nil {
		t.Fatal(err)
	}
	var items struct {
		Items []struct{ Name string }
		Page  int
	}
	if err := r.JSON(&items); err != nil || len(items.Items) != 3 || items.Page != 2 || r.Status != "200 OK" {
		t.Errorf("items: %+v, %v, status %q", items, err, r.Status)
	}
	if r.Proto != "HTTP/2.0" {
		t.Errorf("proto %q, want HTTP/2.0 from http/2.0", r.Proto)
	}

	// JSON compared by value.
	if got := answer(t, s, "POST", "https://api.example.test/v1/items", client.JSON(map[string]any{"qty": 3, "name": "widget"})); got != `{"id":24,"name":"widget","qty":3}` {
		t.Errorf("POST: %q", got)
	}

	// A base64 image.
	if got := answer(t, s, "GET", "https://cdn.example.test/img/logo.png"); !strings.HasPrefix(got, "\x89PNG\r\n\x1a\n") || len(got) != 70 {
		t.Errorf("image: %d bytes %q", len(got), got[:min(8, len(got))])
	}

	// A body the browser did not keep fails when read, never reads short.
	r, err = s.Get(t.Context(), "https://cdn.example.test/fonts/inter.woff2", client.Stream())
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(r.Body)
	r.Body.Close()
	if len(b) != 0 || !errors.Is(err, record.ErrTruncatedBody) {
		t.Errorf("font without content.text: %d bytes, %v; want ErrTruncatedBody", len(b), err)
	}

	// A request the browser never completed.
	_, err = s.Post(t.Context(), "https://tracker.example.test/beacon")
	var re *record.RecordedError
	if !errors.As(err, &re) || re.Message != "net::ERR_BLOCKED_BY_CLIENT" {
		t.Errorf("blocked beacon: %v", err)
	}

	// A form by field.
	if got := answer(t, s, "POST", "https://app.example.test/search", client.Form(url.Values{"lang": {"go"}, "q": {"relay"}})); !strings.Contains(got, "3 results") {
		t.Errorf("search: %q", got)
	}
}

// TestReplayFirefoxHAR replays Firefox's shape: a gzip-labelled decoded
// body, and a redirect followed through the cassette.
func TestReplayFirefoxHAR(t *testing.T) {
	s := session(t, open(t, "testdata/firefox.har", record.Replay, record.Options{}), offline(t))
	if got := answer(t, s, "GET", "https://api.example.test/v1/me"); got != `{"id":7,"name":"Ann","plan":"team","x":1}` {
		t.Errorf("me: %q", got)
	}
	r, err := s.Get(t.Context(), "https://api.example.test/v1/avatar")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := r.Bytes()
	if len(r.History) != 1 || r.Request.URL.Host != "cdn.example.test" || !strings.HasPrefix(string(b), "<svg") {
		t.Errorf("redirect: %d hops, at %s, body %q", len(r.History), r.Request.URL, b)
	}
}

// TestRecordMissingOverBrowserHAR appends to a browser's HAR: its pages,
// creator and entries stay, the new entry is added, and the file is strict
// HAR 1.2.
func TestRecordMissingOverBrowserHAR(t *testing.T) {
	srv, _ := counter(t)
	path := filepath.Join(t.TempDir(), "chrome.har")
	orig, err := os.ReadFile("testdata/chrome.har")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	rec := open(t, path, record.RecordMissing, record.Options{})
	do(t, session(t, rec), "GET", srv.URL+"/new")
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	_, h := readCassette(t, path)
	if len(h.Log.Pages) != 1 || h.Log.Creator.Name != "WebInspector" || len(h.Log.Entries) != 7 {
		t.Errorf("pages %d, creator %q, entries %d", len(h.Log.Pages), h.Log.Creator.Name, len(h.Log.Entries))
	}
	if !bytes.Contains(orig, []byte(`"_initiator"`)) {
		t.Fatal("fixture changed")
	}
	// The browser's custom fields stay, value for value, on its entries,
	// their responses and their timings.
	raw, _ := readCassette(t, path)
	before, after := customFieldsOf(t, orig), customFieldsOf(t, raw)
	if len(before) == 0 {
		t.Fatal("fixture has no custom fields")
	}
	for where, v := range before {
		if after[where] != v {
			t.Errorf("%s: %s after the rewrite, was %s", where, after[where], v)
		}
	}
	// The browser's unredacted secrets are the file's business: relay
	// redacts what it records, and rewrites the rest as it was.
	if h.Log.Entries[6].Request.Method != "GET" || !strings.HasSuffix(h.Log.Entries[6].Request.URL, "/new") {
		t.Errorf("new entry: %+v", h.Log.Entries[6].Request)
	}
}

// TestBrowserFixturesRead checks the tolerant reader on the fixtures
// (numbers as floats, null where strings go, custom fields) and that relay
// writes them back as strict HAR 1.2.
func TestBrowserFixturesRead(t *testing.T) {
	for _, name := range []string{"testdata/chrome.har", "testdata/firefox.har"} {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		h, err := record.ReadHAR(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(h.Log.Entries) == 0 || h.Log.Entries[0].Time <= 0 {
			t.Errorf("%s: entries %d", name, len(h.Log.Entries))
		}
		var b bytes.Buffer
		if err := record.WriteHAR(&b, h); err != nil {
			t.Fatal(err)
		}
		assertValidHAR(t, b.Bytes())
	}
}

// customFieldsOf lists the custom fields ("_" names) of a HAR's entries,
// their responses and their timings, by place, each value compacted.
func customFieldsOf(t *testing.T, har []byte) map[string]string {
	t.Helper()
	var h struct {
		Log struct {
			Entries []map[string]json.RawMessage `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(har, &h); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	add := func(where string, obj map[string]json.RawMessage) {
		for name, v := range obj {
			if strings.HasPrefix(name, "_") && !(name == "_error" && string(v) == "null") { // relay's own field; no error is written as none
				var b bytes.Buffer
				if err := json.Compact(&b, v); err != nil {
					t.Fatal(err)
				}
				out[where+"."+name] = b.String()
			}
		}
	}
	for i, e := range h.Log.Entries {
		where := fmt.Sprintf("entries[%d]", i)
		add(where, e)
		for _, part := range []string{"response", "timings"} {
			var obj map[string]json.RawMessage
			if err := json.Unmarshal(e[part], &obj); err != nil {
				t.Fatal(err)
			}
			add(where+"."+part, obj)
		}
	}
	return out
}
