package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/results"
	"lockbench/workload"
)

// probe is a strategy (sharded underneath) that counts what the run asks
// of it: trackers built, and manager updates served; onUpdate, when set,
// runs before each update, and createErr fails every create.
type probe struct {
	trackers, updates atomic.Int64
	onUpdate          func()
	createErr         error
}

func registerProbe(t *testing.T, pr *probe) string {
	name := "test-probe-" + strings.ToLower(t.Name())
	base, _ := impl.Lookup("sharded")
	impl.MustRegister(impl.Strategy{Name: name, Description: "test", New: func(d impl.Deps) (*impl.System, error) {
		sys, err := base.New(d)
		if err != nil {
			return nil, err
		}
		sys.Manager = probeManager{sys.Manager, pr}
		newTracker := sys.NewTracker
		sys.NewTracker = func() ctxsys.Tracker { pr.trackers.Add(1); return newTracker() }
		return sys, nil
	}})
	t.Cleanup(func() { impl.Unregister(name) })
	return name
}

type probeManager struct {
	ctxsys.Manager
	pr *probe
}

func (m probeManager) Update(ctx context.Context, id string, st ctxsys.State) error {
	m.pr.updates.Add(1)
	if m.pr.onUpdate != nil {
		m.pr.onUpdate()
	}
	return m.Manager.Update(ctx, id, st)
}

func (m probeManager) Create(ctx context.Context, id string, st ctxsys.State) error {
	if m.pr.createErr != nil {
		return m.pr.createErr
	}
	return m.Manager.Create(ctx, id, st)
}

// TestTrackersSharedOrPerClient: the strategy is built for the run's
// clients, with one tracker each, or one for all when the workload shares
// them.
func TestTrackersSharedOrPerClient(t *testing.T) {
	for trackers, want := range map[string]int64{"per-client": 3, "shared": 1} {
		t.Run(trackers, func(t *testing.T) {
			pr := &probe{}
			s := spec(t, updateYAML+"trackers: "+trackers+"\n")
			if _, err := RunOne(context.Background(), Params{Strategy: registerProbe(t, pr), Spec: s, Concurrency: 3, Repetition: 1}); err != nil {
				t.Fatal(err)
			}
			if got := pr.trackers.Load(); got != want {
				t.Errorf("3 clients: %d trackers built, want %d", got, want)
			}
		})
	}
}

// TestPreloadFailureFailsTheRun: a preload that fails fails the run
// before it measures anything, with the preload's error as the reason.
func TestPreloadFailureFailsTheRun(t *testing.T) {
	boom := errors.New("probe: create refused")
	pr := &probe{createErr: boom}
	res, err := RunOne(context.Background(), Params{Strategy: registerProbe(t, pr), Spec: spec(t, updateYAML), Concurrency: 2, Repetition: 1})
	if !errors.Is(err, boom) || res.Status != results.StatusFailed || !strings.Contains(res.Reason, boom.Error()) {
		t.Errorf("status %q (%s), err %v: want failed by the preload", res.Status, res.Reason, err)
	}
	if res.Ops != 0 || pr.updates.Load() != 0 {
		t.Errorf("%d operations measured, %d updates served after a failed preload", res.Ops, pr.updates.Load())
	}
}

// TestWarmUpIsServedNotMeasured: warm-up runs operations — every worker
// completes one at least — and none of them is counted in the window.
func TestWarmUpIsServedNotMeasured(t *testing.T) {
	pr := &probe{}
	s := spec(t, strings.NewReplacer("mix: {manager.update: 3, manager.get: 1}", "mix: {manager.update: 1}",
		"warmup: 0s", "warmup: 50ms", "ops: 400", "ops: 20", "store: memory", "store: sim:latency=2ms").Replace(updateYAML))
	res, err := RunOne(context.Background(), Params{Strategy: registerProbe(t, pr), Spec: s, Concurrency: 2, Repetition: 1})
	if err != nil {
		t.Fatal(err)
	}
	measured := res.Ops + res.DrainedOps + res.CensoredOps
	if warm := pr.updates.Load() - measured; warm < 2 {
		t.Errorf("%d updates served, %d measured: %d in warm-up, want one a worker at least", pr.updates.Load(), measured, warm)
	}
}

