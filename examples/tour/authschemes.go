package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/middleware"
	"github.com/relayhttp/relay/transport"
)

// authSchemes: Digest (answered once, then sent up front), Bearer, and a
// netrc file, against go-httpbin.
func authSchemes(ctx context.Context, e *env) error {
	// What goes on the wire under /digest-auth, seen by a mount: the auth
	// middleware runs above it, so it sees the 401 and the answer.
	base, err := transport.New(transport.IgnoreEnvironment())
	if err != nil {
		return err
	}
	wire := &authRecorder{next: base}
	newSession := func() (*client.Session, error) {
		s := client.NewSession()
		s.Auth = auth.Digest("user", "passwd")
		return s, s.Mount(e.url("/digest-auth"), wire)
	}
	s, err := newSession()
	defer s.CloseIdleConnections()
	if err != nil {
		return err
	}
	e.say(`s.Auth = auth.Digest("user", "passwd")`)
	for _, c := range []struct {
		alg       string
		fresh     bool // a new session, which has learnt no challenge yet
		roundTrip int
	}{
		{"MD5", false, 2},    // a 401 with the challenge, then the answer
		{"MD5", false, 1},    // the same protection space: authorized up front
		{"SHA-256", true, 2}, // go-httpbin accepts any algorithm it knows, so a new session shows SHA-256
	} {
		if c.fresh {
			if s, err = newSession(); err != nil {
				return err
			}
			defer s.CloseIdleConnections()
			e.say("a new session with the same Auth:")
		}
		from := wire.mark()
		r, err := s.Get(ctx, e.url("/digest-auth/auth/user/passwd/"+c.alg))
		if err != nil {
			return err
		}
		sent := wire.since(from)
		last := "nothing"
		if len(sent) > 0 {
			last = sent[len(sent)-1]
		}
		e.say("GET /digest-auth/auth/user/passwd/%s → %s; on the wire: %s", c.alg, r.Status, strings.Join(sent, ", "))
		if err := failed(
			status(r, http.StatusOK),
			equal("round trips", len(sent), c.roundTrip),
			equal("the last Authorization", last, "Digest algorithm="+c.alg),
		); err != nil {
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

	// BearerFunc asks for the token on every request: where an OAuth 2.0
	// token source (cached, refreshed) plugs in.
	var issued atomic.Int32
	tokens := auth.BearerFunc(func(context.Context) (string, error) {
		return fmt.Sprintf("token-%d", issued.Add(1)), nil
	})
	var got []string
	for range 2 {
		if r, err = s.Get(ctx, e.url("/bearer"), client.WithAuth(tokens)); err != nil {
			return err
		}
		if err := failed(status(r, http.StatusOK), r.JSON(&bearer)); err != nil {
			return err
		}
		got = append(got, bearer.Token)
	}
	e.say("client.WithAuth(auth.BearerFunc(next token)); GET /bearer twice → tokens %s", strings.Join(got, ", "))
	if err := equal("tokens", strings.Join(got, ", "), "token-1, token-2"); err != nil {
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

// authRecorder passes requests on and records, for each, the scheme and
// algorithm of the Authorization it carried ("none" without one).
type authRecorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen []string
}

func (a *authRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	what := "none"
	if h := req.Header.Get("Authorization"); h != "" {
		scheme, params, _ := strings.Cut(h, " ")
		what = scheme
		for p := range strings.SplitSeq(params, ",") {
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(k, "algorithm") {
				what += " algorithm=" + strings.Trim(v, `"`)
			}
		}
	}
	a.mu.Lock()
	a.seen = append(a.seen, what)
	a.mu.Unlock()
	return a.next.RoundTrip(req)
}

func (a *authRecorder) mark() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.seen)
}

func (a *authRecorder) since(from int) []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.seen[from:]...)
}

func (a *authRecorder) CloseIdleConnections() { middleware.CloseIdleConnections(a.next) }
