// Package cookiejar is relay's cookie jar: an RFC 6265 [http.CookieJar] that
// can also be listed, edited, saved and loaded.
//
// Go's net/http/cookiejar keeps cookies in memory only and offers no way to
// see them: a program cannot list what a server set, delete one cookie, or
// keep a login across runs. Requests users expect all three, and curl users
// expect a cookies.txt file. This package keeps the semantics of
// net/http/cookiejar (and its test style) and adds:
//
//   - enumeration: [Jar.All], [Jar.Entries], [Jar.Delete], [Jar.DeleteFunc],
//     [Jar.Clear], with [Entry] values that are copies;
//   - persistence: [Jar.Save] and [Jar.Load], in a JSON format that keeps
//     every attribute, or in the Netscape cookies.txt format that curl reads
//     (-b) and writes (-c); files are replaced atomically with mode 0600 and a
//     corrupt file is reported and kept aside, never overwritten;
//   - the rules of RFC 6265bis that browsers apply and net/http/cookiejar does
//     not: Secure cookies cannot be set or overwritten from an insecure origin,
//     the __Secure- and __Host- name prefixes are enforced, lifetimes are
//     capped at 400 days;
//   - the limits of relay's security policy: a cookie larger than
//     [MaxCookieSize] is ignored, a registrable domain keeps at most
//     [MaxCookiesPerDomain] cookies and the jar at most [MaxCookies], the
//     least recently used evicted first;
//   - [Middleware], which applies any [http.CookieJar] per request (and per
//     redirect hop) as a relay middleware, and per-request cookies
//     ([WithCookies]) that are sent but never stored.
//
// # Rules
//
// A cookie without a Domain attribute is host-only: it goes back to the host
// that set it and nowhere else. A Domain attribute makes it a domain cookie,
// sent to that domain and its subdomains; the host must be inside that domain,
// and the domain must not be a public suffix (by default from
// golang.org/x/net/publicsuffix), except that a host which is itself a public
// suffix may set a host-only cookie with Domain equal to its own name. A
// cookie set by an IP address is always host-only. Ports do not matter:
// cookies are per host, as RFC 6265 says.
//
// Paths match as RFC 6265 §5.1.4 says ("/a" matches "/a", "/a/" and "/a/b",
// not "/ab"). Max-Age wins over Expires; a Max-Age of zero or less, or an
// Expires in the past, deletes the cookie. A cookie without either is a
// session cookie: it lives as long as the Jar and is saved only when asked.
//
// Secure cookies are sent only over https, and to localhost and loopback
// addresses, which browsers treat as secure origins; relay treats them as
// secure for setting Secure cookies too. HttpOnly cookies are stored and sent
// (an HTTP client is not a script). SameSite is stored, listed and saved but
// not enforced: there is no site that initiates a relay request, so there is
// no cross-site request to withhold cookies from. [Middleware] applies a
// stricter rule of its own to redirect chains that leave their first origin.
//
// [Jar.Cookies] returns cookies with longer paths first, then earlier
// creation first, then in the order they were set: the same input always
// gives the same Cookie header.
package cookiejar
