package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/relayhttp/relay/record"
)

// TestReplayCassette runs the walkthrough from the committed cassette —
// no server started, a transport that refuses everything — and checks
// that it prints what the walkthrough against the fakes prints. When the
// fakes or the steps change, record the cassette again:
//
//	(cd examples/github && go run . -cassette record -o testdata/github.har)
func TestReplayCassette(t *testing.T) {
	var live, replayed bytes.Buffer
	if code := run(t.Context(), &live, steps); code != 0 {
		t.Fatalf("live run = %d:\n%s", code, live.String())
	}
	if code := runReplay(t.Context(), &replayed, steps); code != 0 {
		t.Fatalf("replay = %d (record the cassette again?):\n%s", code, replayed.String())
	}
	body := func(s string) string { _, rest, _ := strings.Cut(s, "\n"); return rest }
	if body(live.String()) != body(replayed.String()) {
		t.Errorf("the replay printed other text than the live run (record the cassette again?):\n--- live\n%s\n--- replay\n%s", live.String(), replayed.String())
	}
	if !strings.Contains(replayed.String(), "replayed from testdata/github.har") {
		t.Errorf("the replay does not say so:\n%s", replayed.String())
	}
}

// TestCassetteIsRedacted checks the committed cassette: a HAR file, one
// entry per send, and the guide's password nowhere in it.
func TestCassetteIsRedacted(t *testing.T) {
	h, err := record.ReadHAR(bytes.NewReader(cassette))
	if err != nil {
		t.Fatal(err)
	}
	if h.Log.Version != "1.2" || len(h.Log.Entries) < len(steps) {
		t.Errorf("version %q, %d entries for %d steps", h.Log.Version, len(h.Log.Entries), len(steps))
	}
	for _, secret := range []string{password, "ZmFrZUBleGFtcGxlLmNvbTpub3RfYV9yZWFsX3Bhc3N3b3Jk"} { // and its Basic form
		if bytes.Contains(cassette, []byte(secret)) {
			t.Errorf("the cassette holds %q", secret)
		}
	}
}
