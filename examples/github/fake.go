package main

import (
	"embed"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// fixtures are the JSON bodies the fake serves; testdata/README.md says
// where their values come from.
//
//go:embed testdata/*.json
var fixtures embed.FS

// The paths of the GitHub API that the guide calls.
const (
	commitPath    = "/repos/psf/requests/git/commits/a050faf084662f3a352dd1a941f2c7c9f886d4ad"
	issuePath     = "/repos/psf/requests/issues/482"
	commentsPath  = issuePath + "/comments"
	commentPrefix = "/repos/psf/requests/issues/comments/" // + id
)

// The credentials the fake accepts for writes: the guide's own.
const (
	username = "fake@example.com"
	password = "not_a_real_password"
)

// firstNewCommentID is the id of the first comment a POST creates: the one
// the guide got.
const firstNewCommentID = 5804413

// createdAt is the time stamp of every comment the fake creates or edits, so
// that the walkthrough prints the same text on every run.
const createdAt = "2012-05-10T18:30:00Z"

// fakeGitHub is an http.Handler that answers the GitHub REST API endpoints of
// the guide the way api.github.com answered them:
//
//   - GET of the commit, of issue 482 and of its comments, two to a page with
//     a GitHub-style Link header (rel="next"/"last", "prev"/"first");
//   - POST of a comment on the issue, PATCH and DELETE of a comment: these
//     need Basic auth with the guide's credentials and answer 401 without
//     them (GitHub itself answers 404, so as not to reveal private
//     repositories);
//   - GET and HEAD of a single comment;
//   - OPTIONS of anything: 500, as in the guide;
//   - X-RateLimit-Limit and X-RateLimit-Remaining on every response, 60 an
//     hour without credentials and 5000 with.
//
// Anything else is a 404 with GitHub's JSON error body. It is safe for
// concurrent use.
type fakeGitHub struct {
	mu       sync.Mutex
	comments map[int64]comment // every comment, the fixtures' included, by id
	nextID   int64
	used     [2]int // rate limit spent without and with credentials
}

func newFakeGitHub() *fakeGitHub {
	f := &fakeGitHub{comments: map[int64]comment{}, nextID: firstNewCommentID}
	for _, name := range []string{"comments-482-page1.json", "comments-482-page2.json"} {
		var page []comment
		if err := json.Unmarshal(fixture(name), &page); err != nil {
			panic(err) // the embedded fixtures are part of the program
		}
		for _, c := range page {
			f.comments[c.ID] = c
		}
	}
	return f
}

// fixture returns an embedded file of testdata.
func fixture(name string) []byte {
	b, err := fixtures.ReadFile("testdata/" + name)
	if err != nil {
		panic(err)
	}
	return b
}

func (f *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	user, authErr := f.authenticate(r)
	f.rateLimit(w, user != "")
	if authErr != "" {
		writeJSON(w, http.StatusUnauthorized, apiError(authErr))
		return
	}
	if r.Method == http.MethodOptions {
		writeJSON(w, http.StatusInternalServerError, apiError("Server Error"))
		return
	}
	switch p := r.URL.Path; {
	case p == commitPath:
		f.getOnly(w, r, "commit.json")
	case p == issuePath:
		f.getOnly(w, r, "issue-482.json")
	case p == commentsPath && r.Method == http.MethodPost:
		f.create(w, r, user)
	case p == commentsPath:
		f.list(w, r)
	case strings.HasPrefix(p, commentPrefix):
		f.comment(w, r, user, strings.TrimPrefix(p, commentPrefix))
	default:
		writeJSON(w, http.StatusNotFound, apiError("Not Found"))
	}
}

// authenticate returns the user of r's Basic credentials, and the message of
// a 401 when r has credentials that are wrong, or none and writes.
func (f *fakeGitHub) authenticate(r *http.Request) (user, fail string) {
	u, p, ok := r.BasicAuth()
	switch {
	case ok && u == username && p == password:
		return u, ""
	case ok || r.Header.Get("Authorization") != "":
		return "", "Bad credentials"
	case r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions:
		return "", "Requires authentication"
	}
	return "", ""
}

// rateLimit spends one request of the caller's quota and says what is left.
func (f *fakeGitHub) rateLimit(w http.ResponseWriter, authenticated bool) {
	limit, i := 60, 0
	if authenticated {
		limit, i = 5000, 1
	}
	f.mu.Lock()
	f.used[i]++
	left := max(limit-f.used[i], 0)
	f.mu.Unlock()
	w.Header().Set("X-RateLimit-Limit", strconv.Itoa(limit))
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(left))
}

