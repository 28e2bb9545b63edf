package cachetests

import "maps"

// Why a test cannot apply to a private cache in an HTTP client library.
const (
	whySMaxAge = "s-maxage applies to shared caches only (RFC 9111 §5.2.2.10): a private cache ignores it"
	whyShared  = "shared caches only: "
	whyFetch   = "sets the request cache mode of fetch() (cache: \"no-cache\"), a browser API with no counterpart in an HTTP client library; the request's own Cache-Control directives are tested by the cc-request group"
	whyCDN     = "CDN-Cache-Control (RFC 9213) is addressed to CDNs; a private cache ignores it (the suite marks the test cdn_only)"
)

// defaultSkips is DefaultSkips' list.
var defaultSkips = map[string]string{
	"freshness-s-maxage-shared":                         whySMaxAge,
	"freshness-max-age-s-maxage-shared-longer":          whySMaxAge,
	"freshness-max-age-s-maxage-shared-longer-reversed": whySMaxAge,
	"freshness-max-age-s-maxage-shared-longer-multiple": whySMaxAge,
	"freshness-max-age-s-maxage-shared-shorter":         whySMaxAge,
	"freshness-max-age-s-maxage-shared-shorter-expires": whySMaxAge,
	"stale-close-s-maxage=2":                            whyShared + "s-maxage, and the proxy-revalidate it implies, bind shared caches (RFC 9111 §5.2.2.10); a private cache may serve the stale response",
	"stale-close-proxy-revalidate":                      whyShared + "proxy-revalidate binds shared caches (RFC 9111 §5.2.2.8); a private cache may serve the stale response",
	"cc-resp-private-shared":                            whyShared + "a private cache may store a response with Cache-Control: private (RFC 9111 §5.2.2.7)",
	"other-authorization":                               whyShared + "RFC 9111 §3.5 limits reuse of a response to a request with Authorization in shared caches; a private cache serves the one user who sent it",
	"other-authorization-public":                        whyShared + "depends on other-authorization (RFC 9111 §3.5 binds shared caches)",
	"other-authorization-must-revalidate":               whyShared + "depends on other-authorization (RFC 9111 §3.5 binds shared caches)",
	"other-authorization-smaxage":                       whyShared + "depends on other-authorization (RFC 9111 §3.5 binds shared caches), and s-maxage is for shared caches",
	"cc-resp-immutable-fresh":                           whyFetch,
	"cc-resp-immutable-stale":                           whyFetch,
	"headers-store-Transfer-Encoding":                   "Transfer-Encoding is message framing: Go's HTTP/1.1 transport decodes it below every RoundTripper (into Response.TransferEncoding, never Response.Header) and refuses a coding it does not know, as this test's is, so no cache in a Go client can see the field",
}

// DefaultSkips returns the tests of the suite that cannot apply to a private
// cache in an HTTP client library, by id, each with the reason: the tests
// of shared-cache rules, those that use a browser API, and the one whose
// field Go's transport consumes. (Tests marked cdn_only are always
// skipped.) The map is the caller's: add to it, or delete from it to run a
// test anyway, and pass it as Options.Skip.
func DefaultSkips() map[string]string {
	return maps.Clone(defaultSkips)
}
