package middleware_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/middleware"
)

// hit is what the redirect target saw.
type hit struct {
	Method, Body, ContentType, Auth, Custom string
	ContentLength                           int64
}

// redirectServer serves /from (redirecting with the status in ?code=) and
// /to, recording what /to receives.
func redirectServer(t *testing.T) (*httptest.Server, func() []hit) {
	var mu sync.Mutex
	var hits []hit
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.URL.Path == "/from" {
			var code int
			fmt.Sscan(r.URL.Query().Get("code"), &code)
			w.Header().Set("Location", "/to")
			w.WriteHeader(code)
			w.Write([]byte("moved"))
			return
		}
		mu.Lock()
		hits = append(hits, hit{r.Method, string(b), r.Header.Get("Content-Type"), r.Header.Get("Authorization"), r.Header.Get("X-Custom"), r.ContentLength})
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	return srv, func() []hit {
		mu.Lock()
		defer mu.Unlock()
		return append([]hit(nil), hits...)
	}
}

func redirectingClient(t *testing.T, o middleware.RedirectOptions) *http.Client {
	base := &http.Transport{}
	t.Cleanup(base.CloseIdleConnections)
	return &http.Client{
		Transport:     middleware.Chain(base, middleware.Redirects(o)),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// TestRedirectMatrix checks method, body and headers as received after
// every {method} × {status}.
func TestRedirectMatrix(t *testing.T) {
	srv, hits := redirectServer(t)
	c := redirectingClient(t, middleware.RedirectOptions{})
	methods := []string{"GET", "HEAD", "POST", "PUT", "DELETE"}
	codes := []int{301, 302, 303, 307, 308}
	var want []hit
	for _, m := range methods {
		for _, code := range codes {
			var body io.Reader
			if m != "GET" && m != "HEAD" {
				body = strings.NewReader("payload")
			}
			req, _ := http.NewRequest(m, fmt.Sprintf("%s/from?code=%d", srv.URL, code), body)
			if body != nil {
				req.Header.Set("Content-Type", "text/plain")
			}
			req.Header.Set("X-Custom", "kept")
			resp, err := c.Do(req)
			if err != nil {
				t.Fatalf("%s %d: %v", m, code, err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || resp.Request.URL.Path != "/to" {
				t.Errorf("%s %d: ended at %d %s", m, code, resp.StatusCode, resp.Request.URL.Path)
			}
			w := hit{Method: m, Custom: "kept"}
			switch {
			case code == 307 || code == 308:
				if body != nil {
					w.Body, w.ContentType, w.ContentLength = "payload", "text/plain", 7
				}
			case m != "HEAD":
				w.Method = "GET" // 301, 302, 303: GET without body or body headers
			}
			want = append(want, w)
		}
	}
	if diff := cmp.Diff(want, hits()); diff != "" {
		t.Errorf("what the target received (-want +got):\n%s", diff)
	}
}

func TestRedirectUnrewindableBody(t *testing.T) {
	srv, hits := redirectServer(t)
	c := redirectingClient(t, middleware.RedirectOptions{})
	req, _ := http.NewRequest("POST", srv.URL+"/from?code=307", io.NopCloser(strings.NewReader("once")))
	_, err := c.Do(req)
	if !errors.Is(err, middleware.ErrUnrewindableBody) {
		t.Errorf("err = %v, want ErrUnrewindableBody", err)
	}
	if n := len(hits()); n != 0 {
		t.Errorf("the target was called %d times; nothing may be resent", n)
	}
}

func TestRedirectLimitAndHistory(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(strings.TrimPrefix(r.URL.Path, "/"), &n)
		if n == 0 {
			w.Write([]byte("done"))
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/%d", n-1), http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	c := redirectingClient(t, middleware.RedirectOptions{Max: 3})
	resp, err := c.Get(srv.URL + "/3")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var paths []string
	for _, h := range middleware.Hops(resp) {
		paths = append(paths, h.Request.URL.Path)
	}
	if diff := cmp.Diff([]string{"/3", "/2", "/1"}, paths); diff != "" {
		t.Errorf("hops (-want +got):\n%s", diff)
	}
	_, err = c.Get(srv.URL + "/4")
	var re *middleware.RedirectError
	if !errors.Is(err, middleware.ErrTooManyRedirects) || !errors.As(err, &re) {
		t.Fatalf("err = %v, want a *RedirectError matching ErrTooManyRedirects", err)
	}
	// Four requests: the three redirects followed, and the one that was not.
	if diff := cmp.Diff([]string{"/4", "/3", "/2"}, hopPaths(re.History)); diff != "" {
		t.Errorf("History (-want +got):\n%s", diff)
	}
	if re.Response == nil || re.Response.Request.URL.Path != "/1" || re.Response.Header.Get("Location") != "/0" {
		t.Errorf("Response = %v, want the 302 of /1 to /0", re.Response)
	}
}

func TestBadLocationsFailBeforeDialing(t *testing.T) {
	var followed sync.Map
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ftp":
			w.Header().Set("Location", "ftp://example.test/file")
		case "/js":
			w.Header().Set("Location", "javascript:alert(1)")
		case "/bad":
			w.Header().Set("Location", "http://[::1")
		case "/two":
			w.Header().Add("Location", "/a")
			w.Header().Add("Location", "/b")
		case "/same-twice":
			w.Header().Add("Location", "/ok")
			w.Header().Add("Location", "/ok")
		case "/tab":
			w.Header().Set("Location", "/a\tb") // a control byte is not encoded but refused
		case "/none":
		default:
			followed.Store(r.URL.Path, true)
			return
		}
		w.WriteHeader(http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	c := redirectingClient(t, middleware.RedirectOptions{})
	for _, path := range []string{"/ftp", "/js", "/bad", "/two", "/tab"} {
		_, err := c.Get(srv.URL + path)
		var re *middleware.RedirectError
		if !errors.As(err, &re) {
			t.Errorf("%s: err = %v, want a *RedirectError", path, err)
			continue
		}
		if len(re.History) != 0 || re.Response == nil || re.Response.Request.URL.Path != path {
			t.Errorf("%s: History %q, Response %v; want none followed and the 302 of %s", path, hopPaths(re.History), re.Response, path)
		}
	}
	resp, err := c.Get(srv.URL + "/same-twice")
	if err != nil || resp.Request.URL.Path != "/ok" {
		t.Errorf("/same-twice: %v", err)
	} else {
		resp.Body.Close()
	}
	resp, err = c.Get(srv.URL + "/none")
	if err != nil || resp.StatusCode != 302 {
		t.Errorf("a 302 without Location must be returned as is: %v", err)
	} else {
		resp.Body.Close()
	}
	followed.Range(func(k, _ any) bool {
		if k != "/ok" {
			t.Errorf("%v was requested", k)
		}
		return true
	})
}

func TestRedirectFragmentKeptNotSent(t *testing.T) {
	var mu sync.Mutex
	var uris []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		uris = append(uris, r.RequestURI)
		mu.Unlock()
		switch r.URL.Path {
		case "/a":
			http.Redirect(w, r, "/b", http.StatusFound)
		case "/b":
			w.Header().Set("Location", "/café") // raw UTF-8, as some servers send it
			w.WriteHeader(http.StatusFound)
		}
	}))
	t.Cleanup(srv.Close)
	c := redirectingClient(t, middleware.RedirectOptions{})
	resp, err := c.Get(srv.URL + "/a#section")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Request.URL.Fragment != "section" {
		t.Errorf("final URL %s lost the fragment", resp.Request.URL)
	}
	if diff := cmp.Diff([]string{"/a", "/b", "/caf%C3%A9"}, uris); diff != "" {
		t.Errorf("request URIs (-want +got):\n%s", diff)
	}
}
