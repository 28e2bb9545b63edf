package hooks_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/relayhttp/relay/hooks"
	"github.com/relayhttp/relay/middleware"
)

// Requests' guide registers a response hook that prints the URL of each
// response:
//
//	def print_url(r, *args, **kwargs):
//	    print(r.url)
//
//	requests.get('https://httpbin.org/', hooks={'response': print_url})
//
// In relay the hook is typed, and returning nil keeps the response.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello")
	}))
	defer srv.Close()

	printURL := func(r *http.Response) (*http.Response, error) {
		fmt.Println(r.Request.URL.Path) // the path: the port is random
		return nil, nil
	}

	c := middleware.Wrap(srv.Client(), hooks.Middleware(nil))
	ctx := hooks.WithResponseHook(context.Background(), printURL)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/get", nil)
	if err != nil {
		log.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	fmt.Println(resp.Status)
	// Output:
	// /get
	// 200 OK
}

// A session-wide registry: request hooks may edit the request they get (a
// clone; the caller's request is left alone), response hooks may replace the
// response.
func ExampleRegistry() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("server got X-Request-Id:", r.Header.Get("X-Request-Id"))
		w.WriteHeader(http.StatusTeapot)
	}))
	defer srv.Close()

	var reg hooks.Registry
	reg.OnRequest(func(r *http.Request) error {
		r.Header.Set("X-Request-Id", "42")
		return nil
	})
	reg.OnResponse(func(r *http.Response) (*http.Response, error) {
		if r.StatusCode != http.StatusTeapot {
			return nil, nil // keep it
		}
		return &http.Response{StatusCode: http.StatusOK, Status: "200 OK (was a teapot)", Header: http.Header{}}, nil
	})

	c := middleware.Wrap(srv.Client(), hooks.Middleware(&reg))
	resp, err := c.Get(srv.URL)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close() // http.NoBody: the replacement had none
	fmt.Println(resp.Status)
	// Output:
	// server got X-Request-Id: 42
	// 200 OK (was a teapot)
}
