package record_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/httpbintest"
	"github.com/relayhttp/relay/record"
)

// Record a session's calls into a cassette, then replay them with the
// server gone: a redirect is two entries, and the password never reaches
// the file.
func ExampleOpen() {
	srv := httpbintest.New()
	dir, _ := os.MkdirTemp("", "record-example-")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "httpbin.har")
	ctx := context.Background()

	rec, err := record.Open(path, record.Record)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := client.NewSession(client.WithRecorder(rec))
	s.Auth = auth.Basic("ann", "s3cret-passw0rd")
	r, err := s.Get(ctx, srv.URL+"/redirect-to?url=/basic-auth/ann/s3cret-passw0rd")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("recorded:", r.StatusCode, "after", len(r.History), "redirect")
	s.CloseIdleConnections()
	if err := rec.Close(); err != nil { // writes the file
		fmt.Println(err)
		return
	}
	srv.Close()

	b, _ := os.ReadFile(path)
	h, _ := record.ReadHAR(bytesReader(b))
	fmt.Println("entries:", len(h.Log.Entries), "· password in the file:", contains(b, "s3cret-passw0rd"))

	replay, err := record.Open(path, record.Replay)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer replay.Close()
	s = client.NewSession(client.WithRecorder(replay))
	s.Auth = auth.Basic("ann", "s3cret-passw0rd")
	r, err = s.Get(ctx, srv.URL+"/redirect-to?url=/basic-auth/ann/s3cret-passw0rd")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("replayed:", r.StatusCode, "after", len(r.History), "redirect")

	_, err = s.Get(ctx, srv.URL+"/get")
	var nm *record.NoMatchError
	fmt.Println("unrecorded request:", errors.As(err, &nm), nm.Method, "· closest entry:", nm.ClosestIndex)
	// Output:
	// recorded: 200 after 1 redirect
	// entries: 2 · password in the file: false
	// replayed: 200 after 1 redirect
	// unrecorded request: true GET · closest entry: 1
}

// LooksSecret is the rule for query parameters, JSON and form fields and
// headers: whole words such as key, sig, auth, session, or parts such as
// token, secret, passw.
func ExampleLooksSecret() {
	for _, name := range []string{"api_key", "X-Amz-Signature", "refreshToken", "keyword", "author", "page"} {
		fmt.Println(name, record.LooksSecret(name))
	}
	// Output:
	// api_key true
	// X-Amz-Signature true
	// refreshToken true
	// keyword false
	// author false
	// page false
}

// Capture what a session sends, live, as HAR with timings: a redirect is
// two entries, the second on the connection the first opened, and the
// file opens in browser devtools.
func ExampleNewHAR() {
	srv := httpbintest.New()
	defer srv.Close()
	dir, _ := os.MkdirTemp("", "capture-example-")
	defer os.RemoveAll(dir)

	h := record.NewHAR()
	s := client.NewSession(client.WithCapture(h)) // or s.UseSend(h.Middleware())
	defer s.CloseIdleConnections()
	s.Headers.Set("Authorization", "Bearer example-token-0123456789")
	r, err := s.Get(context.Background(), srv.URL+"/redirect-to?url=/get")
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = r.Body.Close()

	for _, e := range h.Entries() {
		t := e.Timings
		fmt.Printf("%d redirectURL=%q connect measured: %v, ssl: %v\n",
			e.Response.Status, strings.TrimPrefix(e.Response.RedirectURL, srv.URL), t.Connect >= 0, t.SSL)
	}
	path := filepath.Join(dir, "session.har")
	if err := h.WriteFile(path); err != nil {
		fmt.Println(err)
		return
	}
	b, _ := os.ReadFile(path)
	fmt.Println("token in the file:", strings.Contains(string(b), "example-token-0123456789"))
	// Output:
	// 302 redirectURL="/get" connect measured: true, ssl: -1
	// 200 redirectURL="" connect measured: false, ssl: -1
	// token in the file: false
}
