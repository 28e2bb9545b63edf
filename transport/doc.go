// Package transport builds the base transports relay sends requests with, and
// the prefix router that lets a relay Session send requests for different
// URLs through different transports (Session.Mount).
//
// # Why this package exists
//
// [http.DefaultTransport] is a process-wide global: every library that
// changes it (to add a CA, to skip verification, to set a proxy) changes it
// for every other library in the program, and its idle pool keeps only two
// connections per host. Following [github.com/hashicorp/go-cleanhttp], [New]
// never touches it: each call returns a fresh [*http.Transport] that the
// caller owns, built from cleanhttp.DefaultPooledTransport and adjusted for
// an HTTP client framework:
//
//   - The idle pool keeps [DefaultMaxIdleConnsPerHost] connections per host,
//     so many goroutines sharing one transport reuse connections instead of
//     dialing new ones (cleanhttp keeps GOMAXPROCS+1, which under 64
//     concurrent goroutines re-dials hundreds of connections per thousand
//     requests).
//   - Transparent gzip is off: relay's decompression middleware sets
//     Accept-Encoding and decodes bodies itself, with bounds.
//   - HTTP/2 stays available even with a custom TLS configuration or dialer.
//   - TLS verification is on; the roots are the system's, or exactly the
//     certificates of a CA bundle file (the CABundle option, or the
//     RELAY_CA_BUNDLE or SSL_CERT_FILE environment variables). Turning
//     verification off is explicit and logged.
//   - Bad configuration (a missing CA bundle, a client key that does not
//     match its certificate) is an error from New, never a panic and never a
//     silent fallback at request time.
//
// Because every New call returns a separate transport with its own pool, a
// connection made without verification or with one client certificate is
// never reused for a request sent through a transport configured otherwise.
//
// # Routing
//
// A [Router] is an [http.RoundTripper] that hands each request to the
// transport mounted under the longest prefix matching its URL. Unlike the
// plain string prefix of Python Requests' Session.mount, a prefix names a
// scheme, an exact host and port, and a path matched on segment boundaries,
// so a transport mounted for https://api.example.com (perhaps with a client
// certificate) never sees a request for https://api.example.com.evil.net/.
package transport
