package runner

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/target"
)

type clientFunc func(ctx context.Context, op target.Op, key string) error

func (f clientFunc) Do(ctx context.Context, op target.Op, key string) error { return f(ctx, op, key) }

// TestDoSortsOperationsByWindow: an operation is counted by when it
// happened against the measured window: not at all in warm-up (it ended
// before the window) or when it started after the window closed; as a
// window operation when it ended inside; as drained (in the latency, not
// in the window's counts) when it ended after the close. Failures are
// window failures only when not answers; every recorded error is counted
// by kind.
func TestDoSortsOperationsByWindow(t *testing.T) {
	errBoom := errors.New("boom")
	type counts struct{ recorded, window, failed, drained, errors int64 }
	for _, tc := range []struct {
		name     string
		openLoop bool
		t0, t1   func(now int64) int64 // the window, from the clock before the operation
		intended func(now int64) int64 // open loop
		err      error
		closeIn  bool // the window closes during the operation
		want     counts
	}{
		{name: "warm-up", t0: func(int64) int64 { return 0 }, err: errBoom},
		{name: "ended before the window", t0: func(n int64) int64 { return n + int64(time.Hour) }, err: errBoom},
		{name: "in the window", t0: past, want: counts{recorded: 1, window: 1}},
		{name: "failed", t0: past, err: errBoom, want: counts{recorded: 1, window: 1, failed: 1, errors: 1}},
		{name: "answer", t0: past, err: errAnswer, want: counts{recorded: 1, window: 1, errors: 1}},
		{name: "started after the close", t0: past, t1: func(n int64) int64 { return n }, err: errBoom},
		{name: "ended after the close", t0: past, closeIn: true, err: errBoom, want: counts{recorded: 1, drained: 1, errors: 1}},
		{name: "open loop: due before the close, started after", openLoop: true, t0: past, t1: func(n int64) int64 { return n },
			intended: func(n int64) int64 { return n - 1000 }, want: counts{recorded: 1, drained: 1}},
		{name: "open loop: late", openLoop: true, t0: past,
			intended: func(n int64) int64 { return n - int64(5*time.Millisecond) }, want: counts{recorded: 1, window: 1}},
		{name: "open loop: due after the close", openLoop: true, t0: past, t1: func(n int64) int64 { return n },
			intended: func(n int64) int64 { return n }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &run{clock: newClock(), openLoop: tc.openLoop, rec: newRecorder(1, 1, tc.openLoop),
				tgt: &target.Target{ErrorKind: kindOf}, answers: map[string]bool{"answer": true}}
			r.clock.epoch -= int64(time.Second) // readings well above 0, which means "not set"
			w := &worker{errors: map[string]int64{}, windowErrors: map[string]int64{}}
			w.client = clientFunc(func(context.Context, target.Op, string) error {
				if tc.closeIn {
					r.t1.Store(r.clock.now())
					time.Sleep(time.Microsecond) // the operation ends after the close
				}
				return tc.err
			})
			now := r.clock.now()
			r.t0.Store(tc.t0(now))
			if tc.t1 != nil {
				r.t1.Store(tc.t1(now))
			}
			intended := int64(0)
			if tc.intended != nil {
				intended = tc.intended(now)
			}
			r.do(w, 0, "k", intended)
			lat, _ := r.rec.merged(func(int) string { return "op" })
			var errs int64
			for _, n := range w.errors {
				errs += n
			}
			got := counts{recorded: lat["all"].Count, window: w.windowOps, failed: w.windowFailed, drained: w.drained, errors: errs}
			if got != tc.want {
				t.Errorf("counted %+v, want %+v", got, tc.want)
			}
			if w.windowFailed != w.windowErrors["error"]+w.windowErrors["answer"] || w.windowErrors["answer"] != 0 {
				t.Errorf("window failures by kind %v, failed %d", w.windowErrors, w.windowFailed)
			}
			// Latency runs from the start (closed loop) or from when the
			// operation was due (open loop) to the end.
			from := now
			if tc.openLoop {
				from = intended
			}
			if after := r.clock.now(); got.window == 1 && (w.windowLatSum < now-from || w.windowLatSum > after-from) {
				t.Errorf("window latency sum %d, want between %d and %d", w.windowLatSum, now-from, after-from)
			}
			// The histogram holds the same latency, to its precision (and
			// above its floor, so only the late open-loop case).
			if max, after := float64(lat["all"].MaxNs), r.clock.now(); now-from >= int64(time.Millisecond) &&
				(max < 0.99*float64(now-from) || max > 1.01*float64(after-from)) {
				t.Errorf("recorded latency %v ns, want between %d and %d", max, now-from, after-from)
			}
			// Open loop, the service time runs from the start, not from
			// when the operation was due.
			if _, svc := r.rec.merged(func(int) string { return "op" }); tc.openLoop && got.recorded == 1 {
				if s, after := svc["all"], r.clock.now(); s.Count != 1 || float64(s.MaxNs) > 1.01*float64(after-now) {
					t.Errorf("service time %d ns (%d recorded), want at most the %d ns the call took", s.MaxNs, s.Count, after-now)
				}
			}
			if !w.hasCompleted() || w.beat.Load() != 1 {
				t.Errorf("heartbeat %d after one operation in epoch 0, want 1", w.beat.Load())
			}
		})
	}
}

