package runner

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"lockbench/ctxsys"
	"lockbench/impl"
	_ "lockbench/impl/all"
	"lockbench/results"
	"lockbench/store"
	"lockbench/workload"
)

// storeSpec parses a store spec the test knows to be good.
func storeSpec(t *testing.T, spec string) store.Spec {
	t.Helper()
	s, err := store.ParseSpec(spec)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// spec builds a validated workload from YAML for a test.
func spec(t *testing.T, yaml string) *workload.Spec {
	t.Helper()
	s, err := workload.Parse([]byte(yaml), t.Name()+".yaml")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const updateYAML = `
name: t-update
description: test
mix: {manager.update: 3, manager.get: 1}
keys: 16
preload: 16
concurrency: [4]
ops: 400
warmup: 0s
count: 1
store: memory
`

func TestRunOneCountsAndFields(t *testing.T) {
	for _, strategy := range []string{"naive", "refactored", "sharded"} {
		t.Run(strategy, func(t *testing.T) {
			s := spec(t, updateYAML)
			res, err := RunOne(context.Background(), Params{Strategy: strategy, Spec: s, Concurrency: 4, Repetition: 1, Options: Options{Instrument: true}})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != results.StatusOK {
				t.Fatalf("status %q: %s", res.Status, res.Reason)
			}
			if res.Ops < 400 {
				t.Errorf("ops = %d, want >= 400 (ops mode)", res.Ops)
			}
			all := res.Latency["all"]
			if all.Count != res.Ops+res.DrainedOps {
				t.Errorf("latency count %d != ops %d + drained %d", all.Count, res.Ops, res.DrainedOps)
			}
			var perOp int64
			for name, l := range res.Latency {
				if name != "all" {
					perOp += l.Count
				}
			}
			if perOp != all.Count {
				t.Errorf("per-op counts sum to %d, all = %d", perOp, all.Count)
			}
			for _, op := range []string{"manager.update", "manager.get"} {
				if res.Latency[op].Count == 0 {
					t.Errorf("no latency for %s", op)
				}
			}
			if all.MinNs > all.P50Ns || all.P50Ns > all.P99Ns || all.P99Ns > all.MaxNs {
				t.Errorf("percentiles out of order: %+v", all)
			}
			if len(all.Spectrum) == 0 {
				t.Error("no spectrum")
			}
			if len(res.Locks) == 0 || res.Locks["manager.contexts"].Acquisitions == 0 {
				t.Errorf("lock figures missing: %v", res.Locks)
			}
			if res.ThroughputOpsS <= 0 || res.LittlesLawRatio <= 0 {
				t.Errorf("throughput %v, Little's ratio %v", res.ThroughputOpsS, res.LittlesLawRatio)
			}
			if !res.Consistency.Checked {
				t.Error("consistency not checked")
			}
			if res.Store.Spec != "memory" {
				t.Errorf("store spec %q", res.Store.Spec)
			}
			if res.Process.CPUUserS+res.Process.CPUSysS <= 0 {
				t.Error("no CPU time measured")
			}
			if res.CensoredOps != 0 {
				t.Errorf("censored %d on a memory store", res.CensoredOps)
			}
		})
	}
}

// failing is a synthetic strategy whose manager.get always fails with
// ErrNotFound: every recorded get must be counted as that error kind.
func registerFailing(t *testing.T) string {
	name := "test-failing-" + strings.ToLower(t.Name())
	base, _ := impl.Lookup("sharded")
	impl.MustRegister(impl.Strategy{Name: name, Description: "test", New: func(d impl.Deps) (*impl.System, error) {
		sys, err := base.New(d)
		if err != nil {
			return nil, err
		}
		sys.Manager = notFoundGets{sys.Manager}
		return sys, nil
	}})
	t.Cleanup(func() { impl.Unregister(name) })
	return name
}

type notFoundGets struct{ ctxsys.Manager }

func (notFoundGets) Get(context.Context, string) (ctxsys.State, error) {
	return ctxsys.State{}, ctxsys.ErrNotFound
}

func TestErrorsCountedByKind(t *testing.T) {
	name := registerFailing(t)
	s := spec(t, updateYAML)
	res, err := RunOne(context.Background(), Params{Strategy: name, Spec: s, Concurrency: 4, Repetition: 1, Options: Options{Instrument: true}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Errors["not_found"], res.Latency["manager.get"].Count; got != want || got == 0 {
		t.Errorf("not_found errors = %d, recorded gets = %d", got, want)
	}
}

// deadlocking registers a strategy whose manager.update blocks until the
// test ends: the watchdog must abandon the run.
func registerDeadlocking(t *testing.T) (string, func()) {
	name := "test-deadlock-" + strings.ToLower(t.Name())
	release := make(chan struct{})
	var once sync.Once
	base, _ := impl.Lookup("sharded")
	impl.MustRegister(impl.Strategy{Name: name, Description: "test", New: func(d impl.Deps) (*impl.System, error) {
		sys, err := base.New(d)
		if err != nil {
			return nil, err
		}
		sys.Manager = blockingUpdates{sys.Manager, release}
		return sys, nil
	}})
	t.Cleanup(func() { impl.Unregister(name) })
	return name, func() { once.Do(func() { close(release) }) }
}

type blockingUpdates struct {
	ctxsys.Manager
	release chan struct{}
}

func (b blockingUpdates) Update(ctx context.Context, id string, st ctxsys.State) error {
	<-b.release
	return nil
}

func TestWatchdogAbandonsStalledRun(t *testing.T) {
	name, release := registerDeadlocking(t)
	defer release()
	dir := t.TempDir()
	s := spec(t, updateYAML)
	res, err := RunOne(context.Background(), Params{
		Strategy: name, Spec: s, Concurrency: 4, Repetition: 1,
		Options: Options{Instrument: true, OutDir: dir, StallTimeout: 300 * time.Millisecond},
	})
	if !errors.Is(err, ErrStalled) {
		t.Fatalf("err = %v, want ErrStalled", err)
	}
	if res.Status != results.StatusFailed || !strings.Contains(res.Reason, "stalled") {
		t.Fatalf("status %q reason %q", res.Status, res.Reason)
	}
	dump := res.Profiles["goroutines"]
	b, rerr := os.ReadFile(filepath.Join(dir, dump))
	if rerr != nil || !strings.Contains(string(b), "blockingUpdates") {
		t.Errorf("goroutine dump %q missing or without the blocked call (%v)", dump, rerr)
	}
}

func TestInterruptMarksRun(t *testing.T) {
	s := spec(t, strings.Replace(updateYAML, "ops: 400", "duration: 1h", 1))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	var res results.Run
	var err error
	go func() {
		defer close(done)
		res, err = RunOne(ctx, Params{Strategy: "sharded", Spec: s, Concurrency: 2, Repetition: 1, Options: Options{Instrument: true}})
	}()
	cancel()
	<-done
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if res.Status != results.StatusInterrupted {
		t.Fatalf("status %q, want interrupted", res.Status)
	}
}

func TestSweepInterleavesAndSavesEveryRun(t *testing.T) {
	dir := t.TempDir()
	s := spec(t, strings.Replace(strings.Replace(updateYAML, "ops: 400", "ops: 50", 1), "count: 1", "count: 2", 1))
	sw := &Sweep{Specs: []*workload.Spec{s}, Strategies: []string{"naive", "sharded"}, Options: Options{OutDir: dir, Instrument: true}}
	var order []string
	var saved []int
	sw.OnRun = func(r results.Run) {
		order = append(order, r.Strategy)
		if f, err := results.ReadFile(filepath.Join(dir, "results.json")); err == nil {
			saved = append(saved, len(f.Runs))
		}
	}
	f, err := sw.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(order, ","); got != "naive,sharded,naive,sharded" {
		t.Errorf("order %s, want strategies interleaved per repetition", got)
	}
	if len(f.Runs) != 4 {
		t.Fatalf("%d runs", len(f.Runs))
	}
	// OnRun runs before the save of its own run: the file on disk holds
	// the runs before it, proving a save after each run.
	if got := saved; len(got) != 4 || got[0] != 0 || got[3] != 3 {
		t.Errorf("runs on disk at each OnRun: %v", got)
	}
	disk, err := results.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil || len(disk.Runs) != 4 {
		t.Fatalf("final file: %v runs, err %v", len(disk.Runs), err)
	}
}
