package auth

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/relayhttp/relay/explain"
	"github.com/relayhttp/relay/internal/origin"
)

// Sources of an authenticator, as a trail names them.
const (
	sourceOption  = "request option WithAuth"
	sourceSession = "session Auth"
	sourceURL     = "URL userinfo"
	sourceNetrc   = "netrc"
)

// scheme names the kind of a relay authenticator for a trail or a log,
// without its credentials: "Basic", "Digest", "Bearer", "BearerFunc",
// "Func", or the Go type of one relay did not make.
func scheme(a Authenticator) string {
	switch a.(type) {
	case nil:
		return "none"
	case basic:
		return "Basic"
	case *digest:
		return "Digest"
	case bearer:
		return "Bearer"
	case bearerFunc:
		return "BearerFunc"
	case authFunc:
		return "Func"
	}
	return fmt.Sprintf("%T", a)
}

// noteExplicit notes a request whose own Authorization header goes as it
// is: it wins over every authenticator and netrc.
func noteExplicit(req *http.Request) {
	explain.Note(req.Context(), explain.Decision{Kind: explain.KindAuth, Subject: "Authorization header",
		Action: explain.ActionSet, Source: "request",
		Reason: "an explicit header wins: session Auth and netrc are not used"})
}

// noteWithheld notes an authenticator that does not apply to req: turned
// off for the request, or bound to an origin the chain has left.
func noteWithheld(req *http.Request, a Authenticator) {
	d := explain.Decision{Kind: explain.KindAuth, Subject: scheme(a), Action: explain.ActionWithheld}
	if a == nil {
		d.Action, d.Source, d.Reason = explain.ActionSkipped, sourceOption, "turned off for this request"
	} else {
		d.Reason = "credentials belong to " + origin.Of(origin.First(req).URL).String() +
			", not " + origin.Of(req.URL).String()
	}
	explain.Note(req.Context(), d)
}

// noteApplied notes the authenticator that authorizes req, and where it
// came from.
func noteApplied(req *http.Request, a Authenticator, src string) {
	explain.Note(req.Context(), explain.Decision{Kind: explain.KindAuth, Subject: scheme(a),
		Action: explain.ActionApplied, Source: src})
}

// noteNetrc notes the netrc entry that authorizes req, or why the file has
// none for it.
func noteNetrc(req *http.Request, f *NetrcFile, e *NetrcEntry) {
	if f == nil {
		return
	}
	host := req.URL.Hostname()
	switch {
	case e != nil && e.Default:
		explain.Note(req.Context(), explain.Decision{Kind: explain.KindAuth, Subject: "Basic",
			Action: explain.ActionApplied, Source: sourceNetrc, Reason: "default entry"})
	case e != nil:
		explain.Note(req.Context(), explain.Decision{Kind: explain.KindAuth, Subject: "Basic",
			Action: explain.ActionApplied, Source: sourceNetrc, Reason: "machine " + e.Machine})
	case f.machine(host) != nil:
		explain.Note(req.Context(), explain.Decision{Kind: explain.KindAuth, Subject: "Basic",
			Action: explain.ActionWithheld, Source: sourceNetrc,
			Reason: "machine " + host + ": the chain left this host before, or came down from https"})
	case f.def != nil:
		explain.Note(req.Context(), explain.Decision{Kind: explain.KindAuth, Subject: "Basic",
			Action: explain.ActionWithheld, Source: sourceNetrc,
			Reason: "default entry: the hop is off the chain's first origin"})
	}
}

// noteAnswer notes a challenge that c answers.
func noteAnswer(req *http.Request, c Challenger, resp *http.Response) {
	explain.Note(req.Context(), explain.Decision{Kind: explain.KindAuth, Subject: scheme(c),
		Action: explain.ActionAnswered, Reason: "challenge of a " + strconv.Itoa(resp.StatusCode)})
}
