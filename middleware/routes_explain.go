package middleware

import (
	"context"
	"net/url"

	"github.com/relayhttp/relay/explain"
)

// noteRoute writes to the trail of ctx the route chosen for a hop to u:
// the proxy and where it came from (or why the hop goes direct), and the
// sources of its TLS settings. r may be nil: nothing chosen.
func noteRoute(ctx context.Context, r *Route, u *url.URL) {
	t := explain.From(ctx)
	switch {
	case r == nil || !r.ProxySource.Set():
		t.Note(explain.Decision{Kind: explain.KindProxy, Subject: "none", Action: explain.ActionChose,
			Reason: "no proxy key or variable matches the URL; the transport's own setting applies"})
	case r.Proxy == nil && r.ProxySource.Level == FromEnvironment:
		t.Note(explain.Decision{Kind: explain.KindProxy, Subject: "direct", Action: explain.ActionChose,
			Source: r.ProxySource.String(), Reason: "NO_PROXY matches " + u.Hostname() + ", or it is a loopback address"})
	case r.Proxy == nil:
		t.Note(explain.Decision{Kind: explain.KindProxy, Subject: "direct", Action: explain.ActionChose,
			Source: r.ProxySource.String(), Reason: "an empty proxy value means direct"})
	default:
		t.Note(explain.Decision{Kind: explain.KindProxy, Subject: redactedProxy(r.Proxy), Action: explain.ActionChose,
			Source: r.ProxySource.String()})
	}
	if r == nil || !usesTLS(r, u) {
		return
	}
	if r.VerifySource.Set() {
		d := explain.Decision{Kind: explain.KindTLS, Subject: "verification", Action: explain.ActionChose, Source: r.VerifySource.String()}
		if r.TLS.InsecureSkipVerify {
			d.Value = "off"
		} else {
			d.Value = "CA bundle " + r.TLS.CABundle
		}
		t.Note(d)
	}
	if r.CertSource.Set() {
		t.Note(explain.Decision{Kind: explain.KindTLS, Subject: "client certificate", Action: explain.ActionChose,
			Value: r.TLS.CertFile, Source: r.CertSource.String()})
	}
}

// usesTLS reports whether a hop to u through r's proxy makes a TLS
// connection, so that its TLS settings matter.
func usesTLS(r *Route, u *url.URL) bool {
	return u.Scheme == "https" || (r.ProxySource.Set() && r.Proxy != nil && r.Proxy.Scheme == "https")
}
