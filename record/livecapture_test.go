package record_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/httpbintest"
	"github.com/relayhttp/relay/record"
)

// captureSession returns a session with c plugged in, its idle
// connections closed when the test ends.
func captureSession(t testing.TB, c *record.Capture, opts ...client.SessionOption) *client.Session {
	t.Helper()
	s := client.NewSession(append([]client.SessionOption{client.WithCapture(c)}, opts...)...)
	t.Cleanup(s.CloseIdleConnections)
	return s
}

// checkEntryTimings fails t unless e's timings are each -1 or at least 0 (send,
// wait and receive at least 0) and e.Time is their sum.
func checkEntryTimings(t testing.TB, i int, e record.Entry) {
	t.Helper()
	tm := e.Timings
	for name, n := range map[string]record.Number{"blocked": tm.Blocked, "dns": tm.DNS, "connect": tm.Connect, "ssl": tm.SSL} {
		if n != -1 && n < 0 {
			t.Errorf("entry %d: %s = %v, want -1 or ≥ 0", i, name, n)
		}
	}
	for name, n := range map[string]record.Number{"send": tm.Send, "wait": tm.Wait, "receive": tm.Receive} {
		if n < 0 {
			t.Errorf("entry %d: %s = %v, want ≥ 0", i, name, n)
		}
	}
	var sum record.Number
	for _, n := range []record.Number{tm.Blocked, tm.DNS, tm.Connect, tm.Send, tm.Wait, tm.Receive} {
		sum += max(n, 0)
	}
	if d := float64(e.Time - sum); d > 1e-9 || d < -1e-9 {
		t.Errorf("entry %d: time %v is not the sum of the timings, %v", i, e.Time, sum)
	}
	if tm.SSL >= 0 && tm.Connect < tm.SSL {
		t.Errorf("entry %d: connect %v < ssl %v (ssl is part of connect)", i, tm.Connect, tm.SSL)
	}
}

// TestCaptureRedirectRetryDigest captures a call that is retried (503),
// then redirected (302), then authenticated with Digest (401, 200): four
// sends, four entries in order, each with its own timings, the redirect's
// target resolved, and no credential in the file.
func TestCaptureRedirectRetryDigest(t *testing.T) {
	const apiKey = "capture-api-key-0123456789"
	var (
		flaky   atomic.Int32
		mu      sync.Mutex
		authzes []string // the Authorization headers the server received
	)
	bin := httpbintest.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a := r.Header.Get("Authorization"); a != "" {
			mu.Lock()
			authzes = append(authzes, a)
			mu.Unlock()
		}
		if r.URL.Path == "/flaky" {
			if flaky.Add(1) == 1 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			http.Redirect(w, r, "/digest-auth/auth/user/passwd/MD5", http.StatusFound)
			return
		}
		bin.ServeHTTP(w, r)
	}))
	defer srv.Close()

	c := record.NewHAR()
	s := captureSession(t, c, client.WithRetry(client.RetryOptions{MaxAttempts: 3, BaseDelay: -1}))
	s.Auth = auth.Digest("user", "passwd")
	s.Headers.Set("X-Api-Key", apiKey)
	status, body := do(t, s, http.MethodGet, srv.URL+"/flaky")
	if status != http.StatusOK || !strings.Contains(body, `"authorized": true`) {
		t.Fatalf("the call ended with %d %s, want 200 authorized", status, body)
	}

	es := c.Entries()
	want := []struct {
		status int
		path   string
	}{{503, "/flaky"}, {302, "/flaky"}, {401, "/digest-auth/auth/user/passwd/MD5"}, {200, "/digest-auth/auth/user/passwd/MD5"}}
	if len(es) != len(want) {
		t.Fatalf("%d entries, want %d (one per send)", len(es), len(want))
	}
	for i, w := range want {
		e := es[i]
		if e.Response.Status != w.status || !strings.HasSuffix(e.Request.URL, w.path) {
			t.Errorf("entry %d: %d %s, want %d …%s", i, e.Response.Status, e.Request.URL, w.status, w.path)
		}
		if i > 0 && e.StartedDateTime.Before(es[i-1].StartedDateTime.Time) {
			t.Errorf("entry %d started before entry %d", i, i-1)
		}
		checkEntryTimings(t, i, e)
	}
	if got, want := es[1].Response.RedirectURL, srv.URL+"/digest-auth/auth/user/passwd/MD5"; got != want {
		t.Errorf("the 302's redirectURL is %q, want the resolved Location %q", got, want)
	}
	for _, i := range []int{0, 2, 3} {
		if es[i].Response.RedirectURL != "" {
			t.Errorf("entry %d (%d) has redirectURL %q, want none", i, es[i].Response.Status, es[i].Response.RedirectURL)
		}
	}
	if a := headerValue(es[3].Request.Headers, "Authorization"); !strings.HasPrefix(a, "Digest REDACTED-") {
		t.Errorf("the authenticated round's Authorization is %q, want a placeholder after the scheme", a)
	}
	if es[0].ServerIPAddress != "127.0.0.1" || es[0].Connection == "" {
		t.Errorf("serverIPAddress %q, connection %q; want 127.0.0.1 and a port", es[0].ServerIPAddress, es[0].Connection)
	}

	path := filepath.Join(t.TempDir(), "capture.har")
	if err := c.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	b, h := readCassette(t, path) // strict HAR 1.2
	if len(h.Log.Entries) != 4 {
		t.Errorf("the file has %d entries, want 4", len(h.Log.Entries))
	}
	mu.Lock()
	secrets := []string{apiKey}
	for _, a := range authzes {
		_, creds, _ := strings.Cut(a, " ")
		secrets = append(secrets, creds)
		for p := range strings.SplitSeq(creds, ",") { // response="…", cnonce="…"
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && (k == "response" || k == "cnonce") {
				secrets = append(secrets, strings.Trim(v, `"`))
			}
		}
	}
	mu.Unlock()
	if len(authzes) != 1 {
		t.Errorf("the server saw %d Authorization headers, want 1", len(authzes))
	}
	for _, sec := range secrets {
		for _, form := range []string{sec, url.QueryEscape(sec), base64.StdEncoding.EncodeToString([]byte(sec))} {
			if bytes.Contains(b, []byte(form)) {
				t.Errorf("the file holds the secret %q as %q", sec, form)
			}
		}
	}
}

