package middleware_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"time"

	"github.com/relayhttp/relay/middleware"
)

func ExampleRetry() {
	// A server that is busy for the first two requests.
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 2 {
			w.Header().Set("Retry-After", "0") // "try again now"
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "done")
	}))
	defer srv.Close()

	// Retry inside, with the timeouts per attempt below it.
	c := middleware.Wrap(nil,
		middleware.Retry(middleware.RetryOptions{MaxAttempts: 4}),
		middleware.Timeout(middleware.Timeouts{ResponseHeader: 10 * time.Second}),
	)
	defer c.CloseIdleConnections()

	resp, err := c.Get(srv.URL)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(b), "on attempt", middleware.Attempt(resp.Request.Context()))
	// Output: 200 done on attempt 3
}

func ExampleWithRetry() {
	// A server that is always busy.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()

	// The stack retries only when a request asks for it.
	c := middleware.Wrap(nil, middleware.RetryFrom(func() *middleware.RetryOptions { return nil }))
	defer c.CloseIdleConnections()

	ctx := middleware.WithRetry(context.Background(), middleware.RetryOptions{MaxAttempts: 2})
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	resp, err := c.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	// When retries run out on a status, the last response is returned.
	fmt.Println(resp.StatusCode, "after", middleware.Attempt(resp.Request.Context()), "attempts")
	// Output: 429 after 2 attempts
}

func ExampleTimeout() {
	// A server that sends its headers, then nothing for a long while.
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "partial")
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	defer srv.Close()
	defer close(stop)

	c := middleware.Wrap(nil, middleware.Timeout(middleware.Timeouts{
		ResponseHeader: 5 * time.Second,
		IdleBody:       50 * time.Millisecond,
	}))
	defer c.CloseIdleConnections()

	resp, err := c.Get(srv.URL)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	fmt.Printf("read %q\n", b)
	fmt.Println(err)
	var te *middleware.TimeoutError
	fmt.Println(errors.As(err, &te) && te.Kind == middleware.TimeoutIdleBody, errors.Is(err, context.DeadlineExceeded))
	// Output:
	// read "partial"
	// middleware: idle body timeout after 50ms
	// true true
}
