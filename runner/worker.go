package runner

import (
	"context"
	"sync/atomic"
	"time"

	"lockbench/lock"
	"lockbench/target"
	"lockbench/workload"
)

// worker is one client goroutine's state. It is owned by its goroutine;
// the few fields the controller reads while it runs are atomics.
type worker struct {
	id       int
	client   target.Client
	observer target.Observer // client's, when it records a history; else nil
	gen      *workload.Generator
	trace    lock.Trace
	ctx      context.Context

	// marks counts the worker's operation starts and ends, for the
	// controller: odd while an operation is in flight, completions =
	// marks/2. One counter for both keeps the harness at two atomic adds
	// per operation.
	marks atomic.Int64

	// Counted by the worker, read after it stopped.
	windowOps    int64 // completed inside the measured window
	windowFailed int64 // of which failed (an error that is not an answer)
	windowLatSum int64
	uncounted    int64 // ops mode: window ops not yet added to run.windowN
	drained      int64
	errors       map[string]int64 // recorded ops (window and drained) by error kind
	windowErrors map[string]int64 // failed window ops by error kind
	lateness     []int64          // open loop: pacer lateness samples
	_            [64]byte
}

// maxLatenessSamples bounds each worker's pacer-lateness samples.
const maxLatenessSamples = 4096

// work is one worker's loop. Closed loop, it stops issuing operations when
// the window closes. Open loop, it goes on until the pacer's queue is empty:
// operations scheduled inside the window are part of the window's latency
// even when they start after it (that waiting is what the queue costs).
func (r *run) work(ctx context.Context, w *worker) {
	think := r.spec.ThinkTime
	for ctx.Err() == nil && (r.openLoop || !r.stop.Load()) {
		op, key := w.gen.Next()
		var intended int64
		if r.openLoop {
			var ok bool
			if intended, ok = r.nextStart(ctx, w); !ok {
				return
			}
		}
		r.do(w, op, key, intended)
		if think > 0 {
			sleepFor(think)
		}
	}
}

// nextStart takes the worker's next intended start time from the pacer and
// waits for it; false when the schedule is over.
func (r *run) nextStart(ctx context.Context, w *worker) (int64, bool) {
	idleFrom := r.clock.now()
	var intended int64
	var ok bool
	select {
	case intended, ok = <-r.sched:
	case <-ctx.Done():
	}
	if !ok {
		return 0, false
	}
	if t1 := r.t1.Load(); t1 != 0 && intended >= t1 {
		return 0, false
	}
	if wait := intended - r.clock.now(); wait > 0 {
		sleepFor(time.Duration(wait))
	}
	if idleFrom <= intended && r.t0.Load() != 0 && len(w.lateness) < maxLatenessSamples {
		// The worker was free when the op was due: any delay is the
		// pacer's, not queueing.
		w.lateness = append(w.lateness, r.clock.now()-intended)
	}
	return intended, true
}

// do executes one operation and records it.
func (r *run) do(w *worker, op target.Op, key string, intended int64) {
	start := r.clock.now()
	w.marks.Add(1)
	err := w.client.Do(w.ctx, op, key)
	end := r.clock.now()
	w.marks.Add(1)
	w.trace.Reset()
	if w.observer != nil {
		w.observer.Observe(start, end, err)
	}

	from := start
	if r.openLoop {
		from = intended
	}
	t0 := r.t0.Load()
	if t0 == 0 || end < t0 {
		return // warm-up
	}
	t1 := r.t1.Load()
	if t1 != 0 && from >= t1 {
		return // started after the window closed
	}
	r.rec.record(w.id, int(op), end-from, end-start)
	var kind string
	if err != nil {
		kind = r.tgt.ErrorKindOf(err)
		w.errors[kind]++
	}
	if t1 != 0 && end > t1 {
		w.drained++
		return
	}
	w.windowOps++
	w.windowLatSum += end - from
	if err != nil && !r.answers[kind] {
		w.windowFailed++
		w.windowErrors[kind]++
	}
	if r.target > 0 {
		r.countTowardsTarget(w)
	}
}

// countTowardsTarget counts a window operation towards the ops target.
// Workers add to the shared count in batches, so that they do not contend
// on its cache line at every operation; the window may overshoot the
// target by less than a batch per worker.
func (r *run) countTowardsTarget(w *worker) {
	w.uncounted++
	if w.uncounted < r.targetBatch {
		return
	}
	if r.windowN.Add(w.uncounted) >= r.target {
		r.stop.Store(true)
	}
	w.uncounted = 0
}

// targetBatch is the batch of countTowardsTarget: at most 64, and small
// against each worker's share of the target.
func targetBatch(target int64, workers int) int64 {
	return min(max(target/int64(workers*64), 1), 64)
}

// inFlight reports whether the worker is inside an operation.
func (w *worker) inFlight() bool { return w.marks.Load()%2 == 1 }

// completed is the number of operations the worker completed.
func (w *worker) completed() int64 { return w.marks.Load() / 2 }
