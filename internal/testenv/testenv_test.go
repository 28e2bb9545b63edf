package testenv

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// fakeT records how a test ended. Like testing.T, Skipf and Fatalf end the
// goroutine they are called on.
type fakeT struct {
	testing.TB // nil: any other method panics
	name       string
	skipped    string
	failed     string
}

func (f *fakeT) Helper()      {}
func (f *fakeT) Name() string { return f.name }
func (f *fakeT) Fatal(args ...any) {
	f.failed = fmt.Sprint(args...)
	runtime.Goexit()
}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (f *fakeT) Skipf(format string, args ...any) {
	f.skipped = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// run calls fn with a fakeT named name, on a goroutine of its own, and
// reports how it ended and what fn returned.
func run(name string, fn func(testing.TB) string) (ft *fakeT, returned string) {
	ft = &fakeT{name: name}
	done := make(chan struct{})
	go func() {
		defer close(done)
		returned = fn(ft)
	}()
	<-done
	return ft, returned
}

const missing = "relay-testenv-no-such-program"

func setEnv(t *testing.T, require string) (skipFile string) {
	t.Helper()
	skipFile = filepath.Join(t.TempDir(), "skipped")
	t.Setenv(RequireExternalEnv, require)
	t.Setenv(SkippedFileEnv, skipFile)
	return skipFile
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func TestNeedProgramFound(t *testing.T) {
	skipFile := setEnv(t, "1")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ft, path := run("TestFound", func(tb testing.TB) string { return NeedProgram(tb, exe, "nothing to install") })
	if ft.skipped != "" || ft.failed != "" || path != exe {
		t.Errorf("NeedProgram(%s) = %q, skipped %q, failed %q; want the path and the test going on", exe, path, ft.skipped, ft.failed)
	}
	if lines := readLines(t, skipFile); lines != nil {
		t.Errorf("a program that is there was recorded as skipped: %q", lines)
	}
}

func TestNeedProgramMissingSkips(t *testing.T) {
	for _, require := range []string{"", "0"} {
		skipFile := setEnv(t, require)
		ft, _ := run("TestThroughIt/sub_test", func(tb testing.TB) string {
			NeedProgram(tb, missing, "apt-get install -y it")
			return "went on"
		})
		if ft.failed != "" || !strings.Contains(ft.skipped, missing) || !strings.Contains(ft.skipped, "apt-get install -y it") {
			t.Errorf("%s=%q: skipped %q, failed %q; want a skip naming the program and its install", RequireExternalEnv, require, ft.skipped, ft.failed)
		}
		want := []string{missing + "\tapt-get install -y it\tTestThroughIt"}
		if diff := cmp.Diff(want, readLines(t, skipFile)); diff != "" {
			t.Errorf("%s=%q: skip file (-want +got):\n%s", RequireExternalEnv, require, diff)
		}
	}
}

func TestNeedProgramMissingFailsWhenRequired(t *testing.T) {
	skipFile := setEnv(t, "1")
	ft, _ := run("TestThroughIt", func(tb testing.TB) string {
		NeedProgram(tb, missing, "apt-get install -y it")
		return "went on"
	})
	if ft.skipped != "" || !strings.Contains(ft.failed, missing) || !strings.Contains(ft.failed, RequireExternalEnv+"=1") ||
		!strings.Contains(ft.failed, "apt-get install -y it") {
		t.Errorf("skipped %q, failed %q; want a failure naming the program, the variable and the install", ft.skipped, ft.failed)
	}
	if lines := readLines(t, skipFile); lines != nil {
		t.Errorf("a failure was recorded as a skip: %q", lines)
	}
}

func TestUnavailableBadSettingsFail(t *testing.T) {
	setEnv(t, "yes")
	if ft, _ := run("TestX", func(tb testing.TB) string { Unavailable(tb, "x", "y", nil); return "" }); ft.failed == "" || ft.skipped != "" {
		t.Errorf("%s=yes: skipped %q, failed %q; want a failure", RequireExternalEnv, ft.skipped, ft.failed)
	}
	t.Setenv(RequireExternalEnv, "")
	t.Setenv(SkippedFileEnv, t.TempDir()) // a folder: the append fails
	if ft, _ := run("TestX", func(tb testing.TB) string { Unavailable(tb, "x", "y", nil); return "" }); ft.failed == "" || ft.skipped != "" {
		t.Errorf("unwritable skip file: skipped %q, failed %q; want a failure, never a silent skip", ft.skipped, ft.failed)
	}
}

// TestSkipFileConcurrentAppends: test binaries of several packages append
// to one file at once; every line must arrive whole.
func TestSkipFileConcurrentAppends(t *testing.T) {
	skipFile := setEnv(t, "")
	var wg sync.WaitGroup
	var want []string
	for i := range 64 {
		name := fmt.Sprintf("Test%02d", i)
		want = append(want, "prog\tinstall it\t"+name)
		wg.Go(func() {
			run(name+"/sub", func(tb testing.TB) string { Unavailable(tb, "prog", "install it", os.ErrNotExist); return "" })
		})
	}
	wg.Wait()
	got := readLines(t, skipFile)
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("skip file after concurrent skips (-want +got):\n%s", diff)
	}
}

func TestFreePort(t *testing.T) {
	port := FreePort(t)
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Fatalf("port %d is not free: %v", port, err)
	}
	l.Close()
}
