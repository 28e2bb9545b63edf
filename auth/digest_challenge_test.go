package auth_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/middleware"
)

func TestDigestNeverSendsBasic(t *testing.T) {
	var sent atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			sent.Add(1)
		}
		w.Header().Add("WWW-Authenticate", `Basic realm="only basic"`)
		w.Header().Add("WWW-Authenticate", `Digest realm="x", nonce="n", algorithm=SHA-1`) // unknown algorithm
		w.WriteHeader(401)
	}))
	defer srv.Close()
	c := newClient(t, auth.Digest("u", "p"))
	if code := do(t, c, "GET", srv.URL+"/", ""); code != 401 {
		t.Errorf("status %d, want the 401 as it is", code)
	}
	if n := sent.Load(); n != 0 {
		t.Errorf("the server received %d requests with credentials, want 0", n)
	}
}

func TestDigestProtectionSpaces(t *testing.T) {
	// Two realms on one origin, each with a domain; a third path outside both.
	var mu sync.Mutex
	var sent []string
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		h := r.Header.Get("Authorization")
		mu.Lock()
		sent = append(sent, r.URL.Path+" "+realmOf(h))
		mu.Unlock()
		if h != "" {
			return response(r, 200, nil, ""), nil
		}
		var c string
		switch {
		case strings.HasPrefix(r.URL.Path, "/a/"):
			c = `Digest realm="ra", nonce="na", qop=auth, domain="/a/ http://elsewhere.test/a/"`
		case strings.HasPrefix(r.URL.Path, "/b/"):
			c = `Digest realm="rb", nonce="nb", qop=auth, domain="/b/"`
		default:
			return response(r, 200, nil, ""), nil
		}
		return response(r, 401, http.Header{"Www-Authenticate": {c}}, ""), nil
	})
	a := auth.Digest("u", "p")
	c := &http.Client{Transport: middleware.Chain(rt, auth.Middleware(a))}
	for _, u := range []string{
		"http://h.test/a/1", "http://h.test/b/1", "http://h.test/a/2", "http://h.test/b/2",
		"http://h.test/public", "http://elsewhere.test/a/3", "https://h.test/a/4",
	} {
		resp, err := c.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	want := []string{
		"/a/1 ", "/a/1 ra", "/b/1 ", "/b/1 rb", // first contact: a 401 each
		"/a/2 ra", "/b/2 rb", // up front, each with its own realm
		"/public ",         // outside both domains
		"/a/3 ", "/a/3 ra", // another origin, though the domain listed it: its own 401 first
		"/a/4 ", "/a/4 ra", // https is another origin too
	}
	if diff := cmp.Diff(want, sent); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func realmOf(h string) string {
	for _, c := range auth.ParseChallenges(h) {
		for _, p := range c.Params {
			if p[0] == "realm" {
				return p[1]
			}
		}
	}
	return ""
}

func TestDigestControlCharacterInUserName(t *testing.T) {
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		return response(r, 401, http.Header{"Www-Authenticate": {`Digest realm="r", nonce="n"`}}, ""), nil
	})
	c := &http.Client{Transport: middleware.Chain(rt, auth.Middleware(auth.Digest("bad\r\nuser", "s3cret")))}
	_, err := c.Get("http://h.test/")
	if err == nil || !strings.Contains(err.Error(), "auth: digest: the user name has a control character") || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("err = %v", err)
	}
}
