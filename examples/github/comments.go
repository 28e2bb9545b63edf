package main

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/client"
)

// createdComment is the URL of the comment the POST step created, or an
// error that says why a later step has nothing to work on.
func (w *walk) createdComment() (string, error) {
	if w.created == "" {
		return "", errors.New("no comment to work on: the POST step did not create one")
	}
	return w.created, nil
}

// postWithoutAuth: requests.post(url=url, data=body) without credentials is
// refused. GitHub answers 404 so as not to reveal private repositories; the
// fake answers 401.
func postWithoutAuth(ctx context.Context, w *walk) error {
	url := api + commentsPath
	w.say("r, err := s.Post(ctx, %q, client.JSON(map[string]string{\"body\": %q}))", url, firstText)
	r, err := w.s.Post(ctx, url, client.JSON(map[string]string{"body": firstText}))
	if err != nil {
		return err
	}
	w.say("r.Status → %s (api.github.com itself says 404 Not Found, not to reveal private repositories)", r.Status)
	w.say("r.Err() → %v", r.Err())
	return status(r, http.StatusUnauthorized)
}

// postComment: requests.post(url=url, data=body, auth=HTTPBasicAuth(…)) →
// 201; content['body'], content['id'].
func postComment(ctx context.Context, w *walk) error {
	url := api + commentsPath
	w.say("r, err := s.Post(ctx, %q,", url)
	w.say("    client.JSON(map[string]string{\"body\": %q}),", firstText)
	w.say("    client.WithAuth(auth.Basic(%q, %q)))", username, password)
	r, err := w.s.Post(ctx, url,
		client.JSON(map[string]string{"body": firstText}),
		client.WithAuth(auth.Basic(username, password)))
	if err != nil {
		return err
	}
	if err := status(r, http.StatusCreated); err != nil {
		return err
	}
	var c comment
	if err := r.JSON(&c); err != nil {
		return err
	}
	w.say("r.StatusCode → %d", r.StatusCode)
	w.say("r.JSON(&content); content.Body → %s", c.Body)
	w.say("content.ID → %d", c.ID)
	w.created = c.URL
	return failed(
		equal("body", c.Body, firstText),
		equal("id", c.ID, int64(firstNewCommentID)),
		equal("url", c.URL, api+commentPrefix+strconv.Itoa(firstNewCommentID)),
		equal("Location", r.Header.Get("Location"), c.URL),
	)
}

// patchComment: requests.patch(url=comment URL, data=body, auth=auth) → 200.
func patchComment(ctx context.Context, w *walk) error {
	url, err := w.createdComment()
	if err != nil {
		return err
	}
	w.say("r, err := s.Patch(ctx, %q,", url)
	w.say("    client.JSON(map[string]string{\"body\": %q}),", editedText)
	w.say("    client.WithAuth(auth.Basic(%q, %q)))", username, password)
	r, err := w.s.Patch(ctx, url,
		client.JSON(map[string]string{"body": editedText}),
		client.WithAuth(auth.Basic(username, password)))
	if err != nil {
		return err
	}
	if err := status(r, http.StatusOK); err != nil {
		return err
	}
	var c comment
	if err := r.JSON(&c); err != nil {
		return err
	}
	w.say("r.StatusCode → %d", r.StatusCode)
	w.say("r.JSON(&content); content.Body → %s", c.Body)
	return equal("body", c.Body, editedText)
}

// deleteComment: requests.delete(url=comment URL, auth=auth) → 204;
// r.headers['status'] → '204 No Content'.
func deleteComment(ctx context.Context, w *walk) error {
	url, err := w.createdComment()
	if err != nil {
		return err
	}
	w.say("r, err := s.Delete(ctx, %q, client.WithAuth(auth.Basic(…)))", url)
	r, err := w.s.Delete(ctx, url, client.WithAuth(auth.Basic(username, password)))
	if err != nil {
		return err
	}
	w.say("r.Status → %s", r.Status)
	return failed(status(r, http.StatusNoContent), equal("Err()", r.Err(), nil))
}

// headComment: requests.head(url=comment URL, auth=auth); r.headers shows
// GitHub's rate limit. The comment is deleted by now, so the status is 404.
func headComment(ctx context.Context, w *walk) error {
	url, err := w.createdComment()
	if err != nil {
		return err
	}
	w.say("r, err := s.Head(ctx, %q, client.WithAuth(auth.Basic(…)))", url)
	r, err := w.s.Head(ctx, url, client.WithAuth(auth.Basic(username, password)))
	if err != nil {
		return err
	}
	body, err := r.Bytes()
	if err != nil {
		return err
	}
	w.say("r.Status → %s (the comment is gone)", r.Status)
	w.say(`r.Header.Get("X-RateLimit-Limit") → %s`, r.Header.Get("X-RateLimit-Limit"))
	w.say(`r.Header.Get("X-RateLimit-Remaining") → %s`, r.Header.Get("X-RateLimit-Remaining"))
	left, err := strconv.Atoi(r.Header.Get("X-RateLimit-Remaining"))
	return failed(
		status(r, http.StatusNotFound),
		equal("body length", len(body), 0),
		equal("X-RateLimit-Limit", r.Header.Get("X-RateLimit-Limit"), "5000"),
		expect(err == nil && left < 5000, "X-RateLimit-Remaining = %q, want a number below the limit", r.Header.Get("X-RateLimit-Remaining")),
	)
}
