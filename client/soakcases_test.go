package client_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/httpbintest"
	"github.com/relayhttp/relay/middleware"
)

// cases is the mix: one of each kind of request the issue lists, each with
// the check of its outcome.
func (env *soakEnv) cases() []soakCase {
	a, b, aux := env.binA.URL, env.binB.URL, env.aux.URL
	basic := auth.Basic("user", "passwd")
	return []soakCase{
		{"small GET", func(ctx context.Context, s *client.Session, w, i int) error {
			want := "soak " + strconv.Itoa(i)
			return wantText(s.Get(ctx, a+"/base64/"+base64.URLEncoding.EncodeToString([]byte(want))))(want)
		}},
		{"GET with header and param", func(ctx context.Context, s *client.Session, w, i int) error {
			return wantEcho(s.Get(ctx, a+"/get", client.Header("X-Soak", strconv.Itoa(w)), client.Param("i", strconv.Itoa(i))))(func(e httpbintest.Echo) bool {
				return e.Headers.Get("X-Soak") == strconv.Itoa(w) && e.Args.Get("i") == strconv.Itoa(i) && e.Headers.Get("User-Agent") == "relay/"+client.Version
			})
		}},
		{"POST JSON", func(ctx context.Context, s *client.Session, w, i int) error {
			return wantEcho(s.Post(ctx, a+"/post", client.JSON(map[string]int{"i": i})))(func(e httpbintest.Echo) bool {
				var got map[string]int
				return json.Unmarshal(e.JSON, &got) == nil && got["i"] == i && len(got) == 1
			})
		}},
		{"POST form", func(ctx context.Context, s *client.Session, w, i int) error {
			return wantEcho(s.Post(ctx, a+"/post", client.Form(url.Values{"i": {strconv.Itoa(i)}})))(func(e httpbintest.Echo) bool {
				return e.Form.Get("i") == strconv.Itoa(i) && e.Method == "POST"
			})
		}},
		{"HEAD", func(ctx context.Context, s *client.Session, w, i int) error {
			r, err := s.Head(ctx, a+"/get")
			if err != nil {
				return err
			}
			if body, _ := r.Bytes(); r.StatusCode != 200 || len(body) != 0 || r.Header.Get("Content-Type") != "application/json; charset=utf-8" {
				return fmt.Errorf("%s, %d body bytes, Content-Type %q", r.Status, len(body), r.Header.Get("Content-Type"))
			}
			return nil
		}},
		{"gzip, deflate, brotli and zstd", func(ctx context.Context, s *client.Session, w, i int) error {
			return wantText(s.Get(ctx, aux+"/encoded/"+soakCodings[i%len(soakCodings)]))(env.text)
		}},
		{"redirects", func(ctx context.Context, s *client.Session, w, i int) error {
			r, err := s.Get(ctx, a+"/redirect/2")
			if err == nil && (len(r.History) != 2 || r.Request.URL.Path != "/get") {
				return fmt.Errorf("%d hops, ended at %s", len(r.History), r.Request.URL)
			}
			return wantEcho(r, err)(func(e httpbintest.Echo) bool { return e.Method == "GET" })
		}},
		{"cross-origin redirect with Basic auth", func(ctx context.Context, s *client.Session, w, i int) error {
			r, err := s.Get(ctx, a+"/redirect-to?url="+url.QueryEscape(b+"/headers"), client.WithAuth(basic))
			if err == nil && (len(r.History) != 1 || r.Request.URL.Host != env.binB.Listener.Addr().String()) {
				return fmt.Errorf("%d hops, ended at %s", len(r.History), r.Request.URL)
			}
			return wantEcho(r, err)(func(e httpbintest.Echo) bool { return e.Headers.Get("Authorization") == "" })
		}},
		{"cookie set and sent back", func(ctx context.Context, s *client.Session, w, i int) error {
			// Each worker has a cookie of its own. Path keeps it from the
			// other requests: the cache partitions its entries by Cookie.
			name := "w" + strconv.Itoa(w)
			set := url.Values{name: {strconv.Itoa(i)}, "attr[Path]": {"/cookies"}}
			return wantEcho(s.Get(ctx, a+"/cookies/set?"+set.Encode()))(func(e httpbintest.Echo) bool {
				return e.Cookies[name] == strconv.Itoa(i)
			})
		}},
		{"per-request cookie", func(ctx context.Context, s *client.Session, w, i int) error {
			return wantEcho(s.Get(ctx, b+"/cookies", client.Cookie(&http.Cookie{Name: "once", Value: strconv.Itoa(i)})))(func(e httpbintest.Echo) bool {
				return e.Cookies["once"] == strconv.Itoa(i)
			})
		}},
		{"Basic auth", func(ctx context.Context, s *client.Session, w, i int) error {
			return wantText(s.Get(ctx, a+"/basic-auth/user/passwd", client.WithAuth(basic)))(`"authorized": true`, `"user": "user"`)
		}},
		{"stream read fully", func(ctx context.Context, s *client.Session, w, i int) error {
			r, err := s.Get(ctx, a+"/stream/3", client.Stream())
			if err != nil {
				return err
			}
			defer r.Body.Close()
			ids := ""
			for line, err := range r.Lines() {
				if err != nil {
					return err
				}
				var l struct{ ID int }
				if err := json.Unmarshal(line, &l); err != nil {
					return err
				}
				ids += strconv.Itoa(l.ID)
			}
			if ids != "012" {
				return fmt.Errorf("line ids %q, want 012", ids)
			}
			return nil
		}},
		{"stream closed unread", func(ctx context.Context, s *client.Session, w, i int) error {
			r, err := s.Get(ctx, aux+"/hold", client.Stream())
			if err != nil {
				return err
			}
			if err := r.Body.Close(); err != nil || r.StatusCode != 200 {
				return fmt.Errorf("%s, Close: %v", r.Status, err)
			}
			return nil
		}},
		{"404", func(ctx context.Context, s *client.Session, w, i int) error {
			return wantStatusError(s.Get(ctx, a+"/status/404"))(404)
		}},
		{"500", func(ctx context.Context, s *client.Session, w, i int) error {
			return wantStatusError(s.Get(ctx, a+"/status/500"))(500)
		}},
		{"body over MaxBodySize", func(ctx context.Context, s *client.Session, w, i int) error {
			return wantErr(s.Get(ctx, a+"/bytes/4096", client.MaxBodySize(1024)))(client.ErrBodyTooLarge)
		}},
		{"per-request Timeout", func(ctx context.Context, s *client.Session, w, i int) error {
			return wantErr(s.Get(ctx, aux+"/slow", client.Timeout(10*time.Millisecond)))(context.DeadlineExceeded)
		}},
		{"connection refused, retried", func(ctx context.Context, s *client.Session, w, i int) error {
			_, err := s.Get(ctx, env.refused)
			var re *middleware.RetryError
			if !errors.As(err, &re) || re.Attempts != 3 {
				return fmt.Errorf("err = %v, want a RetryError after 3 attempts", err)
			}
			if runtime.GOOS != "windows" && !errors.Is(err, syscall.ECONNREFUSED) {
				return fmt.Errorf("err = %v, want ECONNREFUSED", err)
			}
			return nil
		}},
		{"context cancelled mid-body", func(ctx context.Context, s *client.Session, w, i int) error {
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			r, err := s.Get(ctx, aux+"/hold", client.Stream())
			if err != nil {
				return err
			}
			defer r.Body.Close()
			first := make([]byte, len("first\n"))
			if _, err := io.ReadFull(r.Body, first); err != nil || string(first) != "first\n" {
				return fmt.Errorf("first line %q: %v", first, err)
			}
			cancel()
			if _, err := io.ReadAll(r.Body); !errors.Is(err, context.Canceled) {
				return fmt.Errorf("reading on after cancel: %v, want context.Canceled", err)
			}
			return nil
		}},
		{"retried 503", func(ctx context.Context, s *client.Session, w, i int) error {
			id := strconv.Itoa(i)
			return wantText(s.Get(ctx, aux+"/flaky?id="+id))("attempt 2 of " + id)
		}},
		{"cache hit", func(ctx context.Context, s *client.Session, w, i int) error {
			r, err := s.Get(ctx, a+"/cache/3600")
			if err == nil && cache.StatusOf(r.Response) != cache.Hit {
				return fmt.Errorf("cache status %v, want a hit", cache.StatusOf(r.Response))
			}
			return wantEcho(r, err)(func(e httpbintest.Echo) bool { return strings.HasSuffix(e.URL, "/cache/3600") })
		}},
	}
}

