package cachetests

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// originFor starts an origin with one test of the given steps (the suite's
// JSON) under id, on a fake clock.
func originFor(t *testing.T, id, steps string) (*origin, *fakeClock, *http.Transport) {
	t.Helper()
	var ss []*step
	dec := json.NewDecoder(strings.NewReader(steps))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ss); err != nil {
		t.Fatal(err)
	}
	o := newOrigin()
	c := newFakeClock()
	o.register(id, ss, c)
	tr := newBase()
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		o.close()
	})
	return o, c, tr
}

// ask sends a request for step n of test id with the given fields.
func ask(t *testing.T, tr http.RoundTripper, o *origin, id string, n int, fields ...string) (*http.Response, string) {
	t.Helper()
	return send(t, context.Background(), tr, o.srv.URL+"/test/"+id, n, fields...)
}

func send(t *testing.T, ctx context.Context, tr http.RoundTripper, url string, n int, fields ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(fieldReqNum, jsNum(n))
	for i := 0; i+1 < len(fields); i += 2 {
		req.Header.Add(fields[i], fields[i+1])
	}
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// TestOriginDates checks the fields the origin adds and the relative dates
// it computes from its clock.
func TestOriginDates(t *testing.T) {
	o, c, tr := originFor(t, "dates", `[
		{"response_headers": [["Date", 0], ["Expires", -5000], ["Last-Modified", 100, true], ["Cache-Control", "max-age=1"], ["cache-control", "public"]],
		 "rfc850date": ["last-modified"], "pause_after": true},
		{"response_headers": [["X-Test", 7]], "response_body": "abc"}
	]`)
	start := c.Now()
	resp, body := ask(t, tr, o, "dates", 1)
	want := http.Header{
		"Date":                 {start.UTC().Format(http.TimeFormat)},
		"Expires":              {start.Add(-5000 * time.Second).UTC().Format(http.TimeFormat)},
		"Last-Modified":        {start.Add(100 * time.Second).UTC().Format("Monday, 02-Jan-06 15:04:05 GMT")},
		"Cache-Control":        {"max-age=1", "public"}, // two fields, two lines
		"Content-Type":         {"text/plain"},
		"Content-Length":       {"5"},
		"Server-Base-Url":      {"/test/dates"},
		"Server-Request-Count": {"1"},
		"Client-Request-Count": {"1"},
		"Server-Now":           {jsNum(int(start.UnixMilli()))},
		"Request-Numbers":      {"1"},
	}
	if diff := cmp.Diff(want, resp.Header); diff != "" {
		t.Errorf("response 1 fields (-want +got):\n%s", diff)
	}
	if body != "dates" {
		t.Errorf("response 1 body %q, want the test's id", body)
	}

	c.sleep(pause)
	resp, body = ask(t, tr, o, "dates", 2)
	if got, want := resp.Header.Get("Date"), start.Add(pause).UTC().Format(http.TimeFormat); got != want {
		t.Errorf("response 2 Date %q, want %q (a default Date on the origin's clock)", got, want)
	}
	if got := resp.Header.Get("X-Test"); got != "7" {
		t.Errorf("response 2 X-Test %q: a number that is not a date is sent as is", got)
	}
	if got := resp.Header.Get("Request-Numbers"); got != "1 2" || body != "abc" {
		t.Errorf("response 2: Request-Numbers %q, body %q; want \"1 2\", \"abc\"", got, body)
	}
	seen := o.state("dates")
	if len(seen) != 2 || seen[0].num != 1 || seen[1].num != 2 || seen[0].method != "GET" {
		t.Fatalf("the origin saw %+v", seen)
	}
	if diff := cmp.Diff([]sentField{{name: "Date", values: []string{want["Date"][0]}}, {name: "Expires", values: want["Expires"]},
		{name: "Last-Modified", values: want["Last-Modified"]}, {name: "Cache-Control", values: []string{"max-age=1"}},
		{name: "cache-control", values: []string{"max-age=1", "public"}}}, seen[0].saved, cmp.AllowUnexported(sentField{})); diff != "" {
		t.Errorf("the fields saved for the client check (-want +got):\n%s", diff)
	}
}

// TestOriginValidation checks the suite's validation magic: a step that
// expects validation gets 304 when the request carries the previous step's
// validator as the origin sent it, and 999 otherwise; a 304 keeps the
// fields the test gives it; and a date, once sent, stays what it was.
func TestOriginValidation(t *testing.T) {
	steps := `[
		{"response_headers": [["ETag", "\"abc\""], ["Cache-Control", "max-age=1"]]},
		{"expected_type": "etag_validated", "response_headers": [["Content-Type", "text/html"], ["Content-Length", "1"], ["Last-Modified", -100]]},
		{"expected_type": "lm_validated"}
	]`
	o, c, tr := originFor(t, "v", steps)
	ask(t, tr, o, "v", 1)
	resp, _ := ask(t, tr, o, "v", 2, "If-None-Match", `"abd"`)
	if resp.StatusCode != 999 {
		t.Errorf("a wrong If-None-Match: status %d, want 999", resp.StatusCode)
	}
	lm := resp.Header.Get("Last-Modified")
	if want := c.Now().Add(-100 * time.Second).UTC().Format(http.TimeFormat); lm != want {
		t.Fatalf("Last-Modified %q, want %q", lm, want)
	}
	c.sleep(time.Hour)
	resp, body := ask(t, tr, o, "v", 2, "If-None-Match", `"abc"`)
	if resp.StatusCode != http.StatusNotModified || body != "" {
		t.Errorf("the right If-None-Match: status %d, body %q; want 304 and none", resp.StatusCode, body)
	}
	if ct, cl := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Length"); ct != "text/html" || cl != "1" {
		t.Errorf("304 Content-Type %q, Content-Length %q: want the step's text/html and 1", ct, cl)
	}
	if got := resp.Header.Get("Last-Modified"); got != lm {
		t.Errorf("Last-Modified an hour later %q, want the first one sent, %q", got, lm)
	}
	if resp, _ = ask(t, tr, o, "v", 3, "If-Modified-Since", lm); resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-Modified-Since as sent: status %d, want 304", resp.StatusCode)
	}
}

