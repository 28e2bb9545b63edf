package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/relayhttp/relay/client"
)

// The guide's hosts. offline.go sends them to the fakes on loopback.
const (
	api     = "https://api.github.com"
	catsURL = "http://a-good-website.com/api/cats"
)

// What the guide's calls send as comment bodies.
const (
	firstText  = "Sounds great! I'll get right on it!"
	editedText = "Sounds great! I'll get right on it once I feed my cat."
)

// The parts of GitHub's JSON that the walkthrough reads. encoding/json
// matches field names without regard to case; the tags name the others.
type (
	person struct{ Name, Email, Date string }
	commit struct {
		SHA, URL, Message string
		Author, Committer person
	}
	issue struct {
		Number      int
		Title       string
		Comments    int    // how many
		CommentsURL string `json:"comments_url"`
	}
	account struct {
		Login string `json:"login"`
		ID    int64  `json:"id"`
	}
	comment struct {
		ID        int64   `json:"id"`
		URL       string  `json:"url"`
		Body      string  `json:"body"`
		User      account `json:"user"`
		CreatedAt string  `json:"created_at"`
		UpdatedAt string  `json:"updated_at"`
	}
)

// walk is what the steps share: the session, where they print, and the
// comment that the POST step created for the steps after it.
type walk struct {
	s       *client.Session
	out     io.Writer
	created string // URL of the comment postComment created
}

// say prints one indented line of what a step did or saw.
func (w *walk) say(format string, args ...any) {
	fmt.Fprintf(w.out, "   %s\n", fmt.Sprintf(format, args...))
}

// getCommit: requests.get(commit URL); r.headers['content-type'];
// commit_data = r.json(); commit_data['committer'], commit_data['message'].
func getCommit(ctx context.Context, w *walk) error {
	url := api + commitPath
	w.say("r, err := s.Get(ctx, %q)", url)
	r, err := w.s.Get(ctx, url)
	if err != nil {
		return err
	}
	if err := status(r, http.StatusOK); err != nil {
		return err
	}
	var c commit
	if err := r.JSON(&c); err != nil {
		return err
	}
	w.say(`r.Header.Get("Content-Type") → %s`, r.Header.Get("Content-Type"))
	w.say(`r.Request.Header.Get("Accept") → %s (a session header)`, r.Request.Header.Get("Accept"))
	w.say("r.JSON(&commit); commit.Committer → %+v", c.Committer)
	w.say("commit.Message → %s", c.Message)
	return failed(
		equal("Content-Type", r.Header.Get("Content-Type"), "application/json; charset=utf-8"),
		equal("Accept sent", r.Request.Header.Get("Accept"), "application/vnd.github+json"),
		equal("committer", c.Committer, person{"Kenneth Reitz", "me@kennethreitz.com", "2012-05-10T11:10:50-07:00"}),
		equal("message", c.Message, "makin' history"),
	)
}

// optionsGitHub: verbs = requests.options(r.url) → 500. A 500 is a response,
// not an error; r.Err() turns it into one.
func optionsGitHub(ctx context.Context, w *walk) error {
	url := api + commitPath
	w.say("verbs, err := s.Options(ctx, %q)", url)
	r, err := w.s.Options(ctx, url)
	if err != nil {
		return err
	}
	w.say("err → %v; verbs.StatusCode → %d", err, r.StatusCode)
	w.say("verbs.Err() → %v", r.Err())
	var se *client.StatusError
	return failed(
		status(r, http.StatusInternalServerError),
		expect(errors.As(r.Err(), &se), "Err() = %v, want a *client.StatusError", r.Err()),
	)
}

