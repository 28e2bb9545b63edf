package client_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/httpbintest"
)

// A session remembers headers and query parameters; a request can add its
// own, override them, or drop one (Requests' "set it to None").
func ExampleSession() {
	srv := httpbintest.New() // go-httpbin on loopback: the httpbin.org endpoints
	defer srv.Close()
	ctx := context.Background()

	s := client.NewSession()
	defer s.CloseIdleConnections()
	s.Headers.Set("X-Test", "true")
	s.Params.Set("per_page", "10")

	r, err := s.Get(ctx, srv.URL+"/get",
		client.Header("X-Test2", "true"),
		client.Param("page", "2"),
		client.Without("User-Agent"))
	if err != nil {
		fmt.Println(err)
		return
	}
	var e struct {
		Args    map[string][]string
		Headers http.Header
	}
	if err := r.JSON(&e); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Status)
	fmt.Println("args:", e.Args)
	fmt.Println("X-Test:", e.Headers.Get("X-Test"), "X-Test2:", e.Headers.Get("X-Test2"))
	fmt.Printf("User-Agent: %q\n", e.Headers.Get("User-Agent"))
	// Output:
	// 200 OK
	// args: map[page:[2] per_page:[10]]
	// X-Test: true X-Test2: true
	// User-Agent: ""
}

// Prepare merges the session's defaults into a request you may still edit;
// Send sends it as it is.
func ExampleSession_Prepare() {
	srv := httpbintest.New()
	defer srv.Close()
	s := client.NewSession()
	defer s.CloseIdleConnections()
	s.Headers.Set("X-Session", "yes")

	req, err := s.Prepare(context.Background(), "POST", srv.URL+"/post", client.JSON(map[string]string{"hello": "world"}))
	if err != nil {
		fmt.Println(err)
		return
	}
	req.Header.Del("X-Session") // stays deleted
	r, err := s.Send(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	var e struct {
		JSON    map[string]string
		Headers http.Header
	}
	_ = r.JSON(&e)
	fmt.Println(e.JSON["hello"], e.Headers.Get("Content-Type"), e.Headers.Get("X-Session") == "")
	// Output: world application/json true
}

// Stream returns once the headers are in; Lines then reads the body line by
// line as it arrives, and closes it.
func ExampleResponse_Lines() {
	srv := httpbintest.New()
	defer srv.Close()
	s := client.NewSession()
	defer s.CloseIdleConnections()

	r, err := s.Get(context.Background(), srv.URL+"/stream/3", client.Stream())
	if err != nil {
		fmt.Println(err)
		return
	}
	n := 0
	for line, err := range r.Lines() {
		if err != nil {
			fmt.Println(err)
			return
		}
		if strings.HasPrefix(string(line), "{") {
			n++
		}
	}
	fmt.Println(n, "JSON lines")
	// Output: 3 JSON lines
}

// Multipart streams files through a pipe: nothing is buffered whole.
func ExampleMultipart() {
	srv := httpbintest.New()
	defer srv.Close()
	s := client.NewSession()
	defer s.CloseIdleConnections()

	r, err := s.Post(context.Background(), srv.URL+"/post", client.Multipart(
		client.FormField("title", "report"),
		client.FormFile("file", "report.csv", strings.NewReader("a,b\n1,2\n")),
	))
	if err != nil {
		fmt.Println(err)
		return
	}
	var e struct{ Form, Files map[string][]string }
	_ = r.JSON(&e)
	fmt.Println(e.Form["title"], len(e.Files["file"]))
	// Output: [report] 1
}

// Custom auth is a function: here Requests' X-Pizza example. Auth set on the
// session goes only to the origin a request starts on.
func ExampleWithAuth() {
	srv := httpbintest.New()
	defer srv.Close()
	s := client.NewSession()
	defer s.CloseIdleConnections()
	s.Auth = auth.Basic("user", "passwd")

	r, _ := s.Get(context.Background(), srv.URL+"/basic-auth/user/passwd")
	fmt.Println("basic:", r.StatusCode)

	pizza := auth.Func(func(r *http.Request) error { r.Header.Set("X-Pizza", "admin"); return nil })
	r, _ = s.Get(context.Background(), srv.URL+"/headers", client.WithAuth(pizza))
	var e struct{ Headers http.Header }
	_ = r.JSON(&e)
	fmt.Println("X-Pizza:", e.Headers.Get("X-Pizza"))
	// Output:
	// basic: 200
	// X-Pizza: admin
}

// Err turns a 4xx or 5xx status into an error (Requests' raise_for_status).
func ExampleResponse_Err() {
	srv := httpbintest.New()
	defer srv.Close()
	r, err := client.Get(context.Background(), srv.URL+"/status/404")
	if err != nil {
		fmt.Println(err)
		return
	}
	err = r.Err()
	fmt.Println(strings.Replace(err.Error(), srv.URL, "URL", 1))
	// Output: client: GET URL/status/404: 404 Not Found
}

// Redirects are followed with a history, like Requests' r.history.
func ExampleResponse_History() {
	srv := httpbintest.New()
	defer srv.Close()
	s := client.NewSession()
	defer s.CloseIdleConnections()

	r, err := s.Get(context.Background(), srv.URL+"/redirect/3")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, hop := range r.History {
		fmt.Println(hop.StatusCode, hop.Request.URL.Path)
	}
	fmt.Println(r.StatusCode, r.Request.URL.Path)
	// Output:
	// 302 /redirect/3
	// 302 /relative-redirect/2
	// 302 /relative-redirect/1
	// 200 /get
}

// A session keeps the cookies servers set, as Requests' Session does.
func ExampleSession_cookies() {
	srv := httpbintest.New()
	defer srv.Close()
	s := client.NewSession()
	defer s.CloseIdleConnections()
	ctx := context.Background()

	_, _ = s.Get(ctx, srv.URL+"/cookies/set?sessioncookie=123456789")
	r, _ := s.Get(ctx, srv.URL+"/cookies")
	var e struct{ Cookies map[string]string }
	_ = r.JSON(&e)
	fmt.Println(e.Cookies)
	// Output: map[sessioncookie:123456789]
}
