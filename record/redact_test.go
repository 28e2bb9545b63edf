package record_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/record"
)

// The secrets of TestNoSecretInCassette, each distinct and long enough to
// be searched for in every form.
const (
	basicPass   = "basic-pass-Q7wz"
	bearer      = "bearer-tok/en+Z9=="
	cookieVal   = "cookie-val-K2m8"
	apiKey      = "api-key-vP4x"
	jsonPass    = `json-pass-"quoted"<tag>&`
	nestedSec   = "nested-secret-R5t1"
	formToken   = "form-token-H3j6 spaced"
	marked      = "marked-tenant-L8n2"
	userinfoPw  = "userinfo-pw-D1f9"
	setCookie   = "set-cookie-val-W4e7"
	accessToken = "issued-access-token-B6y3"
	signature   = "sig-N0p5"
)

var allSecrets = []string{basicPass, bearer, cookieVal, apiKey, jsonPass, nestedSec, formToken, marked, userinfoPw, setCookie, accessToken, signature}

// forms are the ways a secret can appear in a file.
// A JSON body echoed inside a JSON response, in a cassette, is escaped
// three times: each level is searched, with HTML characters escaped (as
// json.Marshal writes them) or not.
func forms(s string) map[string]string {
	out := map[string]string{
		"plain":         s,
		"base64":        base64.StdEncoding.EncodeToString([]byte(s)),
		"base64url":     base64.RawURLEncoding.EncodeToString([]byte(s)),
		"query-escaped": url.QueryEscape(s),
		"path-escaped":  url.PathEscape(s),
	}
	for _, html := range []bool{false, true} {
		e := s
		for level := 1; level <= 3; level++ {
			e = jsonEscape(e, html)
			out["JSON-escaped "+strconv.Itoa(level)+" times, HTML escaped "+strconv.FormatBool(html)] = e
		}
	}
	return out
}

func jsonEscape(s string, html bool) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	_ = enc.Encode(s)
	return strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(b.String(), `"`), "\n"), `"`)
}

// tokenServer issues a token in JSON and a session cookie, as a login
// endpoint does, and echoes what it was sent otherwise.
func tokenServer(t testing.TB) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/login" {
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: setCookie, Path: "/", HttpOnly: true})
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"access_token":"` + accessToken + `","expires_in":3600,"user":{"name":"ann"}}`))
			return
		}
		if r.URL.Path == "/next" {
			http.Redirect(w, r, "/done?signature="+url.QueryEscape(signature), http.StatusFound)
			return
		}
		_, _ = w.Write([]byte("done: " + r.URL.RawQuery))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestNoSecretInCassette sends secrets in every place a request can carry
// them — Basic and Bearer credentials, cookies, a query key, JSON and form
// fields, a header the session marks sensitive, URL userinfo — to
// go-httpbin, which echoes them all back in its bodies, and to a login
// endpoint that issues a token and a cookie; then checks that the
// cassette's bytes hold none of them in any form, that equal secrets got
// equal placeholders, and that the cassette still replays the same calls.
func TestNoSecretInCassette(t *testing.T) {
	bin := httpbin(t)
	login := tokenServer(t)
	path := cassette(t)
	rec := open(t, path, record.Record, record.Options{})
	calls := func(s *client.Session) []string {
		s.MarkSensitive("X-Tenant")
		var out []string
		add := func(status int, body string) { out = append(out, body) }
		add(do(t, s, "GET", bin.URL+"/anything/basic", client.WithAuth(auth.Basic("ann", basicPass))))
		add(do(t, s, "GET", bin.URL+"/anything/bearer?api_key="+url.QueryEscape(apiKey)+"&page=2",
			client.Header("Authorization", "Bearer "+bearer), client.Header("X-Tenant", marked),
			client.Cookie(&http.Cookie{Name: "pref", Value: cookieVal})))
		add(do(t, s, "POST", bin.URL+"/anything/json", client.JSON(map[string]any{
			"user": "ann", "password": jsonPass, "config": map[string]any{"client_secret": nestedSec, "retries": 3},
		})))
		add(do(t, s, "POST", bin.URL+"/anything/form", client.Form(url.Values{"token": {formToken}, "q": {"x"}})))
		u, _ := url.Parse(bin.URL + "/anything/userinfo")
		u.User = url.UserPassword("ann", userinfoPw)
		add(do(t, s, "GET", u.String()))
		add(do(t, s, "POST", login.URL+"/login"))
		add(do(t, s, "GET", login.URL+"/next"))
		return out
	}
	recorded := calls(session(t, rec))
	if !strings.Contains(strings.Join(recorded, ""), bearer) {
		t.Fatal("httpbin did not echo the secrets: the test would prove nothing")
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	raw, h := readCassette(t, path)
	if os.Getenv("RECORD_DUMP") != "" {
		_ = os.WriteFile(os.Getenv("RECORD_DUMP"), raw, 0o644)
	}
	for _, s := range allSecrets {
		for form, v := range forms(s) {
			if strings.Contains(string(raw), v) {
				i := strings.Index(string(raw), v)
				t.Errorf("the cassette holds secret %q (%s: %q) near %q", s, form, v, string(raw[max(0, i-80):min(len(raw), i+80)]))
			}
		}
	}

	// Placeholders are stable and keep the structure reviewable.
	ph := regexp.MustCompile(`REDACTED-[0-9a-f]{8}`)
	for _, want := range []string{`"Basic REDACTED-`, `"Bearer REDACTED-`, `"pref=REDACTED-`, `"sid=REDACTED-`, `api_key=REDACTED-`, `\"password\":\"REDACTED-`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("the cassette lacks %s", want)
		}
	}
	bearerPH := ph.FindString(header(h.Log.Entries[1].Request.Headers, "Authorization"))
	if n := strings.Count(string(raw), bearerPH); bearerPH == "" || n < 2 {
		t.Errorf("the bearer token's placeholder %q appears %d times; the echo should carry the same one", bearerPH, n)
	}

	// Replay: the live requests, redacted the same way, match.
	bin.Close()
	login.Close()
	replayed := calls(session(t, open(t, path, record.Replay, record.Options{}), offline(t)))
	for i := range replayed {
		for _, s := range allSecrets {
			if strings.Contains(replayed[i], s) {
				t.Errorf("call %d: the replayed body holds %q", i, s)
			}
		}
		if !strings.Contains(replayed[i], "REDACTED-") && i != 6 {
			t.Errorf("call %d replayed %q, want the redacted recording", i, replayed[i])
		}
	}
}

