package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/client"
)

// authSchemes: Digest (answered once, then sent up front), Bearer, and a
// netrc file, against go-httpbin.
func authSchemes(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()
	s.Auth = auth.Digest("user", "passwd")
	for _, alg := range []string{"MD5", "SHA-256"} {
		r, err := s.Get(ctx, e.url("/digest-auth/auth/user/passwd/"+alg))
		if err != nil {
			return err
		}
		e.say(`s.Auth = auth.Digest("user", "passwd"); GET /digest-auth/auth/user/passwd/%s → %s`, alg, r.Status)
		if err := status(r, http.StatusOK); err != nil {
			return err
		}
	}

	r, err := s.Get(ctx, e.url("/bearer"), client.WithAuth(auth.Bearer("t0ken")))
	if err != nil {
		return err
	}
	var bearer struct {
		Authenticated bool
		Token         string
	}
	if err := failed(status(r, http.StatusOK), r.JSON(&bearer)); err != nil {
		return err
	}
	e.say(`client.WithAuth(auth.Bearer("t0ken")); GET /bearer → %s, token %s`, r.Status, bearer.Token)
	if err := equal("token", bearer.Token, "t0ken"); err != nil {
		return err
	}

	// netrc: credentials for a host, read from NETRC (else ~/.netrc) when a
	// request has no other auth.
	u, err := url.Parse(e.httpbin.URL)
	if err != nil {
		return err
	}
	netrc := filepath.Join(e.dir, "netrc")
	if err := os.WriteFile(netrc, []byte(fmt.Sprintf("machine %s\n  login user\n  password passwd\n", u.Hostname())), 0o600); err != nil {
		return err
	}
	restore := setenvs(map[string]string{"NETRC": netrc})
	defer restore()
	withNetrc := client.NewSession() // reads the netrc file on first use
	defer withNetrc.CloseIdleConnections()
	if r, err = withNetrc.Get(ctx, e.url("/basic-auth/user/passwd")); err != nil {
		return err
	}
	e.say("NETRC=%s (machine <httpbin host> login user password …); GET /basic-auth/user/passwd → %s", netrc, r.Status)
	return status(r, http.StatusOK)
}
