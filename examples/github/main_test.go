package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/client"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestSteps runs the walkthrough's steps in order against one pair of fakes,
// each as a subtest, and shows what a failing step printed.
func TestSteps(t *testing.T) {
	o := startOffline()
	defer o.Close()
	var out bytes.Buffer
	w := &walk{s: newSession(o), out: &out}
	defer w.s.CloseIdleConnections()
	for _, st := range steps {
		t.Run(st.title, func(t *testing.T) {
			out.Reset()
			if err := runStep(t.Context(), w, st); err != nil {
				t.Errorf("%v\nthe step printed:\n%s", err, out.String())
			}
		})
	}
}

// TestRun runs the walkthrough as main does, twice: it must pass, print the
// same text both times, and print no loopback address.
func TestRun(t *testing.T) {
	var first, second bytes.Buffer
	if code := run(t.Context(), &first, steps); code != 0 {
		t.Fatalf("run = %d, want 0; output:\n%s", code, first.String())
	}
	if code := run(t.Context(), &second, steps); code != 0 {
		t.Fatalf("second run = %d, want 0; output:\n%s", code, second.String())
	}
	if first.String() != second.String() {
		t.Errorf("the walkthrough printed different text on two runs:\n--- first\n%s\n--- second\n%s", first.String(), second.String())
	}
	for _, leak := range []string{"127.0.0.1", "[::1]", "localhost", "example.com:"} {
		if strings.Contains(first.String(), leak) {
			t.Errorf("the walkthrough printed %q, which changes from run to run:\n%s", leak, first.String())
		}
	}
	if !strings.Contains(first.String(), "All 10 steps passed.") {
		t.Errorf("no success line in:\n%s", first.String())
	}
}

// TestRunReportsFailures checks that a failing or panicking step makes run
// return 1, is named in the summary, and does not stop the steps after it.
func TestRunReportsFailures(t *testing.T) {
	ranLast := false
	fake := []step{
		{"fine", func(context.Context, *walk) error { return nil }},
		{"broken", func(context.Context, *walk) error { return errors.New("saw 500") }},
		{"panicking", func(context.Context, *walk) error { panic("boom") }},
		{"needs the POST", func(_ context.Context, w *walk) error { _, err := w.createdComment(); return err }},
		{"last", func(context.Context, *walk) error { ranLast = true; return nil }},
	}
	var out bytes.Buffer
	if code := run(t.Context(), &out, fake); code != 1 {
		t.Errorf("run = %d, want 1", code)
	}
	if !ranLast {
		t.Error("the step after the failures did not run")
	}
	for _, want := range []string{
		"FAIL: saw 500",
		"FAIL: panic: boom",
		"3 of 5 steps failed:",
		"2. broken: saw 500",
		"3. panicking: panic: boom",
		"4. needs the POST: no comment to work on",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestFake checks what the fakes answer to the requests the walkthrough does
// not make: writes without or with wrong credentials, bad bodies, pages past
// the last, methods the cats API does not allow, and hosts it does not serve.
func TestFake(t *testing.T) {
	o := startOffline()
	defer o.Close()
	s := newSession(o)
	defer s.CloseIdleConnections()
	good := client.WithAuth(auth.Basic(username, password))
	bad := client.WithAuth(auth.Basic(username, "wrong"))
	existing := api + commentPrefix + "4500001"
	tests := []struct {
		name, method, url string
		opts              []client.Option
		want              int
	}{
		{"PATCH without auth", http.MethodPatch, existing, []client.Option{client.JSON(map[string]string{"body": "x"})}, http.StatusUnauthorized},
		{"DELETE without auth", http.MethodDelete, existing, nil, http.StatusUnauthorized},
		{"POST with a wrong password", http.MethodPost, api + commentsPath, []client.Option{bad, client.JSON(map[string]string{"body": "x"})}, http.StatusUnauthorized},
		{"GET with a wrong password", http.MethodGet, api + issuePath, []client.Option{bad}, http.StatusUnauthorized},
		{"POST without a body field", http.MethodPost, api + commentsPath, []client.Option{good, client.JSON(map[string]string{})}, http.StatusUnprocessableEntity},
		{"POST of bad JSON", http.MethodPost, api + commentsPath, []client.Option{good, client.Body(strings.NewReader("{"))}, http.StatusBadRequest},
		{"PATCH of a missing comment", http.MethodPatch, api + commentPrefix + "1", []client.Option{good, client.JSON(map[string]string{"body": "x"})}, http.StatusNotFound},
		{"GET of a fixture comment", http.MethodGet, existing, nil, http.StatusOK},
		{"PUT of the commit", http.MethodPut, api + commitPath, []client.Option{good}, http.StatusNotFound},
		{"OPTIONS of the issue", http.MethodOptions, api + issuePath, nil, http.StatusInternalServerError},
		{"unknown path", http.MethodGet, api + "/repos/psf/requests/pulls", nil, http.StatusNotFound},
		{"cats GET", http.MethodGet, catsURL, nil, http.StatusOK},
		{"cats DELETE", http.MethodDelete, catsURL, nil, http.StatusMethodNotAllowed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := s.Do(t.Context(), tc.method, tc.url, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if r.StatusCode != tc.want {
				b, _ := r.Bytes()
				t.Errorf("%s %s = %s, want %d; body %s", tc.method, tc.url, r.Status, tc.want, b)
			}
			if r.Header.Get("X-RateLimit-Limit") == "" && strings.HasPrefix(tc.url, api) {
				t.Error("no X-RateLimit-Limit")
			}
		})
	}

	t.Run("page past the last", func(t *testing.T) {
		r, err := s.Get(t.Context(), api+commentsPath, client.Param("page", "3"))
		if err != nil {
			t.Fatal(err)
		}
		var page []comment
		if err := r.JSON(&page); err != nil || len(page) != 0 || len(r.Links()) != 0 {
			t.Errorf("page 3: %d comments, links %v, err %v; want none", len(page), r.Links(), err)
		}
	})
	t.Run("cats OPTIONS", func(t *testing.T) {
		r, err := s.Options(t.Context(), catsURL)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Header.Get("Allow"); got != "GET,HEAD,POST,OPTIONS" {
			t.Errorf("Allow = %q", got)
		}
	})
	t.Run("other hosts are refused", func(t *testing.T) {
		for _, u := range []string{"https://github.com/", "http://api.github.com/", "https://a-good-website.com/api/cats"} {
			_, err := s.Get(t.Context(), u)
			if err == nil || !strings.Contains(err.Error(), "offline walkthrough: no server for") {
				t.Errorf("GET %s: err = %v, want the offline transport's refusal", u, err)
			}
		}
	})
}
