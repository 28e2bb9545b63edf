package middleware

import (
	"io"
	"net/http"
)

// DrainLimit is how many bytes of a dropped response body are read before
// it is closed. Reading a small remainder lets the connection return to the
// pool; a larger one is cheaper to abandon than to read, as net/http's own
// redirect code decides with the same bound.
const DrainLimit = 4 << 10

// DrainAndClose reads at most DrainLimit bytes of resp's body and closes it.
// Middlewares call it on every response they drop. A nil resp or body is
// ignored.
func DrainAndClose(resp *http.Response) {
	if resp == nil || resp.Body == nil {
		return
	}
	_, _ = io.CopyN(io.Discard, resp.Body, DrainLimit)
	_ = resp.Body.Close()
}

// CloseRequestBody closes req's body if it has one. Middlewares call it on
// the paths where they fail before handing the request on.
func CloseRequestBody(req *http.Request) {
	if req != nil && req.Body != nil && req.Body != http.NoBody {
		_ = req.Body.Close()
	}
}
