package charset

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestPeekWaitsOnlyForWhatItNeeds feeds Peek a live stream that sends the
// first bytes and then stalls: Peek must answer from what it has been sent.
func TestPeekWaitsOnlyForWhatItNeeds(t *testing.T) {
	cases := []struct {
		contentType string
		sent        string // all the stream sends before stalling
		want        Result
	}{
		{"text/plain; charset=koi8-r", "abc", Result{"koi8-r", Header, 1}},
		{"text/plain; charset=x-no-such-charset", "abc", Result{"utf-8", UnknownLabel, 0}},
		{"text/event-stream", "abc", Result{"utf-8", MediaTypeDefault, 1}},
		{"application/json", "abc", Result{"utf-8", MediaTypeDefault, 1}},
		{"text/html", "\xEF\xBB\xBF", Result{"utf-8", BOM, 1}},
		{"text/html", `<meta charset="windows-1251">` + strings.Repeat(" ", DefaultPrescanBytes), Result{"windows-1251", Prescan, 1}},
		{"text/html", strings.Repeat(" ", DefaultPrescanBytes), Result{"windows-1252", MediaTypeDefault, 1}},
		{"text/xml", `<?xml version="1.0" encoding="Shift_JIS"?>` + strings.Repeat(" ", DefaultPrescanBytes), Result{"shift_jis", Prescan, 1}},
		{"application/octet-stream", "caf\xc3\xa9" + strings.Repeat("a", DefaultSampleBytes), Result{"utf-8", Guess, 1}},
	}
	for _, c := range cases {
		pr, pw := io.Pipe()
		go func() {
			pw.Write([]byte(c.sent)) // then stall until the reader closes
		}()
		done := make(chan Result, 1)
		go func() { done <- Peek(c.contentType, bufio.NewReaderSize(pr, DefaultSampleBytes+1)) }()
		select {
		case got := <-done:
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("Peek(%q) after %d bytes mismatch (-want +got):\n%s", c.contentType, len(c.sent), diff)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("Peek(%q) still waiting after %d bytes", c.contentType, len(c.sent))
			pr.Close()
			<-done // Peek returns once the pipe is closed
		}
		pr.Close() // ends the writer
	}
}

// TestPeekBoundedPrefix checks that Peek never reads far past SampleBytes,
// however long the body.
func TestPeekBoundedPrefix(t *testing.T) {
	endless := &countingReader{r: iotest.OneByteReader(neverEnding('a'))}
	br := bufio.NewReaderSize(endless, 1<<20)
	if got := Peek("", br); got.Source != Default {
		t.Errorf("Peek of an endless ASCII body = %+v, want Default", got)
	}
	if endless.n > DefaultSampleBytes+1 {
		t.Errorf("Peek read %d bytes, want at most %d", endless.n, DefaultSampleBytes+1)
	}
}

type neverEnding byte

func (b neverEnding) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestPeekLeavesTheBody checks that what Peek looked at is still read.
func TestPeekLeavesTheBody(t *testing.T) {
	body := "<meta charset=koi8-r>\xf0\xd2\xc9\xd7\xc5\xd4"
	br := bufio.NewReaderSize(iotest.HalfReader(strings.NewReader(body)), DefaultSampleBytes+1)
	if got := Peek("text/html", br); got.Name != "koi8-r" {
		t.Errorf("Peek = %+v, want koi8-r", got)
	}
	if rest, _ := io.ReadAll(br); string(rest) != body {
		t.Errorf("after Peek the body reads %q, want %q", rest, body)
	}
}

// TestPeekSampleBoundary: a UTF-8 character cut by the end of the sample is
// not an error in a body that goes on, streamed or not.
func TestPeekSampleBoundary(t *testing.T) {
	body := append(bytes.Repeat([]byte("a"), DefaultSampleBytes-1), "ééé"...)
	want := Result{"utf-8", Guess, 1}
	if got := Determine("application/octet-stream", body); got != want {
		t.Errorf("Determine = %+v, want %+v", got, want)
	}
	for _, size := range []int{DefaultSampleBytes + 1, DefaultSampleBytes} {
		br := bufio.NewReaderSize(bytes.NewReader(body), size)
		if got := Peek("application/octet-stream", br); got != want {
			t.Errorf("Peek with a %d-byte buffer = %+v, want %+v", size, got, want)
		}
	}
}

// peekCase makes failures of FuzzPeek readable.
type peekCase struct {
	contentType string
	content     []byte
	opt         *Options
}

func (c peekCase) String() string {
	return fmt.Sprintf("Peek(%q, %.60q, %+v)", c.contentType, c.content, c.opt)
}

// FuzzPeek checks that Peek over a stream that arrives a byte at a time
// gives what Determine gives for the whole body. Small bounds make every
// stage of Peek reachable with short inputs.
func FuzzPeek(f *testing.F) {
	f.Add("text/html", []byte("<meta charset=\"windows-1251\">\xcf\xf0\xe8"), false)
	f.Add("text/html", []byte("<p>no declaration here, but caf\xe9</p>"), true)
	f.Add("text/xml", []byte("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><a>\x93\xfa</a>"), false)
	f.Add("application/octet-stream", []byte("caf\xc3\xa9 au lait, caf\xc3\xa9 cr\xc3\xa8me"), false)
	f.Add("text/plain; charset=x-no-such-charset", []byte("\xff"), false)
	f.Add("", []byte("\xfe\xff\x00h"), false)
	f.Add("text/plain", []byte("\xf0\xd2\xc9\xd7\xc5\xd4, \xcd\xc9\xd2!"), true)
	f.Fuzz(func(t *testing.T, ct string, b []byte, modern bool) {
		opt := &Options{PrescanBytes: 16, SampleBytes: 32, ModernTextDefault: modern}
		c := peekCase{ct, b, opt}
		want := opt.Determine(ct, b)
		br := bufio.NewReaderSize(iotest.OneByteReader(bytes.NewReader(b)), 33)
		if got := opt.Peek(ct, br); got != want {
			t.Fatalf("%v = %+v, Determine gives %+v", c, got, want)
		}
		if rest, _ := io.ReadAll(br); !bytes.Equal(rest, b) {
			t.Fatalf("%v consumed bytes", c)
		}
	})
}
