package auth_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/middleware"
)

// TestDigestRFCExamples checks the worked examples of RFC 7616 §3.9 and
// RFC 2617 §3.5.
func TestDigestRFCExamples(t *testing.T) {
	const (
		rfc7616Nonce  = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
		rfc7616Opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
		rfc7616Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
	)
	for _, tc := range []struct {
		name, user, pass, url, cnonce string
		challenges                    []string
		want                          string
	}{{
		name: "RFC 7616 MD5", user: "Mufasa", pass: "Circle of Life", cnonce: rfc7616Cnonce,
		url: "http://www.example.org/dir/index.html",
		challenges: []string{
			`Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="` + rfc7616Nonce + `", opaque="` + rfc7616Opaque + `"`,
		},
		want: `Digest username="Mufasa", realm="http-auth@example.org", nonce="` + rfc7616Nonce + `", uri="/dir/index.html", response="8ca523f5e9506fed4657c9700eebdbec", opaque="` + rfc7616Opaque + `", algorithm=MD5, qop=auth, nc=00000001, cnonce="` + rfc7616Cnonce + `"`,
	}, {
		name: "RFC 7616 SHA-256 offered after MD5", user: "Mufasa", pass: "Circle of Life", cnonce: rfc7616Cnonce,
		url: "http://www.example.org/dir/index.html",
		challenges: []string{
			`Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="other", opaque="x"`,
			`Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="` + rfc7616Nonce + `", opaque="` + rfc7616Opaque + `"`,
		},
		want: `Digest username="Mufasa", realm="http-auth@example.org", nonce="` + rfc7616Nonce + `", uri="/dir/index.html", response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", opaque="` + rfc7616Opaque + `", algorithm=SHA-256, qop=auth, nc=00000001, cnonce="` + rfc7616Cnonce + `"`,
	}, {
		name: "RFC 2617", user: "Mufasa", pass: "Circle Of Life", cnonce: "0a4f113b",
		url: "http://www.nowhere.org/dir/index.html",
		challenges: []string{
			`Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"`,
		},
		want: `Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41", qop=auth, nc=00000001, cnonce="0a4f113b"`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			a := auth.Digest(tc.user, tc.pass)
			auth.SetDigestCnonce(a, fixedCnonce(tc.cnonce))
			got := authorizationAfterChallenge(t, a, "GET", tc.url, tc.challenges...)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Authorization mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDigestUserhash checks RFC 7616 §3.9.2's SHA-512-256 example (userhash,
// charset=UTF-8, a non-ASCII user name) with the values of erratum 4897: the
// RFC's were computed with a draft SHA-512/256.
func TestDigestUserhash(t *testing.T) {
	a := auth.Digest("J\u00e4s\u00f8n Doe", "Secret, or not?")
	auth.SetDigestCnonce(a, fixedCnonce("NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v"))
	got := authorizationAfterChallenge(t, a, "GET", "http://api.example.org/doe.json",
		`Digest realm="api@example.org", qop="auth", algorithm=SHA-512-256, nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", charset=UTF-8, userhash=true`)
	want := `Digest username="793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b", realm="api@example.org", nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", uri="/doe.json", response="3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5", opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", algorithm=SHA-512-256, qop=auth, nc=00000001, cnonce="NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v", userhash=true`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Authorization mismatch (-want +got):\n%s", diff)
	}
	// Without userhash, charset=UTF-8 puts a non-ASCII name in username*.
	a = auth.Digest("J\u00e4s\u00f8n Doe", "Secret, or not?")
	got = authorizationAfterChallenge(t, a, "GET", "http://api.example.org/doe.json",
		`Digest realm="api@example.org", qop="auth", algorithm=SHA-256, nonce="n", charset=UTF-8`)
	if !strings.HasPrefix(got, `Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm=`) {
		t.Errorf("Authorization = %s, want username* in RFC 8187 form", got)
	}
}

func TestDigestWithoutQop(t *testing.T) {
	s := &digestServer{user: "u", pass: "p", realm: "r", opaque: "op"} // RFC 2069 style
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := newClient(t, auth.Digest("u", "p"))
	for range 2 {
		if code := do(t, c, "GET", srv.URL+"/", ""); code != 200 {
			t.Fatalf("status %d", code)
		}
	}
}

func TestDigestAuthInt(t *testing.T) {
	s := &digestServer{user: "u", pass: "p", realm: "r", algorithm: "SHA-256", qop: "auth-int"}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := newClient(t, auth.Digest("u", "p"))
	for _, body := range []string{"first body", "", "third"} {
		if code := do(t, c, "POST", srv.URL+"/upload", body); code != 200 {
			t.Fatalf("body %q: status %d", body, code)
		}
	}
	if unauthorized, _, bodies := s.stats(); unauthorized != 1 || len(bodies) != 3 {
		t.Errorf("401s %d (want 1), bodies %q", unauthorized, bodies)
	}
	// Up front, auth-int needs to read the body twice: without GetBody the
	// request fails before it is sent.
	req, _ := http.NewRequest("POST", srv.URL+"/upload", io.NopCloser(strings.NewReader("once")))
	req.GetBody = nil
	if _, err := c.Do(req); !errors.Is(err, middleware.ErrUnrewindableBody) {
		t.Errorf("err = %v, want ErrUnrewindableBody", err)
	}
	// When both are offered, auth is used and the body is read once.
	s2 := &digestServer{user: "u", pass: "p", realm: "r", qop: "auth-int,auth"}
	srv2 := httptest.NewServer(s2)
	defer srv2.Close()
	got := authorizationAfterChallenge(t, auth.Digest("u", "p"), "GET", srv2.URL, `Digest realm="r", nonce="n", qop="auth-int, auth"`)
	if !strings.Contains(got, "qop=auth,") {
		t.Errorf("Authorization = %s, want qop=auth", got)
	}
}

func TestDigestUnreplayableBody(t *testing.T) {
	s := &digestServer{user: "u", pass: "p", realm: "r", qop: "auth"}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := newClient(t, auth.Digest("u", "p"))
	req, _ := http.NewRequest("POST", srv.URL+"/", io.NopCloser(strings.NewReader("once")))
	req.GetBody = nil
	if _, err := c.Do(req); !errors.Is(err, middleware.ErrUnrewindableBody) {
		t.Errorf("err = %v, want ErrUnrewindableBody", err)
	}
	// Once the space is known, an unreplayable body goes up front and works.
	if code := do(t, c, "GET", srv.URL+"/", ""); code != 200 {
		t.Fatalf("status %d", code)
	}
	req, _ = http.NewRequest("POST", srv.URL+"/", io.NopCloser(strings.NewReader("once")))
	req.GetBody = nil
	if code, _ := get(t, c, req); code != 200 {
		t.Errorf("status %d for an unreplayable body sent up front", code)
	}
}
