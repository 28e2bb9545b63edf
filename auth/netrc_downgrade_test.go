package auth

import (
	"net/http"
	"testing"
)

// TestNetrcNotSentAfterDowngrade: SECURITY.md — an https → http downgrade
// strips credentials, netrc entries included.
func TestNetrcNotSentAfterDowngrade(t *testing.T) {
	first, _ := http.NewRequest("GET", "https://a.test/", nil)
	hop, _ := http.NewRequest("GET", "http://a.test/", nil)
	hop.Response = &http.Response{Request: first}
	if !returned(hop) {
		t.Error("a netrc entry would be sent in clear text after an https → http downgrade")
	}
	up, _ := http.NewRequest("GET", "https://a.test/", nil)
	plain, _ := http.NewRequest("GET", "http://a.test/", nil)
	up.Response = &http.Response{Request: plain}
	if returned(up) {
		t.Error("an http → https upgrade on the same host must keep the entry")
	}
}
