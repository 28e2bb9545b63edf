package client_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/explain"
	"github.com/relayhttp/relay/internal/proxytest"
)

// want fails the test unless trail holds a decision of kind k about
// subject whose action is a and whose source and reason contain the given
// parts; it returns that decision.
func want(t *testing.T, trail *explain.Trail, k explain.Kind, subject string, a explain.Action, parts ...string) explain.Decision {
	t.Helper()
next:
	for _, d := range trail.Find(k, subject) {
		if d.Action != a {
			continue
		}
		for _, p := range parts {
			if !strings.Contains(d.Source+" | "+d.Reason, p) {
				continue next
			}
		}
		return d
	}
	t.Fatalf("no %s %q %s %q in the trail:\n%s", k, subject, a, parts, trail)
	return explain.Decision{}
}

func TestExplainOffByDefault(t *testing.T) {
	srv := httpbin(t)
	r := mustDo(t, newSession(t), "GET", srv.URL+"/get")
	if tr := r.Explain(); tr != nil || tr.String() != "" || tr.Decisions() != nil {
		t.Errorf("unexplained call: trail %v", tr)
	}
}

func TestExplainHeadersAndParams(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	s.Headers.Set("X-Team", "core")
	s.Params.Set("per_page", "10")
	s.Params.Set("page", "1")
	r := mustDo(t, s, "GET", srv.URL+"/get?page=3", client.Explain(),
		client.Header("Accept", "application/json"), client.Header("X-Trace", "on"),
		client.Without("X-Team"), client.Param("q", "go"))
	tr := r.Explain()
	if d := want(t, tr, explain.KindHeader, "User-Agent", explain.ActionSet, "session default"); d.Value != "relay/"+client.Version {
		t.Errorf("User-Agent value %q", d.Value)
	}
	if d := want(t, tr, explain.KindHeader, "Accept", explain.ActionOverrode, "request", "overrides"); d.Value != "application/json" {
		t.Errorf("Accept value %q", d.Value)
	}
	want(t, tr, explain.KindHeader, "X-Trace", explain.ActionSet, "request option Header")
	want(t, tr, explain.KindHeader, "X-Team", explain.ActionRemoved, "Without")
	want(t, tr, explain.KindParam, "per_page", explain.ActionSet, "session default")
	want(t, tr, explain.KindParam, "page", explain.ActionOverrode, "URL has the key")
	want(t, tr, explain.KindParam, "q", explain.ActionSet, "request option Param")
	if !strings.Contains(tr.String(), "* header User-Agent: relay/"+client.Version+" ← session default\n") {
		t.Errorf("text:\n%s", tr)
	}
	if got := echo(t, r).Headers.Get("X-Team"); got != "" {
		t.Errorf("X-Team sent: %q", got)
	}
}

func TestExplainProxyChoice(t *testing.T) {
	srv := httpbin(t)
	var d net.Dialer
	toOrigin := func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, srv.Listener.Addr().String())
	}
	gp := proxytest.Goproxy(t, proxytest.GoproxyOptions{Dial: toOrigin})
	for _, k := range []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy", "REQUEST_METHOD"} {
		t.Setenv(k, "")
	}
	t.Setenv("HTTP_PROXY", gp.URL.String())
	t.Setenv("NO_PROXY", "skip.example.com")
	s := newSession(t, client.WithTransport(loopbackOnly(t)))

	r := mustDo(t, s, "GET", "http://api.example.com/get", client.Explain())
	if p := want(t, r.Explain(), explain.KindProxy, gp.URL.String(), explain.ActionChose, "environment variable HTTP_PROXY"); p.Hop != 1 {
		t.Errorf("hop %d", p.Hop)
	}
	if len(gp.Targets()) != 1 {
		t.Errorf("the proxy handled %v", gp.Targets())
	}

	ctx, tr := explain.With(context.Background())
	if _, err := s.Get(ctx, "http://skip.example.com/get", client.NoRetry()); err == nil {
		t.Error("the NO_PROXY host went somewhere")
	}
	want(t, tr, explain.KindProxy, "direct", explain.ActionChose, "NO_PROXY", "skip.example.com")

	s.Proxies = map[string]string{"http://api.example.com": gp.URL.String()}
	r = mustDo(t, s, "GET", "http://api.example.com/get", client.Explain())
	want(t, r.Explain(), explain.KindProxy, gp.URL.String(), explain.ActionChose, `Session.Proxies["http://api.example.com"]`)

	plain := newSession(t)
	plain.TrustEnv = false
	r = mustDo(t, plain, "GET", srv.URL+"/get", client.Explain())
	want(t, r.Explain(), explain.KindProxy, "none", explain.ActionChose, "no proxy key or variable")
}