// optionsCats: requests.options('http://a-good-website.com/api/cats') →
// headers['allow'].
func optionsCats(ctx context.Context, w *walk) error {
	w.say("verbs, err := s.Options(ctx, %q)", catsURL)
	r, err := w.s.Options(ctx, catsURL)
	if err != nil {
		return err
	}
	w.say("verbs.Status → %s", r.Status)
	w.say(`verbs.Header.Get("Allow") → %s`, r.Header.Get("Allow"))
	return failed(
		equal("Err()", r.Err(), nil),
		equal("Allow", r.Header.Get("Allow"), "GET,HEAD,POST,OPTIONS"),
	)
}

// getIssue: requests.get(issue URL); issue = json.loads(r.text);
// issue['title'], issue['comments'].
func getIssue(ctx context.Context, w *walk) error {
	url := api + issuePath
	w.say("r, err := s.Get(ctx, %q)", url)
	r, err := w.s.Get(ctx, url)
	if err != nil {
		return err
	}
	if err := status(r, http.StatusOK); err != nil {
		return err
	}
	var is issue
	if err := r.JSON(&is); err != nil {
		return err
	}
	w.say("r.StatusCode → %d", r.StatusCode)
	w.say("r.JSON(&issue); issue.Title → %s", is.Title)
	w.say("issue.Comments → %d", is.Comments)
	return failed(
		equal("title", is.Title, "Feature any http verb in docs"),
		equal("comments", is.Comments, 3),
		equal("comments_url", is.CommentsURL, api+commentsPath),
	)
}

// getComments: requests.get(r.url + '/comments'); comments = r.json();
// comments[2]['body'], comments[2]['user']['login']. The fake pages the
// list, as GitHub does: two comments on the first page, and a Link to the
// next; r.Links() reads it and s.Pages follows it.
func getComments(ctx context.Context, w *walk) error {
	url := api + commentsPath
	w.say("r, err := s.Get(ctx, %q)", url)
	r, err := w.s.Get(ctx, url)
	if err != nil {
		return err
	}
	if err := status(r, http.StatusOK); err != nil {
		return err
	}
	var first []comment
	if err := r.JSON(&first); err != nil {
		return err
	}
	next := r.Links()["next"].URL
	w.say("r.JSON(&comments) → %d comments on this page", len(first))
	w.say(`r.Links()["next"].URL → %s`, next)

	var comments []comment
	pages := 0
	for r, err := range w.s.Pages(ctx, url) {
		if err != nil {
			return err
		}
		if err := status(r, http.StatusOK); err != nil {
			return err
		}
		var page []comment
		if err := r.JSON(&page); err != nil {
			return err
		}
		comments = append(comments, page...)
		pages++
	}
	w.say("for r, err := range s.Pages(ctx, url) { … } → %d pages, %d comments", pages, len(comments))
	if err := equal("comments over every page", len(comments), 3); err != nil {
		return err
	}
	w.say("comments[2].Body → %s", comments[2].Body)
	w.say("comments[2].User.Login → %s", comments[2].User.Login)
	return failed(
		equal("comments on page 1", len(first), 2),
		equal(`Links()["next"].URL`, next, url+"?page=2"),
		equal("pages", pages, 2),
		equal("comments[2].Body", comments[2].Body, `Probably in the "advanced" section`),
		equal("comments[2].User.Login", comments[2].User.Login, "Lukasa"),
	)
}

// status checks r's status code.
func status(r *client.Response, want int) error {
	if r.StatusCode != want {
		return fmt.Errorf("%s %s: status %q, want %d", r.Request.Method, r.Request.URL, r.Status, want)
	}
	return nil
}

// equal checks one value a step saw against the one the guide saw.
func equal[T comparable](what string, got, want T) error {
	if got != want {
		return fmt.Errorf("%s = %#v, want %#v", what, got, want)
	}
	return nil
}

// expect fails with the message unless ok.
func expect(ok bool, format string, args ...any) error {
	if !ok {
		return fmt.Errorf(format, args...)
	}
	return nil
}

// failed joins the checks that did not hold: the step fails with all of them.
func failed(checks ...error) error { return errors.Join(checks...) }