// TestCaptureWriteToMatchesWriteFile checks that WriteTo writes what
// WriteFile writes, and counts it.
func TestCaptureWriteToMatchesWriteFile(t *testing.T) {
	srv := httpbin(t)
	c := record.NewHAR()
	s := captureSession(t, c)
	do(t, s, http.MethodGet, srv.URL+"/bytes/64") // binary: base64 in the file
	var buf bytes.Buffer
	n, err := c.WriteTo(&buf)
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("WriteTo: %d, %v; wrote %d bytes", n, err, buf.Len())
	}
	path := filepath.Join(t.TempDir(), "c.har")
	if err := c.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	b, h := readCassette(t, path)
	if !bytes.Equal(b, buf.Bytes()) {
		t.Errorf("WriteTo and WriteFile differ")
	}
	if len(h.Log.Entries) != 1 || h.Log.Entries[0].Response.Content.Encoding != "base64" {
		t.Errorf("want one entry with a base64 body, have %+v", h.Log.Entries)
	}
}

// TestCaptureBodyCapAndOpenBodies: a body past the cap is kept truncated,
// and an entry whose body is still open is not in Entries until closed.
func TestCaptureBodyCapAndOpenBodies(t *testing.T) {
	srv := httpbin(t)
	c := record.NewHARWithOptions(record.HAROptions{MaxBodySize: 100})
	s := captureSession(t, c)
	r, err := s.Get(context.Background(), srv.URL+"/bytes/1000", client.Stream())
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.Entries()); n != 0 {
		t.Errorf("%d entries while the body is open, want 0", n)
	}
	if _, err := r.Bytes(); err != nil {
		t.Fatal(err)
	}
	es := c.Entries()
	if len(es) != 1 {
		t.Fatalf("%d entries after the body was read, want 1", len(es))
	}
	ct := es[0].Response.Content
	if !ct.Truncated || len(ct.Text) != 100 || es[0].Response.BodySize != 1000 {
		t.Errorf("content: truncated %v, %d bytes kept, bodySize %d; want true, 100, 1000", ct.Truncated, len(ct.Text), es[0].Response.BodySize)
	}
}

// TestCaptureFailedSend: a refused connection is an entry with _error and
// valid timings, and the file is still strict HAR.
func TestCaptureFailedSend(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close()
	c := record.NewHAR()
	s := captureSession(t, c)
	if _, err := s.Get(context.Background(), addr+"/gone"); err == nil {
		t.Fatal("a closed server answered")
	}
	es := c.Entries()
	if len(es) != 1 || es[0].Response.Error == "" || es[0].Response.Status != 0 {
		t.Fatalf("entries %+v, want one failed send", es)
	}
	checkEntryTimings(t, 0, es[0])
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	assertValidHAR(t, buf.Bytes())
}

// TestCaptureConcurrent captures from many goroutines at once, writing
// the file meanwhile: every send is an entry (run with -race).
func TestCaptureConcurrent(t *testing.T) {
	srv := httpbin(t)
	c := record.NewHAR()
	s := captureSession(t, c)
	dir := t.TempDir()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			do(t, s, http.MethodGet, srv.URL+"/get?i="+string(rune('a'+i)))
			if err := c.WriteFile(filepath.Join(dir, "c.har")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := len(c.Entries()); n != 16 {
		t.Errorf("%d entries, want 16", n)
	}
	b, err := os.ReadFile(filepath.Join(dir, "c.har"))
	if err != nil {
		t.Fatal(err)
	}
	assertValidHAR(t, b)
}

func headerValue(hs []record.NameValue, name string) string {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}