// getOnly serves a fixture to GET and HEAD, and 404 to other methods, as
// GitHub does.
func (f *fakeGitHub) getOnly(w http.ResponseWriter, r *http.Request, name string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeJSON(w, http.StatusNotFound, apiError("Not Found"))
		return
	}
	writeRaw(w, http.StatusOK, fixture(name))
}

// list serves the issue's comments, one fixture per page, linked the way
// GitHub links pages.
func (f *fakeGitHub) list(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeJSON(w, http.StatusNotFound, apiError("Not Found"))
		return
	}
	page := func(n int) string {
		return "<https://" + r.Host + commentsPath + "?page=" + strconv.Itoa(n) + ">"
	}
	switch r.URL.Query().Get("page") {
	case "", "1":
		w.Header().Set("Link", page(2)+`; rel="next", `+page(2)+`; rel="last"`)
		writeRaw(w, http.StatusOK, fixture("comments-482-page1.json"))
	case "2":
		w.Header().Set("Link", page(1)+`; rel="prev", `+page(1)+`; rel="first"`)
		writeRaw(w, http.StatusOK, fixture("comments-482-page2.json"))
	default:
		writeRaw(w, http.StatusOK, []byte("[]\n"))
	}
}

// create adds a comment to the issue: 201 with the comment and its Location.
func (f *fakeGitHub) create(w http.ResponseWriter, r *http.Request, user string) {
	body, ok := commentBody(w, r)
	if !ok {
		return
	}
	f.mu.Lock()
	c := comment{ID: f.nextID, Body: body, User: account{Login: user, ID: 1}, CreatedAt: createdAt, UpdatedAt: createdAt}
	c.URL = "https://" + r.Host + commentPrefix + strconv.FormatInt(c.ID, 10)
	f.comments[c.ID] = c
	f.nextID++
	f.mu.Unlock()
	w.Header().Set("Location", c.URL)
	writeJSON(w, http.StatusCreated, c)
}

// comment serves GET, HEAD, PATCH and DELETE of one comment.
func (f *fakeGitHub) comment(w http.ResponseWriter, r *http.Request, user, id string) {
	n, err := strconv.ParseInt(id, 10, 64)
	f.mu.Lock()
	c, found := f.comments[n]
	f.mu.Unlock()
	if err != nil || !found {
		writeJSON(w, http.StatusNotFound, apiError("Not Found"))
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		writeJSON(w, http.StatusOK, c)
	case http.MethodPatch:
		body, ok := commentBody(w, r)
		if !ok {
			return
		}
		c.Body, c.UpdatedAt = body, createdAt
		f.mu.Lock()
		f.comments[n] = c
		f.mu.Unlock()
		writeJSON(w, http.StatusOK, c)
	case http.MethodDelete:
		f.mu.Lock()
		delete(f.comments, n)
		f.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		writeJSON(w, http.StatusNotFound, apiError("Not Found"))
	}
}

// commentBody reads {"body": "…"} from r, answering 400 or 422 when it cannot.
func commentBody(w http.ResponseWriter, r *http.Request) (string, bool) {
	var in struct {
		Body *string `json:"body"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError("Problems parsing JSON"))
		return "", false
	}
	if in.Body == nil || *in.Body == "" {
		writeJSON(w, http.StatusUnprocessableEntity, apiError("Validation Failed"))
		return "", false
	}
	return *in.Body, true
}

// catsAPI is the guide's well-behaved API: /api/cats answers OPTIONS with
// the methods it allows, and 405 with the same Allow header to the others.
func catsAPI() http.Handler {
	const allow = "GET,HEAD,POST,OPTIONS"
	mux := http.NewServeMux()
	mux.HandleFunc("/api/cats", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			writeRaw(w, http.StatusOK, fixture("cats.json"))
		case http.MethodPost:
			writeJSON(w, http.StatusCreated, map[string]string{"name": "new cat"})
		case http.MethodOptions:
			w.WriteHeader(http.StatusNoContent)
		default:
			writeJSON(w, http.StatusMethodNotAllowed, apiError("Method Not Allowed"))
		}
	})
	return mux
}

// apiError is GitHub's error body.
func apiError(msg string) any {
	return map[string]string{"message": msg, "documentation_url": "https://docs.github.com/rest"}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeRaw(w, code, append(b, '\n'))
}

func writeRaw(w http.ResponseWriter, code int, b []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(code)
	_, _ = w.Write(b)
}
