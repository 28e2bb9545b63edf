package middleware

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/relayhttp/relay/explain"
)

// noteRetry writes to the trail of ctx that attempt next follows the one
// that answered resp or failed with err, after wait.
func noteRetry(ctx context.Context, resp *http.Response, err error, next int, wait time.Duration) {
	cause := "after "
	if resp != nil {
		cause += "status " + strconv.Itoa(resp.StatusCode)
	} else {
		cause += err.Error()
	}
	reason := "wait " + wait.String()
	if resp != nil && resp.Header.Get("Retry-After") != "" {
		reason += ", as Retry-After asks"
	}
	explain.Note(ctx, explain.Decision{Kind: explain.KindRetry, Subject: cause, Action: explain.ActionRetried,
		Reason: reason, Attempt: next})
}

// noteTimeout writes to the trail of ctx a timeout that err reports, if it
// is one of the Timeouts.
func noteTimeout(ctx context.Context, err error) {
	var te *TimeoutError
	if errors.As(err, &te) {
		explain.Note(ctx, timeoutDecision(te))
	}
}

func timeoutDecision(te *TimeoutError) explain.Decision {
	return explain.Decision{Kind: explain.KindTimeout, Subject: string(te.Kind), Action: explain.ActionFired,
		Reason: "after " + te.After.String()}
}