// past is a window start before the operation.
func past(now int64) int64 { return now - 1000 }

func kindOf(err error) string {
	if err == errAnswer {
		return "answer"
	}
	return "error"
}

// errAnswer is an error whose kind, "answer", the test target counts as an
// answer, not a failure.
var errAnswer = errors.New("answer")

// TestOpsTarget: ops mode ends the phase once the window's completions,
// added in batches, reach the target — not before, and not one batch late.
func TestOpsTarget(t *testing.T) {
	for _, tc := range []struct {
		target  int64
		workers int
		want    int64
	}{{400, 4, 1}, {5000, 4, 19}, {10_000, 2, 64}, {1e9, 1, 64}, {10, 64, 1}} {
		if got := targetBatch(tc.target, tc.workers); got != tc.want {
			t.Errorf("targetBatch(%d, %d) = %d, want %d", tc.target, tc.workers, got, tc.want)
		}
	}
	r := &run{target: 9, targetBatch: 3}
	w := &worker{}
	for i := int64(1); i <= 9; i++ {
		r.countTowardsTarget(w)
		if want := i / 3 * 3; r.windowN.Load() != want {
			t.Fatalf("after %d operations the shared count is %d, want %d (batches of 3)", i, r.windowN.Load(), want)
		}
		if stop := r.stop.Load(); stop != (i == 9) {
			t.Fatalf("after %d of 9 operations stop = %v", i, stop)
		}
	}
}

// TestHeartbeat: a worker stores its heartbeat when it completes its first
// operation and then only when the controller's epoch moved; its pauses
// nest no deeper than one, and a worker is in flight exactly when it is
// not paused.
func TestHeartbeat(t *testing.T) {
	w := &worker{}
	if w.hasCompleted() || !w.inFlight() {
		t.Fatalf("a new worker: completed %v, in flight %v; want false, true", w.hasCompleted(), w.inFlight())
	}
	w.heartbeat(0)
	if !w.hasCompleted() || w.beat.Load() != 1 {
		t.Fatalf("after a completion in epoch 0: beat %d, want 1", w.beat.Load())
	}
	w.beat.Store(-7) // what a store would overwrite
	w.heartbeat(0)
	if w.beat.Load() != -7 {
		t.Errorf("a second completion in the same epoch stored its heartbeat again")
	}
	w.heartbeat(3)
	if w.beat.Load() != 4 {
		t.Errorf("a completion in epoch 3: beat %d, want 4", w.beat.Load())
	}
	w.pause()
	w.pause()
	if w.inFlight() || w.pauses.Load() != 1 {
		t.Errorf("paused twice: in flight %v, pauses %d; want false, 1", w.inFlight(), w.pauses.Load())
	}
	w.resume()
	w.resume()
	if !w.inFlight() || w.pauses.Load() != 2 {
		t.Errorf("resumed twice: in flight %v, pauses %d; want true, 2", w.inFlight(), w.pauses.Load())
	}
}

// TestScan: the watchdog sees progress when a heartbeat changed, and an
// operation in flight for as long as a worker that is not paused shows
// no change; a paused worker is never in flight.
func TestScan(t *testing.T) {
	busy, idle := &worker{}, &worker{}
	idle.pause()
	c := &controller{workers: []*worker{busy, idle}}
	t0 := time.Unix(1000, 0)
	if progress, oldest := c.scan(t0); progress || oldest != 0 {
		t.Errorf("first scan: progress %v, oldest %v; want false, 0", progress, oldest)
	}
	if progress, oldest := c.scan(t0.Add(3 * time.Second)); progress || oldest != 3*time.Second {
		t.Errorf("busy for 3s: progress %v, oldest %v; want false, 3s", progress, oldest)
	}
	busy.heartbeat(5)
	if progress, oldest := c.scan(t0.Add(4 * time.Second)); !progress || oldest != 0 {
		t.Errorf("after a completion: progress %v, oldest %v; want true, 0", progress, oldest)
	}
	busy.pause() // think time: no operation in flight, however long
	c.scan(t0.Add(5 * time.Second))
	if progress, oldest := c.scan(t0.Add(60 * time.Second)); progress || oldest != 0 {
		t.Errorf("paused: progress %v, oldest %v; want false, 0", progress, oldest)
	}
	busy.resume() // the next operation starts: its age counts from here
	c.scan(t0.Add(61 * time.Second))
	if _, oldest := c.scan(t0.Add(63 * time.Second)); oldest != 2*time.Second {
		t.Errorf("2s into the operation after a pause: oldest %v, want 2s", oldest)
	}
}

