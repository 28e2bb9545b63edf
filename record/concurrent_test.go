package record_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/relayhttp/relay/record"
)

// TestConcurrentRecordAndReplay shares one recorder and one session among
// goroutines (run it under -race): every send is recorded once, the file is
// valid, and a concurrent replay answers each request with its own entry.
func TestConcurrentRecordAndReplay(t *testing.T) {
	const workers, each = 8, 15
	srv := httpbin(t)
	path := cassette(t)
	rec := open(t, path, record.Record, record.Options{})
	s := session(t, rec)
	run := func(check func(i int, body string)) {
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for j := range each {
					i := w*each + j
					_, body := do(t, s, "GET", fmt.Sprintf("%s/get?i=%d", srv.URL, i))
					check(i, body)
				}
			})
		}
		wg.Wait()
	}
	run(func(int, string) {})
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	_, h := readCassette(t, path)
	if len(h.Log.Entries) != workers*each {
		t.Fatalf("%d entries, want %d", len(h.Log.Entries), workers*each)
	}
	seen := map[string]bool{}
	for _, e := range h.Log.Entries {
		seen[e.Request.URL] = true
	}
	if len(seen) != workers*each {
		t.Errorf("%d distinct URLs recorded, want %d", len(seen), workers*each)
	}

	srv.Close()
	replay := open(t, path, record.Replay, record.Options{})
	s = session(t, replay, offline(t))
	run(func(i int, body string) {
		if !strings.Contains(body, fmt.Sprintf("/get?i=%d\"", i)) { // go-httpbin echoes the URL
			t.Errorf("request %d replayed %q", i, body)
		}
	})
}
