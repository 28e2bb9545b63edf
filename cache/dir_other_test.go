//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package cache_test

import (
	"testing"

	"github.com/relayhttp/relay/cache"
)

// TestDirUnsupported: without flock, Dir says so rather than run unlocked.
func TestDirUnsupported(t *testing.T) {
	if s, err := cache.Dir(t.TempDir(), 1<<20); err == nil || s != nil {
		t.Errorf("Dir = %v, %v; want an error on a system without flock", s, err)
	}
}
