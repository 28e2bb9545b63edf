// Package linkheader parses and formats HTTP Link header fields (RFC 8288).
//
// Link headers carry pagination (GitHub, GitLab, every API that follows
// RFC 8288 pages its results with rel="next"), preload hints and
// alternates. They are easy to parse almost right and hard to parse right: a
// target URI may contain "," and ";", a quoted title may contain them too, a
// parameter may have no value ("; crossorigin"), titles may be encoded per
// RFC 8187 (title*=UTF-8'de'n%c3%a4chstes), and a response may carry several Link
// fields. Splitting on commas and semicolons, as most clients do, silently
// returns wrong links for such input. This package is a small tokenizer
// written from the grammar of RFC 8288 §3 and the quoted-string and token
// rules of RFC 9110 §5.6, so that relay's Response.Links and Session.Pages
// see the links the server meant.
//
// Parse never fails: a malformed link is skipped and parsing resumes at the
// next comma that is outside any <URI> or quoted string. It runs in time and
// memory linear in its input, allocates one slice per call and at most one map
// per link, and slices the returned strings from the input wherever no
// unescaping is needed. Format writes links back in a form that Parse reads
// as the same links.
//
// What the package does where RFC 8288 leaves room:
//
//   - Link.Rel holds the rel parameter as given, which may list several
//     relation types separated by spaces ("next last"). Link.HasRel and ByRel
//     look at each relation type separately and compare them without regard
//     to case, as RFC 8288 §2.1 requires.
//   - Parameter names are lower-cased. rel is kept out of Params. For every
//     parameter the first occurrence wins and later ones are ignored; RFC 8288
//     demands this for rel, anchor, media, title, title* and type, and a
//     map cannot hold the repeated hreflang values it allows.
//   - A parameter without a value ("; crossorigin") is present in Params with
//     the empty string as its value.
//   - A value that is neither a token nor a quoted string (type=text/html) is
//     taken up to the next ";" or ",", as the parsing algorithm of RFC 8288
//     Appendix B does, with surrounding whitespace removed.
//   - A parameter whose name ends in "*" (title*) holds an RFC 8187 extended
//     value. It is stored under its own name, title*, decoded to UTF-8; the
//     charset must be UTF-8 or ISO-8859-1 (any case) and the language tag is
//     dropped. A value that cannot be decoded leaves the parameter out, so that
//     an application falls back to title, as RFC 8288 §3.4.2 advises;
//     Link.Param does that fallback.
//   - Target URIs are returned as written, without the angle brackets and
//     surrounding whitespace. ByRel resolves relative ones against a base URL
//     (for a response, the URL it was finally fetched from).
package linkheader
