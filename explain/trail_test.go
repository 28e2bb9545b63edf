package explain_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/explain"
)

func TestNoteWithoutTrailCostsNothing(t *testing.T) {
	ctx := context.WithValue(context.Background(), struct{}{}, 1)
	d := explain.Decision{Kind: explain.KindHeader, Subject: "Accept", Value: "*/*", Source: "session default"}
	if n := testing.AllocsPerRun(100, func() { explain.Note(ctx, d) }); n != 0 {
		t.Errorf("Note without a trail: %v allocations, want 0", n)
	}
	if explain.On(ctx) || explain.From(ctx) != nil {
		t.Error("a context without a trail reports one")
	}
	var nilTrail *explain.Trail
	nilTrail.Note(d)
	nilTrail.Redact("X")
	if nilTrail.String() != "" || nilTrail.Decisions() != nil || nilTrail.Find(explain.KindHeader, "") != nil {
		t.Error("a nil trail is not empty")
	}
}

func TestTrailHopsAttemptsAndText(t *testing.T) {
	ctx, tr := explain.With(context.Background())
	if !explain.On(ctx) || explain.From(ctx) != tr {
		t.Fatal("With's context does not carry its trail")
	}
	explain.Note(ctx, explain.Decision{Kind: explain.KindHeader, Subject: "User-Agent", Value: "relay/0.1.0", Source: "session default"})
	explain.Note(ctx, explain.Decision{Kind: explain.KindRetry, Subject: "after status 503", Action: explain.ActionRetried, Reason: "wait 1s", Attempt: 2})
	explain.Note(ctx, explain.Decision{Kind: explain.KindTimeout, Subject: "response header", Action: explain.ActionFired, Reason: "after 2s"})
	explain.Note(ctx, explain.Decision{Kind: explain.KindRedirect, Subject: "http://b/x", Action: explain.ActionFollowed, Reason: "302 Found", Hop: 2})
	explain.Note(ctx, explain.Decision{Kind: explain.KindHeader, Subject: "Authorization", Action: explain.ActionStripped,
		Reason: "origin http://a:80 → http://b:80"})
	explain.Note(ctx, explain.Decision{Kind: explain.KindCache, Action: explain.ActionHit})
	want := `* header User-Agent: relay/0.1.0 ← session default
* attempt 2: retry after status 503 (wait 1s)
* attempt 2: timeout response header fired (after 2s)
* hop 2: redirect http://b/x (302 Found)
* hop 2: header Authorization stripped (origin http://a:80 → http://b:80)
* hop 2: cache hit
`
	if diff := cmp.Diff(want, tr.String()); diff != "" {
		t.Errorf("text (-want +got):\n%s", diff)
	}
	var got [][2]int
	for _, d := range tr.Decisions() {
		got = append(got, [2]int{d.Hop, d.Attempt})
	}
	if diff := cmp.Diff([][2]int{{1, 1}, {1, 2}, {1, 2}, {2, 1}, {2, 1}, {2, 1}}, got); diff != "" {
		t.Errorf("hops and attempts (-want +got):\n%s", diff)
	}
	if n := len(tr.Find(explain.KindHeader, "authorization")); n != 1 {
		t.Errorf("Find: %d decisions", n)
	}
}

func TestRedaction(t *testing.T) {
	_, tr := explain.With(context.Background())
	tr.Redact("X-Internal")
	for _, name := range []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key",
		"X-Auth-Token", "access_token", "client_secret", "password", "X-CSRF-Token", "sig", "x-internal", "JSESSIONID"} {
		tr.Note(explain.Decision{Kind: explain.KindHeader, Subject: name, Value: "hunter2"})
	}
	tr.Note(explain.Decision{Kind: explain.KindHeader, Subject: "Accept", Value: "text/html"})
	if s := tr.String(); strings.Contains(s, "hunter2") || !strings.Contains(s, "Accept: text/html") {
		t.Errorf("trail:\n%s", s)
	}
	for _, d := range tr.Decisions() {
		if d.Subject != "Accept" && d.Value != explain.Redacted {
			t.Errorf("%s: value %q", d.Subject, d.Value)
		}
	}
	for _, name := range []string{"Accept", "User-Agent", "Content-Type", "per_page", "q", ""} {
		if explain.Sensitive(name) {
			t.Errorf("Sensitive(%q) = true", name)
		}
	}
}

func TestTrailConcurrentNotes(t *testing.T) {
	ctx, tr := explain.With(context.Background())
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				explain.Note(ctx, explain.Decision{Kind: explain.KindUser, Subject: "x"})
				_ = tr.String()
			}
		})
	}
	wg.Wait()
	if n := len(tr.Decisions()); n != 400 {
		t.Errorf("%d decisions, want 400", n)
	}
}

func BenchmarkNoteOff(b *testing.B) {
	ctx := context.Background()
	d := explain.Decision{Kind: explain.KindHeader, Subject: "Accept"}
	b.ReportAllocs()
	for b.Loop() {
		explain.Note(ctx, d)
	}
}
