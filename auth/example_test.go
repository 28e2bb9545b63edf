package auth_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/internal/httpbintest"
	"github.com/relayhttp/relay/middleware"
)

// Digest answers the server's challenge once, then authenticates later
// requests to the same protection space up front.
func ExampleDigest() {
	srv := httpbintest.New() // go-httpbin on loopback
	defer srv.Close()

	base := &http.Transport{}
	defer base.CloseIdleConnections()
	c := &http.Client{Transport: middleware.Chain(base, auth.Middleware(auth.Digest("user", "passwd")))}

	for range 2 {
		resp, err := c.Get(srv.URL + "/digest-auth/auth/user/passwd/SHA-256")
		if err != nil {
			fmt.Println(err)
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, strings.Fields(resp.Request.Header.Get("Authorization"))[0])
	}
	// Output:
	// 200 Digest
	// 200 Digest
}

// Bearer sends a fixed token; BearerFunc asks for one on every request, which
// is where an OAuth 2.0 token source plugs in.
func ExampleBearer() {
	srv := httpbintest.New()
	defer srv.Close()

	base := &http.Transport{}
	defer base.CloseIdleConnections()
	c := &http.Client{Transport: middleware.Chain(base, auth.Middleware(auth.Bearer("my-token")))}
	resp, err := c.Get(srv.URL + "/bearer")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, strings.Contains(string(body), `"token": "my-token"`))
	fmt.Println(auth.Bearer("my-token")) // never shows the token
	// Output:
	// 200 true
	// auth.Bearer(***)
}

func ExampleBearerFunc() {
	tokens := auth.BearerFunc(func(ctx context.Context) (string, error) {
		// With golang.org/x/oauth2: t, err := ts.Token(); return t.AccessToken, err
		return "fresh-token", nil
	})
	req, _ := http.NewRequest("GET", "https://api.example.com/", nil)
	if err := tokens.Authorize(req); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(req.Header.Get("Authorization"))
	// Output: Bearer fresh-token
}

// A netrc file gives Basic credentials by host to requests that have no
// other authenticator.
func ExampleNetrcSource() {
	srv := httpbintest.New()
	defer srv.Close()
	dir, _ := os.MkdirTemp("", "netrc")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, ".netrc")
	os.WriteFile(path, []byte("machine 127.0.0.1\n  login user\n  password passwd\n"), 0o600)

	base := &http.Transport{}
	defer base.CloseIdleConnections()
	mw := auth.MiddlewareWithOptions(auth.MiddlewareOptions{
		Netrc: auth.NetrcSource(path, nil), // read once, on first use
	})
	c := &http.Client{Transport: middleware.Chain(base, mw)}
	resp, err := c.Get(srv.URL + "/basic-auth/user/passwd")
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode)
	// Output: 200
}

func ExampleParseNetrc() {
	f, err := auth.ParseNetrc([]byte(`
# comments run to the end of the line
machine api.example.com login alice password "s3cret with spaces"
default login anonymous password guest@
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	e, _ := f.Lookup("API.example.com")
	fmt.Println(e) // the password is never printed
	e, _ = f.Lookup("other.example.com")
	fmt.Println(e)
	// Output:
	// machine api.example.com login alice password ***
	// default login anonymous password ***
}

// FromURL turns a URL's userinfo into Basic credentials for the request, and
// the URL into one that is safe to send and log.
func ExampleFromURL() {
	srv := httpbintest.New()
	defer srv.Close()
	u, _ := url.Parse(strings.Replace(srv.URL, "http://", "http://user:passwd@", 1) + "/basic-auth/user/passwd")

	a, clean := auth.FromURL(u)
	req, _ := http.NewRequest("GET", clean.String(), nil)
	req = req.WithContext(auth.NewURLContext(req.Context(), a))

	base := &http.Transport{}
	defer base.CloseIdleConnections()
	c := &http.Client{Transport: middleware.Chain(base, auth.Middleware(nil))}
	resp, err := c.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, clean.User == nil, a)
	// Output: 200 true auth.Basic(user, ***)
}
