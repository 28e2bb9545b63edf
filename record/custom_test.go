package record

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
)

// TestCustomFieldsRoundTrip reads custom fields into Custom, leaves relay's
// own _error to Response.Error, and writes them back after the object's
// fields, in name order, with HTML characters left as they are.
func TestCustomFieldsRoundTrip(t *testing.T) {
	const in = `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[{
		"startedDateTime":"2026-01-02T03:04:05.000Z","time":1,
		"_resourceType":"document","_initiator":{"type":"parser","lines":[1,2]},
		"request":{"method":"GET","url":"https://example.test/","httpVersion":"HTTP/1.1","cookies":[],"headers":[],"queryString":[],"headersSize":-1,"bodySize":0},
		"response":{"status":0,"statusText":"","httpVersion":"","cookies":[],"headers":[],"content":{"size":11,"mimeType":"text/html","text":"<p>a & b</p>"},
			"redirectURL":"","headersSize":-1,"bodySize":-1,"_error":"net::ERR_FAILED","_transferSize":300},
		"cache":{},"timings":{"send":1,"wait":2,"receive":3,"_blocked_queueing":0.5}}]}}`
	h, err := ReadHAR(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	e := h.Log.Entries[0]
	if got := compact(t, e.Custom["_initiator"]); got != `{"type":"parser","lines":[1,2]}` || compact(t, e.Custom["_resourceType"]) != `"document"` || len(e.Custom) != 2 {
		t.Errorf("entry custom fields: %q", e.Custom)
	}
	if e.Response.Error != "net::ERR_FAILED" || len(e.Response.Custom) != 1 || compact(t, e.Response.Custom["_transferSize"]) != "300" {
		t.Errorf("response: Error %q, custom %q", e.Response.Error, e.Response.Custom)
	}
	if len(e.Timings.Custom) != 1 || compact(t, e.Timings.Custom["_blocked_queueing"]) != "0.5" {
		t.Errorf("timings custom fields: %q", e.Timings.Custom)
	}
	if e.Request.Method != "GET" || e.Timings.Wait != 2 {
		t.Errorf("the entry's own fields: %+v", e)
	}

	var out bytes.Buffer
	if err := WriteHAR(&out, h); err != nil {
		t.Fatal(err)
	}
	written := out.String()
	for _, want := range []string{`"<p>a & b</p>"`, `"_error": "net::ERR_FAILED"`, `"_transferSize": 300`, `"_blocked_queueing": 0.5`} {
		if !strings.Contains(written, want) {
			t.Errorf("written HAR lacks %s:\n%s", want, written)
		}
	}
	if i, j := strings.Index(written, `"_initiator"`), strings.Index(written, `"_resourceType"`); i < 0 || j < i || i < strings.Index(written, `"timings"`) {
		t.Errorf("custom fields not after the entry's own, in name order:\n%s", written)
	}
	again, err := ReadHAR(strings.NewReader(written))
	if err != nil {
		t.Fatal(err)
	}
	if got := compact(t, again.Log.Entries[0].Custom["_initiator"]); got != `{"type":"parser","lines":[1,2]}` {
		t.Errorf("read back: %q", got)
	}
}

// TestNoCustomFields checks that a HAR without custom fields reads with
// none and is written as before: entries before the log's comment, and no
// field added.
func TestNoCustomFields(t *testing.T) {
	h := &HAR{Log: Log{Comment: "c", Entries: []Entry{{Comment: "x", Request: Request{Method: "GET"}}}}}
	var out bytes.Buffer
	if err := WriteHAR(&out, h); err != nil {
		t.Fatal(err)
	}
	written := out.String()
	if strings.Contains(written, `"_`) || strings.Index(written, `"entries"`) > strings.Index(written, `"comment": "c"`) {
		t.Errorf("written:\n%s", written)
	}
	again, err := ReadHAR(strings.NewReader(written))
	if err != nil {
		t.Fatal(err)
	}
	if e := again.Log.Entries[0]; e.Custom != nil || e.Response.Custom != nil || e.Timings.Custom != nil || e.Comment != "x" {
		t.Errorf("read back: %+v", e)
	}
}

// TestCustomFieldNotJSON checks that a custom field set to bytes that are
// not JSON fails the write instead of corrupting the file.
func TestCustomFieldNotJSON(t *testing.T) {
	h := &HAR{Log: Log{Entries: []Entry{{Custom: Custom{"_bad": json.RawMessage(`{"unclosed"`)}}}}}
	if err := WriteHAR(io.Discard, h); err == nil {
		t.Error("WriteHAR wrote a custom field that is not JSON")
	}
}

func compact(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatalf("%q: %v", raw, err)
	}
	return b.String()
}

