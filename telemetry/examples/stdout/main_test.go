package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestRun runs the example and checks what it exported: two calls, four
// sends (a redirect hop and a Digest challenge each make a resend), two
// body reads and the example's own span.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&out)
	count := map[string]int{}
	resends := 0
	for dec.More() {
		var span struct {
			Name       string
			SpanKind   int
			Attributes []struct {
				Key   string
				Value struct{ Value any }
			}
		}
		if err := dec.Decode(&span); err != nil {
			t.Fatal(err)
		}
		count[span.Name]++
		for _, a := range span.Attributes {
			if a.Key == "http.request.resend_count" {
				resends++
			}
		}
	}
	want := map[string]int{"GET": 4, "relay GET": 2, "relay body": 2, "example": 1}
	for name, n := range want {
		if count[name] != n {
			t.Errorf("%d %q spans, want %d (all: %v)", count[name], name, n, count)
		}
	}
	if resends != 2 {
		t.Errorf("%d sends with http.request.resend_count, want 2", resends)
	}
}
