package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
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

	// A cookie that outlives the session: Max-Age makes it persistent.
	if r, err = s.Get(ctx, e.url("/response-headers?Set-Cookie="+url.QueryEscape("keep=me; Max-Age=3600; Path=/"))); err != nil {
		return err
	}
	e.say("GET /response-headers?Set-Cookie=keep=me; Max-Age=3600; Path=/ → %s", r.Status)

	jar, ok := s.Jar.(*cookiejar.Jar) // NewSession's jar; s.Jar may be any http.CookieJar
	if !ok {
		return fmt.Errorf("s.Jar is a %T, not a *cookiejar.Jar", s.Jar)
	}
	var names []string
	for _, c := range jar.All() {
		names = append(names, c.Name+"="+c.Value+" (host-only "+boolWord(c.HostOnly)+", path "+c.Path+", persistent "+boolWord(c.Persistent)+")")
	}
	e.say("s.Jar.All() → %s", strings.Join(names, "; "))
	if err := equal("cookies in the jar", len(names), 2); err != nil {
		return err
	}

	// By default Save keeps what a browser would keep after a restart: the
	// persistent cookies.
	loaded := func(path string) (map[string]string, error) {
		fresh := client.NewSession()
		defer fresh.CloseIdleConnections()
		if err := fresh.Jar.(*cookiejar.Jar).Load(path); err != nil {
			return nil, err
		}
		return cookiesSeen(ctx, fresh, e)
	}
	path := filepath.Join(e.dir, "persistent.json")
	if err := jar.Save(path, nil); err != nil {
		return err
	}
	if seen, err = loaded(path); err != nil {
		return err
	}
	e.say("jar.Save(%s, nil) → JSON without session cookies; Load into a new session → httpbin saw %v", path, seen)
	if err := equal("cookies loaded", fmt.Sprint(seen), "map[keep:me]"); err != nil {
		return err
	}
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
		info, err := os.Stat(path)
		if err != nil {
			return err
		}
		seen, err := loaded(path)
		if err != nil {
			return err
		}
		e.say("jar.Save(%s, Format: cookiejar.%s, IncludeSession: true) → mode %#o; Load into a new session → httpbin saw %v",
			path, format.name, info.Mode().Perm(), seen)
		if err := failed(
			equal("file mode", info.Mode().Perm(), os.FileMode(0o600)),
			equal("cookies loaded", fmt.Sprint(seen), "map[keep:me sessioncookie:123456789]"),
		); err != nil {
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