// TestCensoredOperation: an operation still in flight at the drain bound
// is censored — counted as such, exactly once, and the run is not taken
// as quiescent (its consistency is not checked on a store still being
// written).
func TestCensoredOperation(t *testing.T) {
	name := "test-one-stuck-" + strings.ToLower(t.Name())
	release := make(chan struct{})
	defer close(release)
	var once sync.Once
	base, _ := impl.Lookup("sharded")
	impl.MustRegister(impl.Strategy{Name: name, Description: "test", New: func(d impl.Deps) (*impl.System, error) {
		sys, err := base.New(d)
		if err != nil {
			return nil, err
		}
		sys.Manager = firstUpdateStuck{sys.Manager, release, &once}
		return sys, nil
	}})
	t.Cleanup(func() { impl.Unregister(name) })
	res, err := RunOne(context.Background(), Params{Strategy: name, Spec: spec(t, updateYAML), Concurrency: 4, Repetition: 1,
		Options: Options{Instrument: true, DrainTimeout: 50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	if res.CensoredOps != 1 {
		t.Errorf("censored %d, want the one stuck update", res.CensoredOps)
	}
	if res.Consistency.Checked {
		t.Error("consistency checked while an update was still in flight")
	}
}

// firstUpdateStuck blocks the first Update until release is closed.
type firstUpdateStuck struct {
	ctxsys.Manager
	release chan struct{}
	once    *sync.Once
}

func (m firstUpdateStuck) Update(ctx context.Context, id string, st ctxsys.State) error {
	stuck := false
	m.once.Do(func() { stuck = true })
	if stuck {
		<-m.release
		return nil
	}
	return m.Manager.Update(ctx, id, st)
}

// TestNextStart: an open-loop worker takes the next due time and waits for
// it; the schedule ends when the pacer closes it or a due time falls at or
// after the window's close. Pacer lateness is sampled only in the window,
// only when the worker was free before the operation was due (otherwise
// the delay is queueing, which latency already shows), and only up to
// maxLatenessSamples.
func TestNextStart(t *testing.T) {
	r := &run{clock: newClock(), openLoop: true, sched: make(chan int64, 8)}
	r.clock.epoch -= int64(time.Second)
	w := &worker{}
	now := r.clock.now()

	r.sched <- now - int64(time.Millisecond) // due before the worker was free
	if got, ok := r.nextStart(context.Background(), w); !ok || got != now-int64(time.Millisecond) || len(w.lateness) != 0 {
		t.Fatalf("in warm-up, overdue: %d %v, lateness %v", got, ok, w.lateness)
	}
	r.t0.Store(now)
	r.sched <- now - int64(time.Millisecond)
	if _, ok := r.nextStart(context.Background(), w); !ok || len(w.lateness) != 0 {
		t.Fatalf("overdue op: lateness %v, want none sampled (queueing)", w.lateness)
	}
	due := r.clock.now() + int64(2*time.Millisecond)
	r.sched <- due
	if got, ok := r.nextStart(context.Background(), w); !ok || got != due {
		t.Fatalf("future op: %d %v, want %d", got, ok, due)
	}
	if after := r.clock.now(); after < due || len(w.lateness) != 1 || w.lateness[0] < 0 || w.lateness[0] > after-due {
		t.Fatalf("future op: returned %d ns before it was due, lateness %v", due-after, w.lateness)
	}
	w.lateness = make([]int64, maxLatenessSamples)
	r.sched <- r.clock.now() + int64(time.Millisecond)
	if _, ok := r.nextStart(context.Background(), w); !ok || len(w.lateness) != maxLatenessSamples {
		t.Fatalf("%d lateness samples, want at most %d", len(w.lateness), maxLatenessSamples)
	}
	r.t1.Store(r.clock.now() + int64(time.Hour))
	r.sched <- r.t1.Load()
	if _, ok := r.nextStart(context.Background(), w); ok {
		t.Fatal("an op due at the window's close was started")
	}
	close(r.sched)
	if _, ok := r.nextStart(context.Background(), w); ok {
		t.Fatal("the schedule is over, yet an op was started")
	}
}

// TestNextStartSleepsUntilDue: an open-loop worker sleeps until its
// operation is due — the time left, no more — and not at all for one
// overdue. (Sleeps are recorded, not slept.)
func TestNextStartSleepsUntilDue(t *testing.T) {
	var slept []time.Duration
	defer func(sleep func(time.Duration)) { sleepFor = sleep }(sleepFor)
	sleepFor = func(d time.Duration) { slept = append(slept, d) }
	r := &run{clock: newClock(), openLoop: true, sched: make(chan int64, 1)}
	r.clock.epoch -= int64(time.Second)
	w := &worker{}
	r.sched <- r.clock.now() - int64(time.Millisecond)
	if _, ok := r.nextStart(context.Background(), w); !ok || len(slept) != 0 {
		t.Fatalf("an overdue op: slept %v", slept)
	}
	due := r.clock.now() + int64(time.Hour)
	r.sched <- due
	before := r.clock.now()
	if _, ok := r.nextStart(context.Background(), w); !ok {
		t.Fatal("no op")
	}
	after := r.clock.now()
	if len(slept) != 1 || slept[0] > time.Duration(due-before) || slept[0] < time.Duration(due-after) {
		t.Errorf("an op due in an hour: slept %v, want one sleep of an hour less the time taken", slept)
	}
}
