package middleware_test

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/relayhttp/relay/middleware"
)

func ExampleRedirectOptions_checkRedirect() {
	// A server whose /start redirects to /login, which redirects onwards.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/start":
			w.Header().Set("Location", "/login")
			w.WriteHeader(http.StatusFound)
			fmt.Fprint(w, "please log in")
		case "/login":
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		}
	}))
	defer srv.Close()

	errLogin := errors.New("the session expired")
	c := middleware.Wrap(nil, middleware.Redirects(middleware.RedirectOptions{
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			fmt.Printf("%s after %d request(s)\n", req.URL.Path, len(via))
			if req.URL.Path == "/login" {
				return errLogin
			}
			return nil
		},
	}))
	defer c.CloseIdleConnections()
	// The middleware follows redirects; the Client must not follow them again.
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	resp, err := c.Get(srv.URL + "/start")
	var re *middleware.RedirectError
	if !errors.Is(err, errLogin) || !errors.As(err, &re) {
		log.Fatal(err, resp)
	}
	fmt.Println("stopped:", re.Response.Status, "to", re.Response.Header.Get("Location"))

	// http.ErrUseLastResponse returns the 3xx itself, its body open.
	c = middleware.Wrap(nil, middleware.Redirects(middleware.RedirectOptions{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}))
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err = c.Get(srv.URL + "/start")
	if err != nil {
		log.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Printf("%s: %q", resp.Status, body)
	// Output:
	// /login after 1 request(s)
	// stopped: 302 Found to /login
	// 302 Found: "please log in"
}
