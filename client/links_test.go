package client_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/client"
)

// pager serves pages 1..last of a GitHub-style paginated list; loopTo, when
// not 0, makes the last page's next link point back to that page.
func pager(t *testing.T, last, loopTo int) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		next := page + 1
		if page == last {
			next = loopTo
		}
		if next != 0 {
			w.Header().Add("Link", fmt.Sprintf(`</items?page=%d>; rel="next", </items?page=%d>; rel="last"`, next, last))
		}
		w.Header().Add("Link", `<https://docs.example/items>; rel="help"`)
		fmt.Fprintf(w, "page %d", page)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestLinks(t *testing.T) {
	srv := pager(t, 3, 0)
	s := newSession(t)
	r := mustDo(t, s, "GET", srv.URL+"/items?page=1")
	links := r.Links()
	got := map[string]string{}
	for rel, l := range links {
		got[rel] = l.URL
	}
	want := map[string]string{
		"next": srv.URL + "/items?page=2", // resolved against the response's URL
		"last": srv.URL + "/items?page=3",
		"help": "https://docs.example/items",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("links mismatch (-want +got):\n%s", diff)
	}
	if n := len(mustDo(t, s, "GET", srv.URL+"/items?page=3").Links()); n != 1 {
		t.Errorf("the last page has %d relations, want only help", n)
	}
}

func TestPages(t *testing.T) {
	srv := pager(t, 4, 0)
	s := newSession(t)
	var texts []string
	for r, err := range s.Pages(context.Background(), srv.URL+"/items?page=1") {
		if err != nil {
			t.Fatal(err)
		}
		text, _ := r.Text()
		texts = append(texts, text)
	}
	if diff := cmp.Diff([]string{"page 1", "page 2", "page 3", "page 4"}, texts); diff != "" {
		t.Errorf("pages mismatch (-want +got):\n%s", diff)
	}
}

func TestPagesStops(t *testing.T) {
	s := newSession(t)
	loop := pager(t, 3, 2)
	var n int
	var last error
	for _, err := range s.Pages(context.Background(), loop.URL+"/items?page=1") {
		if err != nil {
			last = err
			break
		}
		n++
	}
	if n != 3 || !errors.Is(last, client.ErrPageLoop) {
		t.Errorf("a loop: %d pages then %v; want 3 then ErrPageLoop", n, last)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n = 0
	for _, err := range s.Pages(ctx, pager(t, 10, 0).URL+"/items?page=1") {
		if err != nil {
			last = err
			break
		}
		n++
		if n == 2 {
			cancel()
		}
	}
	if n != 2 || !errors.Is(last, context.Canceled) {
		t.Errorf("cancelled after 2 pages: got %d then %v", n, last)
	}

	n = 0
	for range s.Pages(context.Background(), pager(t, 10, 0).URL+"/items?page=1") {
		n++
		break
	}
	if n != 1 {
		t.Errorf("break: %d pages", n)
	}
}
