package runner

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"lockbench/results"
	"lockbench/workload"
)

// TestETA: the time left is the remaining runs' planned phases (warm-up,
// window, 100 ms of set-up, and a second for an ops-mode window of unknown
// length), scaled by how long the finished runs took against their plan.
func TestETA(t *testing.T) {
	timed := Params{Spec: &workload.Spec{Warmup: 500 * time.Millisecond, Duration: 2 * time.Second}} // 2.6 s
	ops := Params{Spec: &workload.Spec{Ops: 400}}                                                    // 1.1 s
	plan := []Params{timed, ops}
	if got := eta(time.Now(), 0, plan); got != 4*time.Second {
		t.Errorf("nothing done: ETA %s, want 3.7 s rounded, 4s", got)
	}
	// The first run took 10,000 times its plan: the ops run left is
	// 1.1 s × 10,000 = 11,000 s. (The test's own microseconds count for
	// a ten-thousandth of a second or so.)
	began := time.Now().Add(-26_000 * time.Second)
	if got := eta(began, 1, plan); got != 11_000*time.Second {
		t.Errorf("one run done at 10,000× its plan: ETA %s, want %s", got, 11_000*time.Second)
	}
	if got := eta(began, 2, plan); got != 0 {
		t.Errorf("all done: ETA %s", got)
	}
}

// TestPlanOrder: every concurrency × repetition × strategy, strategies
// interleaved within a repetition, repetitions counted from 1 to count;
// no strategies named runs every strategy of the spec's target.
func TestPlanOrder(t *testing.T) {
	s := &workload.Spec{Name: "w", Target: "context", Concurrency: []int{1, 4}, Count: 2}
	sw := &Sweep{Specs: []*workload.Spec{s}, Strategies: []string{"a", "b"}, Options: Options{OutDir: "out"}}
	var got []string
	for _, p := range sw.Plan() {
		got = append(got, fmt.Sprintf("c%d-r%d-%s", p.Concurrency, p.Repetition, p.Strategy))
		if p.Spec != s || p.OutDir != "out" {
			t.Errorf("%s: spec %p, out dir %q", p.Name(), p.Spec, p.OutDir)
		}
	}
	want := []string{"c1-r1-a", "c1-r1-b", "c1-r2-a", "c1-r2-b", "c4-r1-a", "c4-r1-b", "c4-r2-a", "c4-r2-b"}
	if !slices.Equal(got, want) {
		t.Errorf("plan %v, want %v", got, want)
	}
	sw.Strategies = nil
	tgt, err := s.System()
	if err != nil {
		t.Fatal(err)
	}
	names := tgt.StrategyNames()
	if plan := sw.Plan(); len(names) < 2 || len(plan) != 4*len(names) || plan[1].Strategy != names[1] {
		t.Errorf("every strategy of %v: %d runs", names, len(plan))
	}
	s.Target = "no-such-target"
	if plan := sw.Plan(); len(plan) != 0 {
		t.Errorf("a spec of no known target: %d runs", len(plan))
	}
}

// TestSweepReportsProgressAndFailures: progress is reported before each
// run, numbered from 1; a failed run does not stop the sweep, which ends
// with ErrRunsFailed counting the failed runs.
func TestSweepReportsProgressAndFailures(t *testing.T) {
	failing := spec(t, strings.NewReplacer("mix: {manager.update: 3, manager.get: 1}", "mix: {manager.update: 1}",
		"store: memory", "store: sim:errors=1", "ops: 400", "ops: 20").Replace(updateYAML))
	ok := spec(t, strings.Replace(updateYAML, "ops: 400", "ops: 20", 1))
	sw := &Sweep{Specs: []*workload.Spec{failing, ok, failing}, Strategies: []string{"sharded"}, Options: Options{Instrument: true}}
	var events []string
	sw.Progress = func(e ProgressEvent) { events = append(events, fmt.Sprintf("%d/%d", e.Run, e.Runs)) }
	f, err := sw.Run(context.Background())
	if !errors.Is(err, ErrRunsFailed) || err.Error() != ErrRunsFailed.Error()+": 2 of 3" {
		t.Errorf("err %v, want ErrRunsFailed for 2 of 3", err)
	}
	if len(f.Runs) != 3 || f.Runs[1].Status != results.StatusOK || f.Meta.Interrupted {
		t.Errorf("%d runs, the second %q, interrupted %v", len(f.Runs), f.Runs[1].Status, f.Meta.Interrupted)
	}
	if got := strings.Join(events, " "); got != "1/3 2/3 3/3" {
		t.Errorf("progress %s", got)
	}
	sw.Specs = []*workload.Spec{ok}
	if _, err := sw.Run(context.Background()); err != nil {
		t.Errorf("a sweep whose runs all passed: %v", err)
	}
}

// TestSweepInterrupted: a sweep cancelled before its runs is marked
// interrupted, in the file it saved too, and returns context.Canceled.
func TestSweepInterrupted(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sw := &Sweep{Specs: []*workload.Spec{spec(t, updateYAML)}, Strategies: []string{"sharded"}, Options: Options{OutDir: dir}}
	f, err := sw.Run(ctx)
	if !errors.Is(err, context.Canceled) || !f.Meta.Interrupted || len(f.Runs) != 0 {
		t.Errorf("err %v, interrupted %v, %d runs", err, f.Meta.Interrupted, len(f.Runs))
	}
	if disk, err := results.ReadFile(filepath.Join(dir, "results.json")); err != nil || !disk.Meta.Interrupted {
		t.Errorf("saved file: %v", err)
	}
}
