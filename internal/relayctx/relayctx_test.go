package relayctx

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type (
	relayKey struct{ KeyBase }
	otherKey struct{ KeyBase }
	userKey  struct{}
)

// counting is a caller's context that counts the lookups reaching it.
type counting struct {
	context.Context
	n int
}

func (c *counting) Value(key any) any {
	c.n++
	return c.Context.Value(key)
}

// deep returns a caller's context of depth values over a counting one.
func deep(depth int) (context.Context, *counting) {
	c := &counting{Context: context.Background()}
	var ctx context.Context = c
	for i := range depth {
		ctx = context.WithValue(ctx, userKey{}, i)
	}
	return ctx, c
}

func TestWithValue(t *testing.T) {
	ctx := context.WithValue(context.Background(), userKey{}, "mine")
	ctx = WithValue(ctx, relayKey{}, 42)
	if got := ctx.Value(relayKey{}); got != 42 {
		t.Errorf("Value(relayKey) = %v, want 42", got)
	}
	if got := ctx.Value(otherKey{}); got != nil {
		t.Errorf("Value(otherKey) = %v, want nil", got)
	}
	if got := ctx.Value(userKey{}); got != "mine" {
		t.Errorf("the caller's value = %v, want mine", got)
	}
	if ctx.Value(marker{}) == nil {
		t.Error("a relay value does not answer the marker")
	}
	inner := WithValue(ctx, relayKey{}, 43)
	if got := inner.Value(relayKey{}); got != 43 {
		t.Errorf("the newer value = %v, want 43", got)
	}
	if !strings.Contains(inner.(interface{ String() string }).String(), "relayctx.WithValue") {
		t.Errorf("String() = %q", inner)
	}
	defer func() {
		if recover() == nil {
			t.Error("a nil parent did not panic")
		}
	}()
	WithValue(nil, relayKey{}, 1) //nolint:staticcheck // the point of the test
}

// TestScopeStopsRelayLookups is the reason for the package: behind Scope a
// relay key costs no walk of the caller's context, and everything else is
// the caller's context unchanged.
func TestScopeStopsRelayLookups(t *testing.T) {
	caller, c := deep(16)
	ctx := Scope(caller)
	if ctx == caller {
		t.Fatal("Scope returned a context without relay values unbounded")
	}
	c.n = 0
	for range 10 {
		if ctx.Value(relayKey{}) != nil || ctx.Value(otherKey{}) != nil {
			t.Fatal("a relay key has a value behind the boundary")
		}
	}
	if c.n != 0 {
		t.Errorf("relay lookups reached the caller's context %d times, want 0", c.n)
	}
	if got := ctx.Value(userKey{}); got != 15 {
		t.Errorf("the caller's value = %v, want 15", got)
	}
	if c.n != 0 {
		t.Errorf("a value above the counting context took %d lookups into it", c.n)
	}
	if ctx.Value("absent") != nil || c.n != 1 {
		t.Errorf("an absent caller's key: %d lookups reached the bottom, want 1", c.n)
	}
	// Values set on top are found; the boundary stays below them.
	top := WithValue(ctx, relayKey{}, "top")
	if got := top.Value(relayKey{}); got != "top" {
		t.Errorf("a relay value over the boundary = %v, want top", got)
	}
}

func TestScopeKeepsRelayValues(t *testing.T) {
	ctx := WithValue(context.Background(), relayKey{}, "set by the caller")
	for i := range 5 {
		ctx = context.WithValue(ctx, userKey{}, i)
	}
	if got := Scope(ctx); got != ctx {
		t.Errorf("Scope(%v) = %v: a context holding a relay value must be returned as it is", ctx, got)
	}
	if got := Scope(ctx).Value(relayKey{}); got != "set by the caller" {
		t.Errorf("the caller's relay value = %v", got)
	}
}

func TestScopeShortcuts(t *testing.T) {
	for _, ctx := range []context.Context{context.Background(), context.TODO()} {
		if got := Scope(ctx); got != ctx {
			t.Errorf("Scope(%v) = %v, want it as it is", ctx, got)
		}
	}
	caller, _ := deep(3)
	once := Scope(caller)
	if twice := Scope(once); twice != once {
		t.Error("Scope of a scoped context made a second boundary")
	}
}

// TestScopeCancellation checks that the boundary is the caller's context for
// deadlines and cancellation, and that a context derived from it is
// cancelled with the caller's without a goroutine of its own (goleak in
// TestMain catches one left behind).
func TestScopeCancellation(t *testing.T) {
	caller, _ := deep(4)
	caller, cancel := context.WithTimeout(caller, time.Hour)
	ctx := Scope(caller)
	if d, ok := ctx.Deadline(); !ok || time.Until(d) < 59*time.Minute {
		t.Errorf("Deadline() = %v, %v: not the caller's", d, ok)
	}
	child, stop := context.WithCancel(WithValue(ctx, relayKey{}, 1))
	defer stop()
	cancel()
	select {
	case <-child.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the derived context was not cancelled with the caller's")
	}
	if !errors.Is(ctx.Err(), context.Canceled) || !errors.Is(context.Cause(child), context.Canceled) {
		t.Errorf("Err() = %v, Cause = %v", ctx.Err(), context.Cause(child))
	}
}

// TestNoPlainWithValue holds the tree to the package's rule: relay's
// context values are set with WithValue, so that Scope's one lookup finds
// any of them. A relay key set with context.WithValue would be hidden by a
// boundary.
func TestNoPlainWithValue(t *testing.T) {
	root := filepath.Join("..", "..")
	var bad []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "bench", "examples", "testdata", ".git":
				return filepath.SkipDir // other modules, and callers' code
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), "context.WithValue(") {
			bad = append(bad, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) > 0 {
		t.Errorf("context.WithValue in %v: set relay's context values with relayctx.WithValue", bad)
	}
}

func TestHolds(t *testing.T) {
	caller, _ := deep(3)
	cases := map[string]struct {
		ctx  context.Context
		want bool
	}{
		"Background":                     {context.Background(), false},
		"a caller's values":              {caller, false},
		"scoped":                         {Scope(caller), false},
		"a relay value":                  {WithValue(caller, relayKey{}, 1), true},
		"a relay value under a caller's": {context.WithValue(WithValue(context.Background(), relayKey{}, 1), userKey{}, 2), true},
		"a relay value over a boundary":  {WithValue(Scope(caller), otherKey{}, 1), true},
	}
	for name, c := range cases {
		if got := Holds(c.ctx); got != c.want {
			t.Errorf("%s: Holds = %v, want %v", name, got, c.want)
		}
	}
}
