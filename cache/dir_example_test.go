//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package cache_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/relayhttp/relay/cache"
)

// A Dir store keeps entries in files that several processes can share; an
// entry is visible once committed, whole.
func ExampleDir() {
	tmp, err := os.MkdirTemp("", "relay-cache")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	st, err := cache.Dir(filepath.Join(tmp, "http"), 64<<20)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	w, err := st.Create(ctx, "key", []byte("stored headers"), time.Hour)
	if err != nil {
		log.Fatal(err)
	}
	io.WriteString(w, "a body, written as it arrives")
	if err := w.Commit(); err != nil {
		log.Fatal(err)
	}
	meta, body, err := st.Open(ctx, "key")
	if err != nil {
		log.Fatal(err)
	}
	defer body.Close()
	b, _ := io.ReadAll(body)
	fmt.Printf("%s: %s\n", meta, b)
	// Output: stored headers: a body, written as it arrives
}
