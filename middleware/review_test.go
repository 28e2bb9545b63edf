package middleware

import (
	"strings"
	"testing"
)

// A password that url.Parse reads as a port and a path, a query or a
// fragment (it was not percent-encoded) must not reach the error either.
func TestProxyErrorsHideOddPasswords(t *testing.T) {
	for _, raw := range []string{
		"http://u:4711/hunter2@p.test:3128",
		"http://u:4711?hunter2@p.test:3128",
		"http://u:4711#hunter2@p.test:3128",
		"http://u:4711hunter2@p.test:3128/x",
		"http://u:123456/hunter2@p.test",
	} {
		_, err := ParseProxyURL(raw)
		if err == nil {
			t.Errorf("ParseProxyURL(%q) accepted it", raw)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "4711") || strings.Contains(err.Error(), "123456") {
			t.Errorf("ParseProxyURL(%q): error %q shows the password", raw, err)
		}
	}
	for _, key := range []string{"http://u:hunter2@p.test", "u:hunter2@p.test:3128", "all://u:hunter2@p.test:1/"} {
		_, err := NewProxySelector(ProxyConfig{Proxies: map[string]string{key: "http://p.test:1"}})
		if err == nil {
			t.Errorf("key %q accepted", key)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("key %q: error %q shows the password", key, err)
		}
	}
}
