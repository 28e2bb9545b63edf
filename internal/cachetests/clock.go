package cachetests

import (
	"sync"
	"time"
)

// Clock is the time a test runs in. The origin dates its responses by it and
// the subject should judge freshness by it: with the runner's fake clock, a
// test's pause (three seconds in the suite) moves both at once without
// sleeping. A subject that cannot take a clock runs with Options.RealClock.
type Clock interface {
	Now() time.Time
}

// pauseClock is a Clock the runner can move: the suite's pause_after (after
// a response) and response_pause (while the origin holds a response).
type pauseClock interface {
	Clock
	sleep(d time.Duration)
}

// fakeClock starts at the whole second before the real now, so that the
// origin's HTTP dates (whole seconds) and the subject's now agree exactly,
// and moves only when the runner pauses.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Now().Truncate(time.Second)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) sleep(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// RealClock is the wall clock: its Now is time.Now, and the runner really
// sleeps through the suite's pauses. Options.RealClock selects it, for a
// subject that reads time.Now itself.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

func (RealClock) sleep(d time.Duration) { time.Sleep(d) }
