package middleware

import (
	"context"
	"strings"

	"github.com/relayhttp/relay/explain"
)

// noteDecoded writes to the trail of ctx, if it has one, that a response
// body whose Content-Encoding is values is decoded.
func noteDecoded(ctx context.Context, values []string) {
	if t := explain.From(ctx); t != nil {
		t.Note(explain.Decision{Kind: explain.KindDecode, Subject: "Content-Encoding", Value: strings.Join(values, ", "),
			Action: explain.ActionDecoded, Reason: "as the body is read; Content-Encoding and Content-Length are removed"})
	}
}

// noteLeftAsSent writes to the trail of ctx, if it has one, that a response
// body whose Content-Encoding is values is left as sent, and why.
func noteLeftAsSent(ctx context.Context, values []string, why string) {
	if t := explain.From(ctx); t != nil {
		t.Note(explain.Decision{Kind: explain.KindDecode, Subject: "Content-Encoding", Value: strings.Join(values, ", "),
			Action: explain.ActionSkipped, Reason: why})
	}
}