// TestOriginMagic checks magic_locations, response_pause, interim
// responses, Latin-1 fields and disconnect.
func TestOriginMagic(t *testing.T) {
	o, c, tr := originFor(t, "m", `[
		{"filename": "f", "magic_locations": true, "response_headers": [["Location", "x"], ["Content-Location", ""], ["ETag", "\"ü\""]],
		 "response_pause": 5, "interim_responses": [[103, [["Link", "</s.css>; rel=preload"]]], [102]]},
		{"disconnect": true}
	]`)
	start := c.Now()
	var interim []int
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
		Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
			interim = append(interim, code)
			if code == 103 && h.Get("Link") != "</s.css>; rel=preload" {
				t.Errorf("103 Link %q", h.Get("Link"))
			}
			return nil
		},
	})
	resp, _ := send(t, ctx, tr, o.srv.URL+"/test/m/f", 1)
	if got := resp.Header.Get("Location"); got != "/test/m/f/x" {
		t.Errorf("Location %q, want /test/m/f/x", got)
	}
	if got := resp.Header.Get("Content-Location"); got != "/test/m/f" {
		t.Errorf("Content-Location %q, want /test/m/f", got)
	}
	if got := resp.Header.Get("ETag"); got != "\"\xfc\"" {
		t.Errorf("ETag on the wire %q, want Latin-1 \"\\xfc\"", got)
	}
	if got, _ := get(resp.Header, "etag"); got != `"ü"` {
		t.Errorf("ETag as read %q, want \"ü\"", got)
	}
	if got, want := resp.Header.Get("Date"), start.Add(5*time.Second).UTC().Format(http.TimeFormat); got != want || c.Now() != start.Add(5*time.Second) {
		t.Errorf("after response_pause 5: Date %q, clock %v; want %q", got, c.Now(), want)
	}
	if diff := cmp.Diff([]int{103, 102}, interim); diff != "" {
		t.Errorf("interim responses (-want +got):\n%s", diff)
	}
	req, _ := http.NewRequest(http.MethodGet, o.srv.URL+"/test/m", nil)
	req.Header.Set(fieldReqNum, "2")
	if resp, err := tr.RoundTrip(req); err == nil {
		resp.Body.Close()
		t.Errorf("disconnect: got a response, %s", resp.Status)
	}
	if n := len(o.state("m")); n != 2 {
		t.Errorf("the origin recorded %d requests, want 2 (a disconnect is recorded too)", n)
	}
}

func TestOriginRefuses(t *testing.T) {
	o, _, tr := originFor(t, "r", `[{}]`)
	for _, tc := range []struct {
		path   string
		n      int
		status int
	}{
		{"/", 1, http.StatusNotFound},
		{"/test/", 1, http.StatusNotFound},
		{"/test/other", 1, http.StatusConflict},
		{"/test/r", 2, http.StatusConflict},
		{"/test/r", 1, http.StatusOK},
	} {
		if resp, _ := send(t, context.Background(), tr, o.srv.URL+tc.path, tc.n); resp.StatusCode != tc.status {
			t.Errorf("%s step %d: status %d, want %d", tc.path, tc.n, resp.StatusCode, tc.status)
		}
	}
}
