package client_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/relayhttp/relay/client"
)

// Encoding says, as soon as the call returns, which encoding Text will use:
// here the page's <meta>, since its Content-Type names no charset.
func ExampleResponse_Encoding() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<meta charset=\"windows-1251\"><p>\xcf\xf0\xe8\xe2\xe5\xf2</p>"))
	}))
	defer srv.Close()
	s := client.NewSession()
	defer s.CloseIdleConnections()

	r, err := s.Get(context.Background(), srv.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Encoding)
	text, _ := r.Text()
	fmt.Println(text)

	// A value you set wins, as in Requests.
	r.Encoding = "koi8-r"
	text, _ = r.Text()
	fmt.Println(text)
	// Output:
	// windows-1251
	// <meta charset="windows-1251"><p>Привет</p>
	// <meta charset="windows-1251"><p>оПХБЕР</p>
}

// A streamed response has only its headers when the call returns, and a
// byte order mark in the body would win over them: Encoding is "" until
// Decode (or Text, Bytes, JSON) looks at the body's first bytes.
func ExampleResponse_Decode() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=x-no-such-charset")
		w.Write([]byte("caf\xc3\xa9\nna\xefve\n"))
	}))
	defer srv.Close()
	s := client.NewSession()
	defer s.CloseIdleConnections()

	r, err := s.Get(context.Background(), srv.URL, client.Stream())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%q\n", r.Encoding)
	r.Decode()
	fmt.Printf("%q\n", r.Encoding) // an unknown label: UTF-8, as in Requests
	for line, err := range r.Lines() {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%+q\n", line)
	}
	// Output:
	// ""
	// "utf-8"
	// "caf\u00e9"
	// "na\ufffdve"
}
