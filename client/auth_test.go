package client_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/client"
)

func TestSessionDigest(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	s.Auth = auth.Digest("user", "passwd")
	for _, alg := range []string{"MD5", "SHA-256"} {
		r := mustDo(t, s, "GET", srv.URL+"/digest-auth/auth/user/passwd/"+alg)
		if r.StatusCode != 200 {
			t.Errorf("%s: status %d", alg, r.StatusCode)
		}
	}
}

func TestURLCredentials(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	u := strings.Replace(srv.URL, "http://", "http://user:passwd@", 1)
	r := mustDo(t, s, "GET", u+"/basic-auth/user/passwd")
	if r.StatusCode != 200 {
		t.Errorf("status %d: URL credentials should become Basic auth", r.StatusCode)
	}
	if r.Request.URL.User != nil || strings.Contains(r.Request.URL.String(), "passwd@") {
		t.Errorf("the request URL still carries the userinfo: %s", r.Request.URL)
	}
}

func TestNetrc(t *testing.T) {
	srv := httpbin(t)
	host, _ := url.Parse(srv.URL)
	path := filepath.Join(t.TempDir(), "netrc")
	os.WriteFile(path, []byte("machine "+host.Hostname()+"\n  login user\n  password passwd\n"), 0o600)
	t.Setenv("NETRC", path)
	s := newSession(t)
	if r := mustDo(t, s, "GET", srv.URL+"/basic-auth/user/passwd"); r.StatusCode != 200 {
		t.Errorf("netrc: status %d", r.StatusCode)
	}
	if r := mustDo(t, s, "GET", srv.URL+"/basic-auth/user/passwd", client.WithAuth(auth.Basic("user", "wrong"))); r.StatusCode != 401 {
		t.Errorf("explicit auth must win over netrc: status %d", r.StatusCode)
	}
	s.TrustEnv = false
	if r := mustDo(t, s, "GET", srv.URL+"/basic-auth/user/passwd"); r.StatusCode != 401 {
		t.Errorf("TrustEnv=false must not read netrc: status %d", r.StatusCode)
	}
}

func TestSendAppliesURLCredentials(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	req, _ := http.NewRequest("GET", strings.Replace(srv.URL, "http://", "http://user:passwd@", 1)+"/basic-auth/user/passwd", nil)
	r, err := s.Send(req)
	if err != nil {
		t.Fatal(err)
	}
	if r.StatusCode != 200 || req.URL.User == nil {
		t.Errorf("status %d; the caller's URL must keep its userinfo (%s)", r.StatusCode, req.URL.Redacted())
	}
}