// TestInterruptDuringWarmUp: a signal during warm-up interrupts the run
// there; the measured phase never starts.
func TestInterruptDuringWarmUp(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr := &probe{onUpdate: cancel}
	s := spec(t, strings.Replace(updateYAML, "warmup: 0s", "warmup: 1h", 1))
	res, err := RunOne(ctx, Params{Strategy: registerProbe(t, pr), Spec: s, Concurrency: 2, Repetition: 1})
	if !errors.Is(err, context.Canceled) || res.Status != results.StatusInterrupted || !strings.Contains(res.Reason, "during warm-up") {
		t.Errorf("status %q (%s), err %v: want interrupted during warm-up", res.Status, res.Reason, err)
	}
}

// TestWaitWorkers: the wait for the workers to leave answers at once when
// they have (a zero bound included: a stalled run's release asks so), and
// false when they have not by the bound.
func TestWaitWorkers(t *testing.T) {
	if !(&run{}).waitWorkers(0) {
		t.Error("no worker started: not done")
	}
	left := &run{allDone: make(chan struct{})}
	close(left.allDone)
	for range 100 { // a timer that fired too would be picked half the time
		if !left.waitWorkers(0) || !left.waitWorkers(time.Hour) {
			t.Fatal("workers gone: not done")
		}
	}
	stuck := &run{allDone: make(chan struct{})}
	if stuck.waitWorkers(0) || stuck.waitWorkers(time.Millisecond) {
		t.Error("workers still running: done")
	}
}

// TestRunStatus: how a run that went through every phase ends — ok,
// failed when every one of its operations failed (and only then), or
// interrupted — and how one cut short in a phase ends.
func TestRunStatus(t *testing.T) {
	p := Params{Strategy: "s", Spec: &workload.Spec{Name: "w"}, Concurrency: 1, Repetition: 1}
	for _, tc := range []struct {
		ops, failed int64
		interrupted bool
		status      string
		err         error
	}{
		{ops: 0, status: results.StatusOK},
		{ops: 5, failed: 4, status: results.StatusOK},
		{ops: 5, failed: 5, status: results.StatusFailed, err: ErrAllFailed},
		{ops: 5, failed: 5, interrupted: true, status: results.StatusInterrupted, err: context.Canceled},
	} {
		r := newRun(p)
		r.res.Ops, r.res.FailedOps, r.interrupted = tc.ops, tc.failed, tc.interrupted
		res, err := r.result()
		if res.Status != tc.status || !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
			t.Errorf("%d of %d failed, interrupted %v: status %q, err %v; want %q, %v", tc.failed, tc.ops, tc.interrupted, res.Status, err, tc.status, tc.err)
		}
	}

	cut, cancel := context.WithCancel(context.Background())
	cancel()
	boom := errors.New("boom")
	for _, tc := range []struct {
		ctx    context.Context
		err    error
		status string
		want   error
		reason string
	}{
		{context.Background(), boom, results.StatusFailed, boom, "boom"},
		{cut, boom, results.StatusInterrupted, context.Canceled, "interrupted by signal during preload, before the measured phase"},
		{cut, fmt.Errorf("%w: no operation completed", ErrStalled), results.StatusFailed, ErrStalled, "run stalled: no operation completed"},
	} {
		r := newRun(p)
		r.phase = phasePreload
		res, err := r.abort(tc.ctx, tc.err)
		if res.Status != tc.status || !errors.Is(err, tc.want) || !strings.Contains(res.Reason, tc.reason) {
			t.Errorf("abort(%v): status %q (%s), err %v; want %q (%s), %v", tc.err, res.Status, res.Reason, err, tc.status, tc.reason, tc.want)
		}
	}
}
