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
	seen    []seenWorker // per worker, for scan
}

// seenWorker is a worker's heartbeat and pauses as the controller last saw
// them change, and when.
type seenWorker struct {
	beat, pauses int64
	at           time.Time
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
	lastProgress := time.Now()
	c.scan(lastProgress)
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
			epoch := c.r.epoch.Add(1)
			if tl != nil {
				tl.sample(epoch)
			}
			if c.r.stop.Load() {
				return nil // ops target reached
			}
			progress, oldest := c.scan(now)
			if progress {
				lastProgress = now
			}
			if now.Sub(lastProgress) >= c.stall && oldest >= c.stall {
				return fmt.Errorf("%w: no operation completed for %s, one in flight as long", ErrStalled, c.stall.Round(time.Millisecond))
			}
		}
	}
}

// scan reads every worker's heartbeat and pauses, at a tick: progress
// says whether any worker completed an operation since the last scan (to
// a tick: a completion in the instant of the tick may be seen at the next
// one), oldest is how long the oldest operation in flight has been seen in
// flight (0 if none is).
func (c *controller) scan(now time.Time) (progress bool, oldest time.Duration) {
	if c.seen == nil {
		c.seen = make([]seenWorker, len(c.workers))
	}
	for i, w := range c.workers {
		beat, pauses := w.beat.Load(), w.pauses.Load()
		s := &c.seen[i]
		switch {
		case beat != s.beat || pauses != s.pauses || s.at.IsZero():
			progress = progress || beat != s.beat
			s.beat, s.pauses, s.at = beat, pauses, now
		case pauses%2 == 0:
			oldest = max(oldest, now.Sub(s.at))
		}
	}
	return progress, oldest
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
		for !w.hasCompleted() {
			if ctx.Err() != nil || time.Now().After(deadline) {
				return false
			}
			time.Sleep(time.Millisecond)
		}
	}
	return true
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
