package record_test

import (
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/record"
)

// counter is a server that answers "<path> #<n>" and counts its requests.
func counter(t testing.TB) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k := n.Add(1)
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte(r.URL.RequestURI() + " #" + strconv.FormatInt(k, 10)))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestModeRecordReplacesTheFile(t *testing.T) {
	srv, _ := counter(t)
	path := cassette(t)
	for _, p := range []string{"/old", "/new"} {
		rec := open(t, path, record.Record, record.Options{})
		do(t, session(t, rec), "GET", srv.URL+p)
		if err := rec.Close(); err != nil {
			t.Fatal(err)
		}
	}
	_, h := readCassette(t, path)
	if len(h.Log.Entries) != 1 || !strings.HasSuffix(h.Log.Entries[0].Request.URL, "/new") {
		t.Errorf("after two recordings the file has %d entries (%v); want only the second's", len(h.Log.Entries), h.Log.Entries)
	}
}

func TestModeReplay(t *testing.T) {
	if _, err := record.Open(cassette(t), record.Replay); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Replay of a missing file: %v, want fs.ErrNotExist", err)
	}
	srv, _ := counter(t)
	path := cassette(t)
	rec := open(t, path, record.Record, record.Options{})
	do(t, session(t, rec), "GET", srv.URL+"/items?page=1")
	do(t, session(t, rec), "POST", srv.URL+"/items")
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)

	replay := open(t, path, record.Replay, record.Options{})
	s := session(t, replay, offline(t))
	if _, body := do(t, s, "GET", srv.URL+"/items?page=1"); body != "/items?page=1 #1" {
		t.Errorf("replayed body %q", body)
	}
	_, err := s.Get(t.Context(), srv.URL+"/items?page=2")
	var nm *record.NoMatchError
	if !errors.As(err, &nm) {
		t.Fatalf("unmatched request: %v, want a *record.NoMatchError", err)
	}
	for _, want := range []string{"GET " + srv.URL + "/items?page=2", "closest is entry 0: GET " + srv.URL + "/items?page=1 (query differs)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if nm.Method != "GET" || nm.ClosestIndex != 0 {
		t.Errorf("NoMatchError %+v", nm)
	}
	if err := replay.Close(); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("Replay's Close changed the file")
	}
	if _, err := s.Get(t.Context(), srv.URL+"/items?page=1"); !errors.Is(err, record.ErrClosed) {
		t.Errorf("a send after Close: %v, want ErrClosed", err)
	}
}

func TestModeRecordMissing(t *testing.T) {
	srv, hits := counter(t)
	path := cassette(t)

	// No file yet: everything is recorded.
	rec := open(t, path, record.RecordMissing, record.Options{})
	s := session(t, rec)
	do(t, s, "GET", srv.URL+"/a")
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	_, first := readCassette(t, path)

	// /a is replayed, /b recorded and appended.
	rec = open(t, path, record.RecordMissing, record.Options{})
	s = session(t, rec)
	if _, body := do(t, s, "GET", srv.URL+"/a"); body != "/a #1" {
		t.Errorf("/a = %q, want the recorded answer", body)
	}
	if _, body := do(t, s, "GET", srv.URL+"/b"); body != "/b #2" {
		t.Errorf("/b = %q, want a fresh answer", body)
	}
	if hits.Load() != 2 {
		t.Errorf("the server saw %d requests, want 2 (one replayed)", hits.Load())
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	second, h := readCassette(t, path)
	if len(h.Log.Entries) != 2 || !strings.HasSuffix(h.Log.Entries[1].Request.URL, "/b") {
		t.Fatalf("entries after RecordMissing: %d", len(h.Log.Entries))
	}

	// Nothing new: the file is left byte for byte.
	rec = open(t, path, record.RecordMissing, record.Options{})
	do(t, session(t, rec), "GET", srv.URL+"/b")
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	if third, _ := os.ReadFile(path); string(third) != string(second) {
		t.Error("RecordMissing with nothing new rewrote the file")
	}
	if diff := cmp.Diff(first.Log.Entries[0], h.Log.Entries[0]); diff != "" {
		t.Errorf("the first entry changed when the second was appended (-before +after):\n%s", diff)
	}
}

func TestModePassthrough(t *testing.T) {
	srv, hits := counter(t)
	path := cassette(t)
	rec := open(t, path, record.Passthrough, record.Options{})
	s := session(t, rec)
	do(t, s, "GET", srv.URL+"/x")
	do(t, s, "GET", srv.URL+"/x")
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 2 {
		t.Errorf("server hits %d, want 2", hits.Load())
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Passthrough wrote a file: %v", err)
	}
}

func TestParseMode(t *testing.T) {
	for s, want := range map[string]record.Mode{"": record.Replay, "record": record.Record, "REPLAY": record.Replay,
		"record-missing": record.RecordMissing, "record_missing": record.RecordMissing, "passthrough": record.Passthrough} {
		if got, err := record.ParseMode(s, record.Replay); err != nil || got != want {
			t.Errorf("ParseMode(%q) = %v, %v; want %v", s, got, err, want)
		}
		if want != 0 && s != "" && !strings.EqualFold(strings.ReplaceAll(s, "_", "-"), want.String()) {
			t.Errorf("%v.String() = %q, want %q", want, want.String(), s)
		}
	}
	if _, err := record.ParseMode("playback", record.Replay); err == nil {
		t.Error("ParseMode accepted an unknown name")
	}
	if _, err := record.Open(cassette(t), record.Mode(0)); err == nil {
		t.Error("Open accepted mode 0")
	}
}
