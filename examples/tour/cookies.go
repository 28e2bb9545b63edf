package main

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/cookiejar"
)

// cookiesSeen asks go-httpbin which cookies a request carried.
func cookiesSeen(ctx context.Context, s *client.Session, e *env, opts ...client.Option) (map[string]string, error) {
	r, err := s.Get(ctx, e.url("/cookies"), opts...)
	if err != nil {
		return nil, err
	}
	var got struct{ Cookies map[string]string }
	if err := failed(status(r, http.StatusOK), r.JSON(&got)); err != nil {
		return nil, err
	}
	return got.Cookies, nil
}

// cookies: a session keeps the cookies servers set (Requests' session
// example), per-request cookies are sent but not kept, and the jar can be
// listed, saved and loaded in JSON or curl's cookies.txt format.
func cookies(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()
	r, err := s.Get(ctx, e.url("/cookies/set?sessioncookie=123456789"))
	if err != nil {
		return err
	}
	e.say("GET /cookies/set?sessioncookie=123456789 → %s after %d redirect (the cookie came with the 302)", r.Status, len(r.History))
	seen, err := cookiesSeen(ctx, s, e)
	if err != nil {
		return err
	}
	e.say("GET /cookies → httpbin saw %v", seen)
	if err := equal("sessioncookie", seen["sessioncookie"], "123456789"); err != nil {
		return err
	}

	once := &http.Cookie{Name: "once", Value: "1"}
	withOnce, err := cookiesSeen(ctx, s, e, client.Cookie(once))
	if err != nil {
		return err
	}
	after, err := cookiesSeen(ctx, s, e)
	if err != nil {
		return err
	}
	e.say("client.Cookie(once=1) → httpbin saw once=%q; the next request: once=%q (not stored)", withOnce["once"], after["once"])
	if err := failed(equal("once, sent", withOnce["once"], "1"), equal("once, kept", after["once"], "")); err != nil {
		return err
	}

	jar := s.Jar.(*cookiejar.Jar)
	var names []string
	for _, c := range jar.All() {
		names = append(names, c.Name+"="+c.Value+" (host-only "+boolWord(c.HostOnly)+", path "+c.Path+", persistent "+boolWord(c.Persistent)+")")
	}
	e.say("s.Jar.All() → %s", strings.Join(names, "; "))
	for _, format := range []struct {
		name string
		f    cookiejar.Format
		file string
	}{{"JSON", cookiejar.JSON, "cookies.json"}, {"Netscape", cookiejar.Netscape, "cookies.txt"}} {
		path := filepath.Join(e.dir, format.file)
		// httpbin's cookies are session cookies: saving them is asked for.
		if err := jar.Save(path, &cookiejar.SaveOptions{Format: format.f, IncludeSession: true}); err != nil {
			return err
		}
		fresh := client.NewSession()
		defer fresh.CloseIdleConnections()
		if err := fresh.Jar.(*cookiejar.Jar).Load(path); err != nil {
			return err
		}
		seen, err := cookiesSeen(ctx, fresh, e)
		if err != nil {
			return err
		}
		e.say("Save %s to %s (mode 0600, atomic), Load into a new session → httpbin saw %v", format.name, path, seen)
		if err := equal("loaded sessioncookie", seen["sessioncookie"], "123456789"); err != nil {
			return err
		}
	}
	return nil
}

func boolWord(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
