package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime/pprof"
	"time"

	"lockbench/internal/safefile"
	"lockbench/store"
)

// ErrStalled: the watchdog abandoned a run.
var ErrStalled = errors.New("runner: run stalled")

// errInterrupted: the run's context was cancelled (a signal).
var errInterrupted = context.Canceled

// controller watches a run's phases: the deadline, ops-mode completion, the
// stall watchdog, interrupts, and the timeline.
type controller struct {
	r       *run
	workers []*worker
	// stall is the watchdog's threshold: no operation completed for this
	// long while one has been in flight as long.
	stall   time.Duration
	allDone chan struct{}
	seen    []seenMarks // per worker, for oldestInFlight
}

// seenMarks is a worker's marks as the controller last saw them change.
type seenMarks struct {
	marks int64
	at    time.Time
}

// stallThreshold is the watchdog's threshold for a run: the configured
// timeout plus the longest a healthy operation may take in the store. A
// stall is an operation that does not return, so the watchdog also asks
// that one has been in flight that long: workers idle in think time or
// waiting for the open loop's next arrival are not stalled, however long
// the gap between completions.
func stallThreshold(timeout time.Duration, s store.Spec) time.Duration {
	longest := s.LongestCall()
	// An operation may make a few store calls one after another (an
	// update and its recovery point).
	const callsPerOp = 4
	return timeout + callsPerOp*longest
}

// wait returns nil when the deadline passed (or the ops target was reached,
// or every worker finished), errInterrupted when ctx was cancelled, or an
// ErrStalled error.
func (c *controller) wait(ctx context.Context, deadline time.Time, tl *timeline) error {
	tick := time.NewTicker(timelineInterval)
	defer tick.Stop()
	var timer <-chan time.Time
	if !deadline.IsZero() {
		t := time.NewTimer(time.Until(deadline))
		defer t.Stop()
		timer = t.C
	}
	lastCount, lastProgress := c.completions(), time.Now()
	for {
		select {
		case <-ctx.Done():
			return errInterrupted
		case <-timer:
			return nil
		case <-c.allDone:
			// Workers also finish when ctx is cancelled: select picks
			// among ready cases at random, so ask ctx which it was.
			if ctx.Err() != nil {
				return errInterrupted
			}
			return nil
		case now := <-tick.C:
			if tl != nil {
				tl.sample()
			}
			if c.r.stop.Load() {
				return nil // ops target reached
			}
			if n := c.completions(); n != lastCount {
				lastCount, lastProgress = n, now
			}
			if oldest := c.oldestInFlight(now); now.Sub(lastProgress) >= c.stall && oldest >= c.stall {
				return fmt.Errorf("%w: no operation completed for %s, one in flight as long", ErrStalled, c.stall.Round(time.Millisecond))
			}
		}
	}
}

// oldestInFlight returns how long the oldest operation in flight has been
// seen in flight (to the tick), 0 if none is. Called at every tick.
func (c *controller) oldestInFlight(now time.Time) time.Duration {
	if c.seen == nil {
		c.seen = make([]seenMarks, len(c.workers))
	}
	var oldest time.Duration
	for i, w := range c.workers {
		m := w.marks.Load()
		if s := &c.seen[i]; m != s.marks || s.at.IsZero() {
			s.marks, s.at = m, now
		} else if m%2 == 1 {
			oldest = max(oldest, now.Sub(s.at))
		}
	}
	return oldest
}

// maxWarmupExtension bounds how long warm-up waits, past its configured
// time, for every worker to complete an operation.
const maxWarmupExtension = 2 * time.Second

// everyWorkerCycled waits, up to limit, until every worker has completed at
// least one operation. Workers start together, so at the end of a short
// warm-up a slow strategy may still be serving the very first operations:
// the operations in flight when the window opens are then younger than in
// the steady state, and the window's figures (Little's law first) read low.
// Closed loop only; it reports whether every worker got there.
func (c *controller) everyWorkerCycled(ctx context.Context, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for _, w := range c.workers {
		for w.completed() == 0 {
			if ctx.Err() != nil || time.Now().After(deadline) {
				return false
			}
			time.Sleep(time.Millisecond)
		}
	}
	return true
}

func (c *controller) completions() int64 {
	var n int64
	for _, w := range c.workers {
		n += w.completed()
	}
	return n
}

// dumpGoroutines writes every goroutine's stack into the run's goroutine
// dump, for a stalled run, and returns its name ("" when none was written).
func dumpGoroutines(p Params) string {
	if p.OutDir == "" {
		return ""
	}
	var buf bytes.Buffer
	if err := pprof.Lookup("goroutine").WriteTo(&buf, 2); err != nil {
		return ""
	}
	name := p.Name() + "-goroutines.txt"
	if err := safefile.WriteFile(filepath.Join(p.OutDir, name), buf.Bytes()); err != nil {
		return ""
	}
	return name
}