// wantText checks for a 200 whose body contains each of parts.
func wantText(r *client.Response, err error) func(parts ...string) error {
	return func(parts ...string) error {
		if err != nil {
			return err
		}
		text, err := r.Text()
		if err != nil {
			return err
		}
		if r.StatusCode != 200 {
			return fmt.Errorf("%s: %.200q", r.Status, text)
		}
		for _, p := range parts {
			if !strings.Contains(text, p) {
				return fmt.Errorf("body %.300q lacks %q", text, p)
			}
		}
		return nil
	}
}

// wantEcho checks for a 200 whose httpbin echo satisfies ok.
func wantEcho(r *client.Response, err error) func(ok func(httpbintest.Echo) bool) error {
	return func(ok func(httpbintest.Echo) bool) error {
		if err != nil {
			return err
		}
		var e httpbintest.Echo
		if err := r.JSON(&e); err != nil || r.StatusCode != 200 || !ok(e) {
			body, _ := r.Text()
			return fmt.Errorf("%s, unexpected echo %.300q (%v)", r.Status, body, err)
		}
		return nil
	}
}

// wantStatusError checks for a response whose Err is a StatusError of code.
func wantStatusError(r *client.Response, err error) func(code int) error {
	return func(code int) error {
		if err != nil {
			return err
		}
		var se *client.StatusError
		if !errors.As(r.Err(), &se) || se.StatusCode != code {
			return fmt.Errorf("%s: Err() = %v, want a StatusError %d", r.Status, r.Err(), code)
		}
		return nil
	}
}

// wantErr checks for a call that failed with target and no response.
func wantErr(r *client.Response, err error) func(target error) error {
	return func(target error) error {
		if !errors.Is(err, target) || r != nil {
			return fmt.Errorf("err = %v, response %v; want %v", err, r != nil, target)
		}
		return nil
	}
}
