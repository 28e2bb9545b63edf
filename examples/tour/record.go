package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/middleware"
	"github.com/relayhttp/relay/record"
)

// recordReplay: a session recorded into a HAR cassette (one entry per
// send, secrets redacted), the cassette opened as plain JSON, and the
// calls replayed by a session whose transport refuses everything.
func recordReplay(ctx context.Context, e *env) error {
	path := filepath.Join(e.dir, "tour.har")
	rec, err := record.Open(path, record.Record)
	if err != nil {
		return err
	}
	e.say("rec, _ := record.Open(%q, record.Record); s := client.NewSession(client.WithRecorder(rec))", path)
	s := client.NewSession(client.WithRecorder(rec))
	s.Headers.Set("Authorization", "Bearer tour-token-0123456789")
	calls := func(s *client.Session) ([]string, error) {
		var bodies []string
		r, err := s.Get(ctx, e.url("/redirect/1"))
		if err != nil {
			return nil, err
		}
		b, _ := r.Bytes()
		bodies = append(bodies, string(b))
		r, err = s.Post(ctx, e.url("/post"), client.JSON(map[string]string{"user": "ann", "password": "tour-password-42"}))
		if err != nil {
			return nil, err
		}
		b, _ = r.Bytes()
		return append(bodies, string(b)), nil
	}
	_, err = calls(s)
	s.CloseIdleConnections()
	if err != nil {
		return err
	}
	if err := rec.Close(); err != nil {
		return err
	}
	e.say("GET /redirect/1 and POST /post, then rec.Close() writes the file atomically")

	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var har struct {
		Log struct {
			Version string
			Creator struct{ Name string }
			Entries []struct {
				Request struct {
					Method, URL string
					Headers     []struct{ Name, Value string }
				}
				Response struct{ Status int }
			}
		}
	}
	if err := json.Unmarshal(raw, &har); err != nil {
		return fmt.Errorf("the cassette is not JSON: %w", err)
	}
	e.say("the cassette as JSON: HAR %s by %s, %d entries (one per send):", har.Log.Version, har.Log.Creator.Name, len(har.Log.Entries))
	authz := ""
	for _, en := range har.Log.Entries {
		e.say("  %s %s → %d", en.Request.Method, en.Request.URL, en.Response.Status)
		for _, h := range en.Request.Headers {
			if h.Name == "Authorization" {
				authz = h.Value
			}
		}
	}
	e.say("  Authorization in the file: %q", authz)
	if err := failed(
		equal("HAR version", har.Log.Version, "1.2"),
		equal("entries", len(har.Log.Entries), 3),
		expect(!strings.Contains(string(raw), "tour-token-0123456789") && !strings.Contains(string(raw), "tour-password-42"), "a secret reached the cassette"),
		expect(strings.HasPrefix(authz, "Bearer REDACTED-"), "Authorization is %q, want a placeholder", authz),
	); err != nil {
		return err
	}

	replay, err := record.Open(path, record.Replay)
	if err != nil {
		return err
	}
	defer replay.Close()
	refuse := middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		return nil, fmt.Errorf("the replaying session reached the network (%s)", req.URL)
	})
	s = client.NewSession(client.WithRecorder(replay), client.WithTransport(refuse))
	s.Headers.Set("Authorization", "Bearer tour-token-0123456789")
	replayed, err := calls(s)
	if err != nil {
		return err
	}
	e.say("record.Open(path, record.Replay) over a transport that refuses every request: the same calls replay")
	var post struct {
		JSON struct{ User, Password string }
		URL  string
	}
	if err := json.Unmarshal([]byte(replayed[1]), &post); err != nil {
		return fmt.Errorf("the replayed POST body: %w", err)
	}
	e.say("the replayed POST echo, as recorded: json.user = %q, json.password = %q", post.JSON.User, post.JSON.Password)
	_, err = s.Get(ctx, e.url("/get?page=9"))
	var nm *record.NoMatchError
	e.say("an unrecorded request: %v", err)
	if err := failed(
		equal("replayed user", post.JSON.User, "ann"),
		expect(strings.HasPrefix(post.JSON.Password, "REDACTED-"), "the replayed password is %q, want the recorded placeholder", post.JSON.Password),
		expect(strings.Contains(replayed[0], `"url":"`+e.url("/get")+`"`), "the replayed redirect ended with %q", replayed[0]),
		expect(errors.As(err, &nm), "the unrecorded request's error is %v, want a *record.NoMatchError", err),
	); err != nil {
		return err
	}
	return liveCapture(ctx, e)
}

// liveCapture: a session's sends captured live as HAR, with timings.
func liveCapture(ctx context.Context, e *env) error {
	h := record.NewHAR()
	s := client.NewSession(client.WithCapture(h))
	defer s.CloseIdleConnections()
	r, err := s.Get(ctx, e.url("/redirect/1"))
	if err != nil {
		return err
	}
	_ = r.Body.Close()
	entries := h.HAR().Log.Entries
	e.say("h := record.NewHAR(); client.WithCapture(h): GET /redirect/1 captured live as %d entries, each with timings.connect, .wait, .receive …", len(entries))
	if len(entries) == 0 {
		return fmt.Errorf("the capture has no entry")
	}
	first := entries[0]
	e.say("  the first: %d, redirectURL %s", first.Response.Status, first.Response.RedirectURL)
	return failed(
		equal("captured entries", len(entries), 2),
		equal("first redirectURL", first.Response.RedirectURL, e.url("/get")),
		expect(first.Timings.Connect >= 0, "the first send opened a connection but timings.connect is %v", first.Timings.Connect),
		expect(first.Time > 0, "the first entry's time is %v", first.Time),
	)
}
