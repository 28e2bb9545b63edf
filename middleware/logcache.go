package middleware

import (
	"net/http"
	"time"
)

// LogAnswersFrom returns a middleware that logs, as LogWithOptions does,
// the responses that a middleware below it answers without sending
// anything — a cache's hits — which a logging middleware further down
// never sees. answered names how a response was answered ("hit", "stale"),
// the entry's cache field; it returns "" for a response that was sent, and
// so already logged below, and such a response is not logged again.
//
// relay's Session puts it above its cache, with cache.Answered.
func LogAnswersFrom(source func() LogOptions, answered func(*http.Response) string) Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		return &answerLogger{logger: logger{next: orDefault(next), source: source}, answered: answered}
	}
}

type answerLogger struct {
	logger
	answered func(*http.Response) string
}

func (l *answerLogger) RoundTrip(req *http.Request) (*http.Response, error) {
	o := l.source()
	if o.Logger == nil || !o.Logger.Core().Enabled(o.Level) {
		return l.next.RoundTrip(req)
	}
	start := time.Now()
	resp, err := l.next.RoundTrip(req)
	if err != nil {
		return resp, err // a failure was a send: logged below
	}
	if how := l.answered(resp); how != "" {
		l.write(o, req, resp, nil, time.Since(start), how)
	}
	return resp, err
}