// TestRedactionRules checks the rules one by one on a hand-made entry,
// through a Record and a Replay, and the user's rules.
func TestRedactionRules(t *testing.T) {
	for name, want := range map[string]bool{
		"api_key": true, "apiKey": true, "X-Api-Key": true, "access_token": true, "client_secret": true,
		"password": true, "passwd": true, "X-Amz-Signature": true, "sig": true, "auth": true, "PHPSESSID": true,
		"session_id": true, "credentials": true, "refreshToken": true,
		"keyword": false, "author": false, "monkey": false, "signup": false, "page": false, "q": false,
		"Access-Control-Allow-Credentials": false, "Content-Type": false,
	} {
		if got := record.LooksSecret(name); got != want {
			t.Errorf("LooksSecret(%q) = %v, want %v", name, got, want)
		}
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Internal", "internal-value-42")
		w.Header().Set("Location", "/next?token=loc-token-1")
		_, _ = w.Write([]byte("customer 12345 ok"))
	}))
	defer srv.Close()
	path := cassette(t)
	o := record.Options{
		SensitiveHeaders: []string{"X-Internal"},
		SecretNames:      []string{"account"},
		Redact: func(e *record.Entry) {
			e.Response.Content.Text = strings.ReplaceAll(e.Response.Content.Text, "12345", "#####")
		},
	}
	rec := open(t, path, record.Record, o)
	do(t, session(t, rec), "GET", srv.URL+"/x?account=acct-9911&page=1", client.NoRedirects())
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	raw, h := readCassette(t, path)
	for _, secret := range []string{"internal-value-42", "loc-token-1", "acct-9911", "12345"} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the cassette holds %q", secret)
		}
	}
	e := h.Log.Entries[0]
	if !strings.Contains(e.Request.URL, "page=1") || e.Response.Content.Text != "customer ##### ok" {
		t.Errorf("redaction went too far or not far enough: %s, %q", e.Request.URL, e.Response.Content.Text)
	}
	if got := answer(t, session(t, open(t, path, record.Replay, o), offline(t)), "GET", srv.URL+"/x?page=1&account=acct-9911", client.NoRedirects()); got != "customer ##### ok" {
		t.Errorf("replay with a redacted query: %q", got)
	}
	// A different secret is a different placeholder: no match.
	if got := answer(t, session(t, open(t, path, record.Replay, o), offline(t)), "GET", srv.URL+"/x?page=1&account=acct-0000", client.NoRedirects()); !strings.HasPrefix(got, "error") {
		t.Errorf("another account matched: %q", got)
	}
	// A salt changes every placeholder.
	salted := write(t)
	_ = os.Remove(salted)
	rec = open(t, salted, record.Record, record.Options{SecretNames: []string{"account"}, Salt: "pepper"})
	do(t, session(t, rec), "GET", srv.URL+"/x?account=acct-9911", client.NoRedirects())
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	_, hs := readCassette(t, salted)
	if a, b := hs.Log.Entries[0].Request.QueryString[0].Value, e.Request.QueryString[0].Value; a == b || !strings.HasPrefix(a, "REDACTED-") {
		t.Errorf("salted placeholder %q, unsalted %q: want different placeholders", a, b)
	}
}
