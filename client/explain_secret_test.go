package client_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/proxytest"
)

// TestExplainNoSecrets sends calls carrying every kind of credential
// relay handles — Basic, Digest, Bearer, netrc and URL passwords, API key
// headers (named and marked sensitive), token and signature params, jar
// and per-request cookie values, proxy credentials, an explicit
// Authorization stripped on a redirect — and checks that no secret
// appears in any trail, as text or as values, plainly, in base64 or
// URL-encoded.
func TestExplainNoSecrets(t *testing.T) {
	a, b := twoOrigins(t)
	gp := proxytest.Goproxy(t, proxytest.GoproxyOptions{User: "proxyuser", Password: "Pr0xy-S3cret"})
	netrc := filepath.Join(t.TempDir(), "netrc")
	host := strings.Split(strings.TrimPrefix(b.URL, "http://"), ":")[0]
	if err := os.WriteFile(netrc, []byte("machine "+host+" login nina password N3trc-S3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("NETRC", netrc)

	secrets := []string{"B4sic-S3cret", "D1gest-S3cret", "Be4rer-S3cret", "N3trc-S3cret", "Us3rinfo-S3cret",
		"Ap1Key-S3cret", "M4rked-S3cret", "T0ken-S3cret", "S1g-S3cret", "J4r-S3cret", "C00kie-S3cret",
		"Pr0xy-S3cret", "Expl1cit-S3cret"}
	forms := func(secret string) []string {
		return []string{secret, url.QueryEscape(secret), url.PathEscape(secret),
			base64.StdEncoding.EncodeToString([]byte(secret)),
			base64.StdEncoding.EncodeToString([]byte("alice:" + secret)),
			base64.StdEncoding.EncodeToString([]byte("nina:" + secret)),
			base64.StdEncoding.EncodeToString([]byte("bob:" + secret)),
			base64.StdEncoding.EncodeToString([]byte("proxyuser:" + secret))}
	}

	s := newSession(t)
	s.Explain = true
	s.Proxies = map[string]string{"all": gp.URLWithAuth("proxyuser", "Pr0xy-S3cret").String()}
	s.Auth = auth.Basic("alice", "B4sic-S3cret")
	s.Headers.Set("X-Api-Key", "Ap1Key-S3cret")
	s.Headers.Set("X-Internal", "M4rked-S3cret")
	s.MarkSensitive("X-Internal")
	s.Params.Set("access_token", "T0ken-S3cret")
	s.Jar.SetCookies(mustURL(t, a.URL), []*http.Cookie{{Name: "sid", Value: "J4r-S3cret"}})
	s.Jar.SetCookies(mustURL(t, b.URL), []*http.Cookie{{Name: "sid", Value: "J4r-S3cret"}})

	var trails []string
	keep := func(r *client.Response) {
		trails = append(trails, r.Explain().String(), fmt.Sprintf("%#v", r.Explain().Decisions()), fmt.Sprint(r.Explain().Decisions()))
	}
	keep(mustDo(t, s, "GET", a.URL+"/start", client.Param("sig", "S1g-S3cret"),
		client.Cookie(&http.Cookie{Name: "pc", Value: "C00kie-S3cret"}),
		client.Header("Authorization", "Bearer Expl1cit-S3cret")))
	keep(mustDo(t, s, "GET", a.URL+"/start"))
	keep(mustDo(t, s, "GET", b.URL+"/get", client.WithAuth(auth.Bearer("Be4rer-S3cret"))))
	// Without session Auth: URL userinfo, then netrc.
	s2 := newSession(t)
	s2.Explain = true
	s2.Proxies = s.Proxies
	keep(mustDo(t, s2, "GET", strings.Replace(b.URL, "http://", "http://bob:Us3rinfo-S3cret@", 1)+"/get"))
	keep(mustDo(t, s2, "GET", b.URL+"/get"))
	keep(mustDo(t, s, "GET", b.URL+"/digest-auth/auth/dora/D1gest-S3cret", client.WithAuth(auth.Digest("dora", "D1gest-S3cret"))))

	all := strings.Join(trails, "\n")
	for _, secret := range secrets {
		for _, f := range forms(secret) {
			if strings.Contains(all, f) {
				t.Errorf("%q (a form of %q) is in a trail", f, secret)
			}
		}
	}
	for _, must := range []string{"header X-Api-Key: [redacted]", "header X-Internal: [redacted]", "param access_token: [redacted]",
		"param sig: [redacted]", "auth Basic applied ← netrc", "auth Basic applied ← session Auth", "auth Basic applied ← URL userinfo", "cookie sid sent ← jar",
		"header Authorization stripped", "proxy http://" + gp.URL.Host} {
		if !strings.Contains(all, must) {
			t.Errorf("the trails lack %q:\n%s", must, all)
		}
	}
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
