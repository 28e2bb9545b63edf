package middleware_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/relayhttp/relay/middleware"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// TestLogRedactsChallenges checks that the debug entry of a real 401 (and of
// a 407 from a proxy) logs neither the WWW-Authenticate nor the
// Proxy-Authenticate challenge: their nonces and opaque values are secrets
// of the same kind as the credentials that answer them.
func TestLogRedactsChallenges(t *testing.T) {
	const nonce, opaque = "n0nce-dcd98b7102dd2f0e", "0paque-5ccc069c403e"
	challenge := `Digest realm="r", qop="auth", nonce="` + nonce + `", opaque="` + opaque + `"`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code, name := http.StatusUnauthorized, "WWW-Authenticate"
		if r.URL.Path == "/proxy" {
			code, name = http.StatusProxyAuthRequired, "Proxy-Authenticate"
		}
		w.Header().Add(name, challenge)
		w.Header().Add(name, `Basic realm="r"`)
		w.Header().Set("X-Served-By", "test")
		w.WriteHeader(code)
	}))
	t.Cleanup(func() {
		srv.Client().CloseIdleConnections()
		srv.Close()
	})
	for path, header := range map[string]string{"/": "Www-Authenticate", "/proxy": "Proxy-Authenticate"} {
		core, logs := observer.New(zapcore.DebugLevel)
		rt := middleware.Log(zap.New(core))(srv.Client().Transport)
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if len(resp.Header.Values(header)) != 2 {
			t.Errorf("%s: the response lost its %s header: %q", path, header, resp.Header)
		}
		all := logs.All()
		if len(all) != 1 {
			t.Fatalf("%s: %d entries, want 1", path, len(all))
		}
		h, _ := all[0].ContextMap()["response_headers"].(map[string]any)
		if got := h[header]; got != "[redacted]" {
			t.Errorf("%s: logged %s = %v, want [redacted]", path, header, got)
		}
		if got := h["X-Served-By"]; got != "test" {
			t.Errorf("%s: logged X-Served-By = %v, want it unredacted", path, got)
		}
		for _, secret := range []string{nonce, opaque, "Digest", "Basic"} {
			if s := encode(t, all[0]); strings.Contains(s, secret) {
				t.Errorf("%s: entry holds %q: %s", path, secret, s)
			}
		}
	}
}

// TestLogRedactsAuthenticationInfo checks that the Authentication-Info and
// Proxy-Authentication-Info of a response (RFC 7615) are logged redacted:
// their nextnonce is what the next Digest credentials answer.
func TestLogRedactsAuthenticationInfo(t *testing.T) {
	const nextnonce = "nextn0nce-40f2e879449675f2"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Authentication-Info", `nextnonce="`+nextnonce+`", qop=auth, rspauth="6629fae4"`)
		w.Header().Set("Proxy-Authentication-Info", `nextnonce="`+nextnonce+`"`)
		w.Header().Set("X-Served-By", "test")
	}))
	t.Cleanup(func() {
		srv.Client().CloseIdleConnections()
		srv.Close()
	})
	core, logs := observer.New(zapcore.DebugLevel)
	rt := middleware.Log(zap.New(core))(srv.Client().Transport)
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.Header.Get("Authentication-Info") == "" {
		t.Error("the response lost its Authentication-Info")
	}
	all := logs.All()
	if len(all) != 1 {
		t.Fatalf("%d entries, want 1", len(all))
	}
	h, _ := all[0].ContextMap()["response_headers"].(map[string]any)
	for _, name := range []string{"Authentication-Info", "Proxy-Authentication-Info"} {
		if got := h[name]; got != "[redacted]" {
			t.Errorf("logged %s = %v, want [redacted]", name, got)
		}
	}
	if got := h["X-Served-By"]; got != "test" {
		t.Errorf("logged X-Served-By = %v, want it unredacted", got)
	}
	if s := encode(t, all[0]); strings.Contains(s, nextnonce) {
		t.Errorf("the entry holds the nextnonce: %s", s)
	}
}

// TestLoggedSensitiveHeadersIsFixed checks that the list is a copy: a
// caller that blanks the slice it got still has Authorization redacted.
func TestLoggedSensitiveHeadersIsFixed(t *testing.T) {
	got := middleware.LoggedSensitiveHeaders()
	if !slices.Contains(got, "Authorization") || !slices.Contains(got, "Set-Cookie") {
		t.Fatalf("LoggedSensitiveHeaders() = %q, want Authorization and Set-Cookie among them", got)
	}
	for i := range got {
		got[i] = "X-Nothing"
	}
	if again := middleware.LoggedSensitiveHeaders(); !slices.Contains(again, "Authorization") {
		t.Fatalf("after the caller changed its copy: %q", again)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(func() {
		srv.Client().CloseIdleConnections()
		srv.Close()
	})
	core, logs := observer.New(zapcore.DebugLevel)
	rt := middleware.Log(zap.New(core))(srv.Client().Transport)
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	req.Header.Set("Authorization", "Bearer s3cret-token")
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	all := logs.All()
	if len(all) != 1 {
		t.Fatalf("%d entries, want 1", len(all))
	}
	h, _ := all[0].ContextMap()["request_headers"].(map[string]any)
	if got := h["Authorization"]; got != "[redacted]" {
		t.Errorf("logged Authorization = %v, want [redacted]", got)
	}
	if s := encode(t, all[0]); strings.Contains(s, "s3cret-token") {
		t.Errorf("entry holds the token: %s", s)
	}
}
