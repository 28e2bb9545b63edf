package cache

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestSingleRange(t *testing.T) {
	for _, c := range []struct {
		spec        string
		size        int64
		first, last int64
		ok          bool
	}{
		{"bytes=0-1", 11, 0, 1, true},
		{"bytes=1-", 11, 1, 10, true},
		{"bytes=-1", 11, 10, 10, true},
		{"bytes=-20", 11, 0, 10, true},
		{"bytes=5-100", 11, 5, 10, true},
		{" Bytes = 2 - 3 ", 11, 2, 3, true},
		{"bytes=11-", 11, 0, 0, false}, // not satisfiable: the origin says 416
		{"bytes=-0", 11, 0, 0, false},
		{"bytes=3-2", 11, 0, 0, false},
		{"bytes=0-1,3-4", 11, 0, 0, false}, // several ranges
		{"items=0-1", 11, 0, 0, false},
		{"bytes=a-1", 11, 0, 0, false},
		{"bytes=0-1", 0, 0, 0, false},
		{"bytes", 11, 0, 0, false},
		{"bytes=5", 11, 0, 0, false},
	} {
		r, ok := singleRange([]string{c.spec}, c.size)
		if ok != c.ok || ok && (r.first != c.first || r.last != c.last) {
			t.Errorf("singleRange(%q, %d) = %+v, %v; want {%d %d}, %v", c.spec, c.size, r, ok, c.first, c.last, c.ok)
		}
	}
	if _, ok := singleRange([]string{"bytes=0-1", "bytes=2-3"}, 11); ok {
		t.Error("two Range fields make one range")
	}
}

func FuzzSingleRange(f *testing.F) {
	for _, s := range []string{"bytes=0-1", "bytes=-5", "bytes=7-", "bytes=1-2,3-4", "bytes=99999999999999999999-"} {
		f.Add(s, int64(11))
	}
	f.Fuzz(func(t *testing.T, spec string, size int64) {
		r, ok := singleRange([]string{spec}, size)
		if ok && (r.first < 0 || r.first > r.last || r.last >= size) {
			t.Fatalf("singleRange(%q, %d) = %+v: outside the body", spec, size, r)
		}
	})
}

func TestNotModified(t *testing.T) {
	lm := "Mon, 07 Dec 2026 10:00:00 GMT"
	stored := http.Header{"Etag": {`W/"v1"`}, "Last-Modified": {lm}}
	received := time.Date(2026, 12, 7, 11, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		h    http.Header
		want bool
	}{
		{http.Header{"If-None-Match": {`"v1"`}}, true}, // weak comparison
		{http.Header{"If-None-Match": {`"v0", W/"v1"`}}, true},
		{http.Header{"If-None-Match": {"*"}}, true},
		{http.Header{"If-None-Match": {`"v2"`}, "If-Modified-Since": {lm}}, false}, // If-None-Match wins
		{http.Header{"If-Modified-Since": {lm}}, true},
		{http.Header{"If-Modified-Since": {"Mon, 07 Dec 2026 09:59:59 GMT"}}, false},
		{http.Header{"If-Modified-Since": {"yesterday"}}, false},
	} {
		req := &http.Request{Method: http.MethodGet, Header: c.h}
		if got := notModified(req, stored, received); got != c.want {
			t.Errorf("notModified(%v) = %v, want %v", c.h, got, c.want)
		}
	}
	noLM := http.Header{"Date": {"Mon, 07 Dec 2026 10:30:00 GMT"}}
	req := &http.Request{Header: http.Header{"If-Modified-Since": {"Mon, 07 Dec 2026 10:30:00 GMT"}}}
	if !notModified(req, noLM, received) {
		t.Error("without Last-Modified, Date is the stored response's modification time")
	}
}

func TestRangeApplies(t *testing.T) {
	h := http.Header{"Etag": {`"v1"`}, "Last-Modified": {"Mon, 07 Dec 2026 10:00:00 GMT"}}
	for ir, want := range map[string]bool{
		"": true, `"v1"`: true, `"v2"`: false, `W/"v1"`: false, // strong comparison
		"Mon, 07 Dec 2026 10:00:00 GMT": true, "Mon, 07 Dec 2026 09:00:00 GMT": false,
	} {
		req := &http.Request{Header: http.Header{}}
		if ir != "" {
			req.Header.Set("If-Range", ir)
		}
		if got := rangeApplies(req, h); got != want {
			t.Errorf("If-Range %q: %v, want %v", ir, got, want)
		}
	}
}

func TestRangeBody(t *testing.T) {
	b := &rangeBody{rc: io.NopCloser(strings.NewReader("0123456789")), skip: 3, left: 4}
	got, err := io.ReadAll(b)
	if string(got) != "3456" || err != nil {
		t.Errorf("range 3-6 read %q, %v", got, err)
	}
	short := &rangeBody{rc: io.NopCloser(strings.NewReader("01234")), skip: 3, left: 4}
	if got, err := io.ReadAll(short); err != io.ErrUnexpectedEOF {
		t.Errorf("a stored body shorter than its range read %q, %v; want io.ErrUnexpectedEOF", got, err)
	}
	gone := &rangeBody{rc: io.NopCloser(strings.NewReader("01")), skip: 3, left: 1}
	if _, err := io.ReadAll(gone); err != io.ErrUnexpectedEOF {
		t.Errorf("a stored body ending before the range: %v; want io.ErrUnexpectedEOF", err)
	}
}
