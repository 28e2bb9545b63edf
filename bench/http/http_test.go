package httpbench

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestOperations runs every benchmark's operation once per client, with
// small bodies, and checks what came back, so that `go test ./...` proves
// the benchmarks measure working requests.
func TestOperations(t *testing.T) {
	srv := newServer(t)
	ctx := context.Background()
	bare, tr := bareClient()
	defer tr.CloseIdleConnections()
	s := newSession()
	defer s.CloseIdleConnections()

	t.Run("SmallGET", func(t *testing.T) {
		url := srv.URL + "/small"
		got, err := bareGet(bare, url)
		checkBody(t, "net-http", got, err, hello)
		got, err = relayGet(ctx, s, url)
		checkBody(t, "relay", got, err, hello)
	})

	t.Run("ImageGET", func(t *testing.T) {
		url := srv.URL + "/image"
		got, err := bareGet(bare, url)
		checkBody(t, "net-http", got, err, image)
		got, err = relayGet(ctx, s, url)
		checkBody(t, "relay", got, err, image)
	})

	t.Run("PostJSON", func(t *testing.T) {
		url := srv.URL + "/json"
		want, err := json.Marshal(&samplePayload)
		if err != nil {
			t.Fatal(err)
		}
		got, err := barePostJSON(ctx, bare, url, &samplePayload)
		checkBody(t, "net-http", got, err, want)
		got, err = relayPostJSON(ctx, s, url, &samplePayload)
		checkBody(t, "relay", got, err, want)
	})

	const size = 1<<20 + 123 // more than one server write and client read
	t.Run("Download", func(t *testing.T) {
		url := srv.URL + "/download?n=" + strconv.Itoa(size)
		if n, err := bareDownload(bare, url); err != nil || n != size {
			t.Errorf("net-http: read %d bytes, %v; want %d", n, err, size)
		}
		if n, err := relayDownload(ctx, s, url); err != nil || n != size {
			t.Errorf("relay: read %d bytes, %v; want %d", n, err, size)
		}
	})

	t.Run("Upload", func(t *testing.T) {
		url := srv.URL + "/upload"
		want := []byte(strconv.Itoa(size)) // the server answers what it read
		got, err := bareUpload(ctx, bare, url, size)
		checkBody(t, "net-http", got, err, want)
		got, err = relayUpload(ctx, s, url, size)
		checkBody(t, "relay", got, err, want)
	})
}

func checkBody(t *testing.T, who string, got []byte, err error, want []byte) {
	t.Helper()
	if err != nil {
		t.Errorf("%s: %v", who, err)
		return
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: body %q, want %q", who, got, want)
	}
}
