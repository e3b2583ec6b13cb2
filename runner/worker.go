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

	// What the controller's watchdog reads, written so that an operation
	// costs no atomic read-modify-write: beat is one more than the
	// controller's epoch when the worker last completed an operation (0
	// before its first), stored only when the epoch has moved since (about
	// once per timelineInterval); pauses counts the worker's entries into
	// and exits from a pause — think time, waiting for the open loop's next
	// arrival, gone for good — so it is odd while the worker is paused. A
	// worker that is not paused is inside an operation (or in the harness's
	// few nanoseconds between two).
	beat   atomic.Int64
	pauses atomic.Int64
	seen   int64  // the last value the worker stored in beat
	shard  *shard // where it records latencies, bound at its first record

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
	defer r.pause(w)
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
			r.pause(w)
			sleepFor(think)
			w.resume()
		}
	}
}

// nextStart takes the worker's next intended start time from the pacer and
// waits for it; false when the schedule is over.
func (r *run) nextStart(ctx context.Context, w *worker) (int64, bool) {
	idleFrom := r.clock.now()
	r.pause(w)
	defer w.resume()
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
	err := w.client.Do(w.ctx, op, key)
	end := r.clock.now()
	epoch := r.epoch.Load()
	w.heartbeat(epoch)
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
	if w.shard == nil {
		w.shard = r.rec.shardOf(w.id)
	}
	if r.rec.shared {
		w.shard.record(true, epoch, int(op), end-from, end-start)
	} else {
		w.shard.add(epoch, int(op), end-from, end-start)
	}
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

// heartbeat tells the watchdog the worker completed an operation in the
// controller's epoch: a store only when the epoch moved since the last one.
func (w *worker) heartbeat(epoch int64) {
	if b := epoch + 1; b != w.seen {
		w.seen = b
		w.beat.Store(b)
	}
}

// pause marks the worker paused for the watchdog and hands its shard's
// interval counts over to the timeline, which a long pause would otherwise
// hold back.
func (r *run) pause(w *worker) {
	w.pause()
	if w.shard != nil { // nil: it never recorded
		r.rec.handOverPaused(w.shard, r.epoch.Load())
	}
}

// pause and resume bracket a wait outside any operation; pause is also
// the worker's last act, and a paused worker pauses no further.
func (w *worker) pause() {
	if !w.paused() {
		w.pauses.Add(1)
	}
}

func (w *worker) resume() {
	if w.paused() {
		w.pauses.Add(1)
	}
}

func (w *worker) paused() bool { return w.pauses.Load()%2 == 1 }

// inFlight reports whether the worker is inside an operation: it is
// neither paused nor gone.
func (w *worker) inFlight() bool { return !w.paused() }

// hasCompleted reports whether the worker completed an operation.
func (w *worker) hasCompleted() bool { return w.beat.Load() != 0 }