// TestOwnCustomFieldsWin checks that relay's own custom fields are read
// from their tags, and that a Custom entry of the same name is not written
// next to the struct's own field.
func TestOwnCustomFieldsWin(t *testing.T) {
	if !slices.Equal(responseOwn, []string{"_error"}) || len(entryOwn) != 0 || len(timingsOwn) != 0 ||
		!slices.Equal(contentOwn, []string{"_truncated", "_contentEncoded"}) || !slices.Equal(cacheOwn, []string{"_status"}) ||
		len(requestOwn) != 0 || len(pageOwn) != 0 || len(pageTimingsOwn) != 0 {
		t.Fatalf("own custom fields: entry %q, request %q, response %q, content %q, cache %q, timings %q, page %q, page timings %q",
			entryOwn, requestOwn, responseOwn, contentOwn, cacheOwn, timingsOwn, pageOwn, pageTimingsOwn)
	}
	e := Entry{Response: Response{Error: "refused", Custom: Custom{"_error": json.RawMessage(`"other"`), "_x": json.RawMessage(`1`)}}}
	var out bytes.Buffer
	if err := WriteHAR(&out, &HAR{Log: Log{Entries: []Entry{e}}}); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); strings.Count(got, `"_error"`) != 1 || !strings.Contains(got, `"_error": "refused"`) || !strings.Contains(got, `"_x": 1`) {
		t.Errorf("written:\n%s", got)
	}
}

// TestCustomFieldsEverywhere reads and writes back the custom fields of
// every object that keeps them: a page and its pageTimings, and an entry's
// request, response content and cache, beside relay's own _truncated and
// _status; a custom field of a header, which keeps none, is dropped.
func TestCustomFieldsEverywhere(t *testing.T) {
	const in = `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},
		"pages":[{"startedDateTime":"2026-01-02T03:04:05.000Z","id":"p1","title":"t","_URL":"https://example.test/",
			"pageTimings":{"onLoad":10,"_startRender":7}}],
		"entries":[{"pageref":"p1","startedDateTime":"2026-01-02T03:04:05.000Z","time":1,
		"request":{"method":"GET","url":"https://example.test/","httpVersion":"HTTP/1.1","cookies":[],
			"headers":[{"name":"a","value":"b","_dropped":1}],"queryString":[],"headersSize":-1,"bodySize":0,"_isLCP":true},
		"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","cookies":[],"headers":[],
			"content":{"size":1,"mimeType":"text/plain","text":"x","_truncated":true,"_compressionRatio":0.5},
			"redirectURL":"","headersSize":-1,"bodySize":1},
		"cache":{"_status":"miss","_fromDisk":false},"timings":{"send":1,"wait":2,"receive":3}}]}}`
	h, err := ReadHAR(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	check := func(h *HAR, when string) {
		t.Helper()
		p, e := h.Log.Pages[0], h.Log.Entries[0]
		for _, c := range []struct {
			what   string
			custom Custom
			want   map[string]string
		}{
			{"page", p.Custom, map[string]string{"_URL": `"https://example.test/"`}},
			{"page timings", p.PageTimings.Custom, map[string]string{"_startRender": "7"}},
			{"request", e.Request.Custom, map[string]string{"_isLCP": "true"}},
			{"content", e.Response.Content.Custom, map[string]string{"_compressionRatio": "0.5"}},
			{"cache", e.Cache.Custom, map[string]string{"_fromDisk": "false"}},
		} {
			got := map[string]string{}
			for name, v := range c.custom {
				got[name] = compact(t, v)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("%s: %s custom fields %v, want %v", when, c.what, got, c.want)
			}
		}
		if !e.Response.Content.Truncated || e.Cache.Status != "miss" || p.ID != "p1" || *p.PageTimings.OnLoad != 10 || e.Response.Content.Text != "x" {
			t.Errorf("%s: own fields: page %+v, entry %+v", when, p, e)
		}
	}
	check(h, "read")
	var out bytes.Buffer
	if err := WriteHAR(&out, h); err != nil {
		t.Fatal(err)
	}
	written := out.String()
	if strings.Contains(written, "_dropped") || strings.Count(written, `"_truncated"`) != 1 || strings.Count(written, `"_status"`) != 1 {
		t.Errorf("written:\n%s", written)
	}
	again, err := ReadHAR(strings.NewReader(written))
	if err != nil {
		t.Fatal(err)
	}
	check(again, "read back")
}