func TestExplainMount(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	if err := s.Mount(srv.URL+"/anything", loopbackOnly(t)); err != nil {
		t.Fatal(err)
	}
	r := mustDo(t, s, "GET", srv.URL+"/anything/x", client.Explain())
	want(t, r.Explain(), explain.KindMount, srv.URL+"/anything", explain.ActionChose, "longest")
	r = mustDo(t, s, "GET", srv.URL+"/get", client.Explain())
	want(t, r.Explain(), explain.KindMount, "http://", explain.ActionChose)
}

// twoOrigins starts httpbin and a second origin that redirects every
// request to it.
func twoOrigins(t *testing.T) (a, b *httptest.Server) {
	b = httpbin(t)
	a = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, b.URL+"/get", http.StatusFound)
	}))
	t.Cleanup(a.Close)
	return a, b
}

func TestExplainAuth(t *testing.T) {
	a, b := twoOrigins(t)
	s := newSession(t)
	s.Auth = auth.Basic("alice", "wonderland")
	r := mustDo(t, s, "GET", a.URL+"/start", client.Explain())
	tr := r.Explain()
	if d := want(t, tr, explain.KindAuth, "Basic", explain.ActionApplied, "session Auth"); d.Hop != 1 {
		t.Errorf("applied on hop %d", d.Hop)
	}
	if d := want(t, tr, explain.KindAuth, "Basic", explain.ActionWithheld, "credentials belong to"); d.Hop != 2 {
		t.Errorf("withheld on hop %d", d.Hop)
	}
	want(t, tr, explain.KindRedirect, b.URL+"/get", explain.ActionFollowed, "302 Found")

	// An explicit header is stripped by the redirect, naming both origins.
	r = mustDo(t, s, "GET", a.URL+"/start", client.Explain(), client.Header("Authorization", "Bearer t0ken-xyz"))
	tr = r.Explain()
	want(t, tr, explain.KindAuth, "Authorization header", explain.ActionSet, "explicit header wins")
	from, to := origin(t, a.URL), origin(t, b.URL)
	d := want(t, tr, explain.KindHeader, "Authorization", explain.ActionStripped, from+" → "+to)
	if d.Hop != 2 || !strings.Contains(tr.String(), "* hop 2: header Authorization stripped (origin "+from+" → "+to+")\n") {
		t.Errorf("hop %d, text:\n%s", d.Hop, tr)
	}

	// A per-request authenticator, and none.
	r = mustDo(t, s, "GET", b.URL+"/get", client.Explain(), client.WithAuth(auth.Bearer("tok")))
	want(t, r.Explain(), explain.KindAuth, "Bearer", explain.ActionApplied, "request option WithAuth")
	r = mustDo(t, s, "GET", b.URL+"/get", client.Explain(), client.WithAuth(nil))
	want(t, r.Explain(), explain.KindAuth, "none", explain.ActionSkipped, "turned off")
}

// origin is the scheme://host:port of a server URL.
func origin(t *testing.T, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Scheme + "://" + u.Host
}

func TestExplainDigestChallenge(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	s.Auth = auth.Digest("user", "passwd")
	r := mustDo(t, s, "GET", srv.URL+"/digest-auth/auth/user/passwd", client.Explain())
	if r.StatusCode != 200 {
		t.Fatalf("status %d", r.StatusCode)
	}
	want(t, r.Explain(), explain.KindAuth, "Digest", explain.ActionAnswered, "401")
}

// A trail made with explain.With collects the decisions of a request sent
// through Session.Client, defaults merged by the stack's own middleware.
func TestExplainThroughClient(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	ctx, tr := explain.With(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/get", nil)
	req.Header.Set("Accept", "text/plain")
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want(t, tr, explain.KindHeader, "Accept", explain.ActionOverrode, "request")
	want(t, tr, explain.KindHeader, "User-Agent", explain.ActionSet, "session default")
	want(t, tr, explain.KindMount, "http://", explain.ActionChose)
}

func TestExplainTLSChoice(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(srv.Close)
	s := newSession(t)
	r := mustDo(t, s, "GET", srv.URL, client.Explain(), client.InsecureSkipVerify())
	if d := want(t, r.Explain(), explain.KindTLS, "verification", explain.ActionChose, "client.InsecureSkipVerify option"); d.Value != "off" {
		t.Errorf("value %q", d.Value)
	}
}

// A prepared request keeps the trail Prepare started, and Send returns it.
func TestExplainPrepared(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	req, err := s.Prepare(context.Background(), "GET", srv.URL+"/get", client.Explain())
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Send(req)
	if err != nil {
		t.Fatal(err)
	}
	tr := r.Explain()
	want(t, tr, explain.KindHeader, "User-Agent", explain.ActionSet, "session default")
	want(t, tr, explain.KindMount, "http://", explain.ActionChose)
	r, err = s.Send(mustRequest(t, srv.URL+"/get"), client.Explain())
	if err != nil {
		t.Fatal(err)
	}
	want(t, r.Explain(), explain.KindHeader, "User-Agent", explain.ActionSet, "session default")
}

func mustRequest(t *testing.T, raw string) *http.Request {
	t.Helper()
	req, err := http.NewRequest("GET", raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
