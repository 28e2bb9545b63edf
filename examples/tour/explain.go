package main

import (
	"context"
	"net/url"
	"strings"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/explain"
)

// explaining: one call's decision trail — which default or option set each
// header and param, the mount and proxy of each hop, and the credentials
// kept off a redirect that leaves the origin — printed as curl -v text and
// checked as values.
func explaining(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()
	s.TrustEnv = false // the same trail whatever this machine's proxy variables
	s.Auth = auth.Basic("tour", "s3cret")
	s.Params.Set("per_page", "10")
	e.say(`r, err := s.Get(ctx, "http://httpbin/redirect-to?url=http://other/get", client.Explain(), client.Header("Accept", "application/json"))`)
	target := e.url("/redirect-to?url=" + url.QueryEscape(e.other.URL+"/get"))
	r, err := s.Get(ctx, target, client.Explain(), client.Header("Accept", "application/json"))
	if err != nil {
		return err
	}
	trail := r.Explain()
	e.say("fmt.Print(r.Explain()):")
	for line := range strings.Lines(trail.String()) {
		e.say("  %s", strings.TrimSuffix(line, "\n"))
	}
	withheld := trail.Find(explain.KindAuth, "Basic")
	return failed(status(r, 200),
		expect(len(withheld) == 2 && withheld[0].Action == explain.ActionApplied && withheld[1].Action == explain.ActionWithheld && withheld[1].Hop == 2,
			"auth decisions %v: want applied on hop 1, withheld on hop 2", withheld),
		expect(len(trail.Find(explain.KindParam, "per_page")) == 1, "no decision about the per_page param"),
		expect(!strings.Contains(trail.String(), "s3cret"), "the password is in the trail"))
}
