package charset

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/relayhttp/relay/internal/testenv"
)

// binarySample is content that is not text, as a response body without a
// charset may be.
type binarySample struct {
	name    string
	content []byte
}

// noise returns n bytes of xorshift noise, the same on every run.
func noise(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

func binarySamples(t *testing.T) []binarySample {
	t.Helper()
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	_, _ = w.Write(legacyText(t))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), noise(8<<10)...)
	return []binarySample{
		{"noise 1 KiB", noise(1 << 10)},
		{"noise 1 MiB", noise(1 << 20)},
		{"png", png},
		{"gzip", gz.Bytes()},
	}
}

// legacyText is windows-1251 text from the corpus, about 4 KiB of it.
func legacyText(t *testing.T) []byte {
	t.Helper()
	dir := filepath.Join("testdata", "corpus", "windows-1251")
	names, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no corpus in %s: %v", dir, err)
	}
	sort.Strings(names)
	var b []byte
	for _, n := range names {
		c, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, c...)
	}
	return b[:min(len(b), 4<<10)]
}

// withStrayControls is legacyText with a control byte every 500 bytes: text
// someone damaged, not binary.
func withStrayControls(t *testing.T) []byte {
	b := bytes.Clone(legacyText(t))
	for i := 100; i < len(b); i += 500 {
		b[i] = 0x01
	}
	return b
}

func TestGuessSkipsBinary(t *testing.T) {
	for _, s := range binarySamples(t) {
		for _, ct := range []string{"", "application/octet-stream", "image/png"} {
			got := Determine(ct, s.content)
			if want := (Result{Name: "utf-8", Source: Default}); got != want {
				t.Errorf("%s as %q: %+v, want %+v", s.name, ct, got, want)
			}
		}
	}
}

func TestGuessToleratesStrayControls(t *testing.T) {
	got := Determine("application/octet-stream", withStrayControls(t))
	if got.Name != "windows-1251" || got.Source != Guess {
		t.Errorf("windows-1251 text with stray controls: %+v, want a windows-1251 guess", got)
	}
}

func TestLooksBinary(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"", false},
		{"plain text\r\n\tindented\f\x1b$B", false}, // TAB, LF, FF, CR, ESC are text
		{"\x00", true},
		{"\x01" + strings.Repeat("a", 31), false}, // one in 32
		{"\x01" + strings.Repeat("a", 29), true},  // one in 30
		{"\x7f\x80\xff", false},
	} {
		if got := looksBinary([]byte(tc.in)); got != tc.want {
			t.Errorf("looksBinary(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// FuzzLooksBinary checks looksBinary, which reads eight bytes at a time,
// against the plain count it stands for.
func FuzzLooksBinary(f *testing.F) {
	f.Add([]byte("plain text\r\n\tindented\f\x1b$B"))
	f.Add(noise(100))
	f.Add([]byte("\x01" + strings.Repeat("a", 31)))
	f.Add([]byte("\xff\x1f\x80\x00\x7f\x20\x19\x1b\x0b"))
	f.Fuzz(func(t *testing.T, b []byte) {
		n := 0
		for _, c := range b {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r' && c != 0x1b {
				n++
			}
		}
		if want := n*binaryShare > len(b); looksBinary(b) != want {
			t.Fatalf("looksBinary(%q) = %v, want %v (%d of %d bytes)", b, !want, want, n, len(b))
		}
	})
}

// TestBinaryMatchesCharsetNormalizer checks the samples above against
// charset_normalizer, which Python Requests' apparent_encoding asks: it
// finds no encoding for the binary ones, so Requests decodes them as UTF-8,
// as relay's Default does, and finds the damaged text's. The tests above are
// its in-process twin.
func TestBinaryMatchesCharsetNormalizer(t *testing.T) {
	python := testenv.NeedProgram(t, "python3", "apt-get install -y python3")
	if out, err := exec.Command(python, "-c", "import charset_normalizer").CombinedOutput(); err != nil {
		testenv.Unavailable(t, "python3 module charset_normalizer",
			"pip install charset-normalizer, or apt-get install -y python3-charset-normalizer", errorOutput(err, out))
	}
	dir := t.TempDir()
	samples := append(binarySamples(t), binarySample{"damaged text", withStrayControls(t)})
	args := []string{filepath.Join("testdata", "normalizer_best.py")}
	for i, s := range samples {
		p := filepath.Join(dir, string(rune('a'+i)))
		if err := os.WriteFile(p, s.content, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, python, args...).Output()
	if err != nil {
		t.Fatalf("charset_normalizer: %v", err)
	}
	var py struct {
		Version string    `json:"version"`
		Best    []*string `json:"best"`
	}
	if err := json.Unmarshal(out, &py); err != nil || len(py.Best) != len(samples) {
		t.Fatalf("charset_normalizer's output %q: %v", out, err)
	}
	t.Logf("compared with charset_normalizer %s", py.Version)
	for i, s := range samples {
		binary := i < len(samples)-1
		got := Determine("application/octet-stream", s.content)
		switch {
		case binary && py.Best[i] != nil:
			t.Errorf("%s: charset_normalizer finds %s; the samples should be binary to it", s.name, *py.Best[i])
		case binary && got.Source != Default:
			t.Errorf("%s: relay %+v, charset_normalizer none", s.name, got)
		case !binary && (py.Best[i] == nil || *py.Best[i] != "cp1251" || got.Name != "windows-1251"):
			t.Errorf("%s: relay %+v, charset_normalizer %v; want windows-1251 from both", s.name, got, py.Best[i])
		}
	}
}

// errorOutput is err with the last line of a command's output.
func errorOutput(err error, out []byte) error {
	lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	return fmt.Errorf("%w: %s", err, lines[len(lines)-1])
}
