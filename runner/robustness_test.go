package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/lock"
	"lockbench/results"
	"lockbench/store"
	"lockbench/workload"
)

// faultSpec injects store failures (5% of calls) and latency spikes (1% of
// calls wait 5ms more) over a 200µs store.
const faultSpec = "sim:latency=200us,errors=0.05,spike=0.01:5ms"

// mixed returns the embedded mixed workload (every operation of every
// component) resized for a test.
func mixed(t *testing.T, o workload.Overrides) *workload.Spec {
	t.Helper()
	base, err := workload.Load("mixed")
	if err != nil {
		t.Fatal(err)
	}
	s, err := base.Override(o, t.Name())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func ptr[T any](v T) *T { return &v }

func hasWarning(r results.Run, substr string) bool {
	for _, w := range r.Warnings {
		if strings.Contains(w, substr) {
			return true
		}
	}
	return false
}

// TestFaultsEveryStrategyKeepsWorking runs the mixed workload over a store
// that fails and spikes: every strategy completes its run, the failures
// are counted by kind, no instrumented lock is held at quiescence, and the
// linearizable strategies show no anomaly (an injected failure is an
// error, not a licence to corrupt state).
func TestFaultsEveryStrategyKeepsWorking(t *testing.T) {
	s := mixed(t, workload.Overrides{
		Concurrency: []int{4}, Ops: ptr(int64(1500)), Warmup: ptr(time.Duration(0)),
		Count: ptr(1), Store: ptr(storeSpec(t, faultSpec)),
	})
	for _, strategy := range []string{"naive", "refactored", "sharded"} {
		t.Run(strategy, func(t *testing.T) {
			res, err := RunOne(context.Background(), Params{Strategy: strategy, Spec: s, Concurrency: 4, Repetition: 1, Options: Options{Instrument: true}})
			if err != nil || res.Status != results.StatusOK {
				t.Fatalf("status %q (%s), err %v: the run must complete despite the faults", res.Status, res.Reason, err)
			}
			if res.Ops < 1500 {
				t.Errorf("%d ops, want >= 1500", res.Ops)
			}
			if res.Errors["store"] == 0 || res.Store.ErrorsInjected == 0 {
				t.Errorf("errors by kind %v, injected %d: store failures not counted", res.Errors, res.Store.ErrorsInjected)
			}
			for kind, n := range res.Errors {
				if kind == "" || kind == "other" || n < 0 {
					t.Errorf("error kind %q = %d: every failure needs a named kind", kind, n)
				}
			}
			// The held-lock check runs at quiescence, beside the
			// consistency check: a checked run with no censored op
			// proves it ran.
			if !res.Consistency.Checked || res.CensoredOps != 0 {
				t.Fatalf("not quiescent: checked %v, censored %d", res.Consistency.Checked, res.CensoredOps)
			}
			if hasWarning(res, "locks still held") {
				t.Errorf("a lock was left held after an error: %v", res.Warnings)
			}
			if strategy != "refactored" {
				for kind, n := range res.Consistency.Anomalies {
					if n != 0 {
						t.Errorf("%s: %d %s anomalies under faults (notes %v)", strategy, n, kind, res.Consistency.Notes)
					}
				}
			}
		})
	}
}

// registerLeaky registers a strategy (sharded underneath) whose first
// manager.update takes an instrumented lock and never releases it: the
// control case of the held-lock check.
func registerLeaky(t *testing.T) string {
	name := "test-leaky-" + strings.ToLower(t.Name())
	base, _ := impl.Lookup("sharded")
	impl.MustRegister(impl.Strategy{Name: name, Description: "test", New: func(d impl.Deps) (*impl.System, error) {
		sys, err := base.New(d)
		if err != nil {
			return nil, err
		}
		sys.Manager = &leakyUpdates{Manager: sys.Manager, mu: d.Locks.Mutex("test.leaked")}
		return sys, nil
	}})
	t.Cleanup(func() { impl.Unregister(name) })
	return name
}

type leakyUpdates struct {
	ctxsys.Manager
	mu   *lock.Mutex
	once sync.Once
}

func (m *leakyUpdates) Update(ctx context.Context, id string, st ctxsys.State) error {
	m.once.Do(func() { m.mu.Lock(ctx) })
	return m.Manager.Update(ctx, id, st)
}

func TestHeldLockAtQuiescenceIsReported(t *testing.T) {
	name := registerLeaky(t)
	res, err := RunOne(context.Background(), Params{Strategy: name, Spec: spec(t, updateYAML), Concurrency: 2, Repetition: 1, Options: Options{Instrument: true}})
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(res, "locks still held at quiescence: test.leaked") {
		t.Errorf("leaked lock not reported; warnings %v", res.Warnings)
	}
}

// registerBlockingPreload registers a strategy whose manager.create waits
// for its context to end: the run is interrupted while it preloads.
func registerBlockingPreload(t *testing.T) (string, <-chan struct{}) {
	name := "test-preload-" + strings.ToLower(t.Name())
	entered := make(chan struct{})
	var once sync.Once
	base, _ := impl.Lookup("sharded")
	impl.MustRegister(impl.Strategy{Name: name, Description: "test", New: func(d impl.Deps) (*impl.System, error) {
		sys, err := base.New(d)
		if err != nil {
			return nil, err
		}
		sys.Manager = blockingCreates{sys.Manager, func() { once.Do(func() { close(entered) }) }}
		return sys, nil
	}})
	t.Cleanup(func() { impl.Unregister(name) })
	return name, entered
}

type blockingCreates struct {
	ctxsys.Manager
	entered func()
}

func (m blockingCreates) Create(ctx context.Context, id string, st ctxsys.State) error {
	m.entered()
	<-ctx.Done()
	return ctxsys.StoreError("put", id, ctx.Err())
}

// TestInterruptDuringPreload: a run cut while it preloads is interrupted,
// not failed, even though the preload step returned an error.
func TestInterruptDuringPreload(t *testing.T) {
	name, entered := registerBlockingPreload(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type outcome struct {
		res results.Run
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := RunOne(ctx, Params{Strategy: name, Spec: spec(t, updateYAML), Concurrency: 2, Repetition: 1, Options: Options{Instrument: true}})
		done <- outcome{res, err}
	}()
	<-entered
	cancel()
	o := <-done
	if !errors.Is(o.err, context.Canceled) || o.res.Status != results.StatusInterrupted {
		t.Fatalf("status %q (%s), err %v; want interrupted and context.Canceled", o.res.Status, o.res.Reason, o.err)
	}
}

// TestPreloadIsFreeOfInjection: preload is set-up, run with the store's
// injected failures and latency switched off, so even a store that fails
// every call is preloaded; the measured phase then sees every failure.
func TestPreloadIsFreeOfInjection(t *testing.T) {
	s := spec(t, strings.Replace(updateYAML, "store: memory", "store: sim:errors=1", 1))
	res, err := RunOne(context.Background(), Params{Strategy: "sharded", Spec: s, Concurrency: 2, Repetition: 1, Options: Options{Instrument: true}})
	if err != nil || res.Status != results.StatusOK {
		t.Fatalf("status %q (%s), err %v", res.Status, res.Reason, err)
	}
	// Updates write to the store: every recorded one failed. Gets are
	// served from memory: none did.
	if got, want := res.Errors["store"], res.Latency["manager.update"].Count; got != want || got == 0 {
		t.Errorf("store errors %d, recorded updates %d: want every update failed", got, want)
	}
	if res.Errors["not_found"] != 0 {
		t.Errorf("errors %v: preloaded contexts missing", res.Errors)
	}
	if res.Store.ErrorsInjected == 0 {
		t.Error("no injected failure counted in the store's figures")
	}
}

// settledGoroutines returns the goroutine count once it has stopped
// falling (goroutines of a finished run exit shortly after it returns, not
// at once): it polls until the count is at most limit, or unchanged over
// 20 samples, within a bound.
func settledGoroutines(limit int) int {
	n, same := runtime.NumGoroutine(), 0
	for deadline := time.Now().Add(10 * time.Second); n > limit && same < 20 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
		if m := runtime.NumGoroutine(); m == n {
			same++
		} else {
			n, same = m, 0
		}
	}
	return n
}

// TestSweepLeaksNoGoroutines runs a sweep over closed and open loop,
// memory and sim stores, and every strategy: afterwards the goroutine
// count is back where it was, and no run warned of growth.
func TestSweepLeaksNoGoroutines(t *testing.T) {
	closed := spec(t, strings.Replace(strings.Replace(updateYAML, "ops: 400", "ops: 100", 1), "concurrency: [4]", "concurrency: [1, 8]", 1))
	open := spec(t, strings.NewReplacer(
		"name: t-update", "name: t-open",
		"ops: 400", "duration: 50ms\narrival: open\nrate: 2000",
		"store: memory", "store: sim:latency=100us",
	).Replace(updateYAML))
	sweep := func() *results.File {
		sw := &Sweep{Specs: []*workload.Spec{closed, open}, Strategies: []string{"naive", "refactored", "sharded"}, Options: Options{Instrument: true}}
		f, err := sw.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	// A first sweep starts whatever lives for the process (the timing
	// package's timer, the runtime's workers): not a leak.
	sweep()
	before := settledGoroutines(0)
	f := sweep()
	if len(f.Runs) != 9 {
		t.Fatalf("%d runs, want 9", len(f.Runs))
	}
	for _, r := range f.Runs {
		if hasWarning(r, "more goroutines") {
			t.Errorf("%s/%s/c=%d warned: %v", r.Workload, r.Strategy, r.Concurrency, r.Warnings)
		}
	}
	const tolerance = 2
	if after := settledGoroutines(before + tolerance); after > before+tolerance {
		t.Errorf("goroutines: %d before the sweep, %d after it", before, after)
	}
}

// TestTemporaryStoreFilesRemoved: file and bolt stores without a path
// create their files under TMPDIR and must remove them when the run ends —
// after a complete run and after an interrupted one.
func TestTemporaryStoreFilesRemoved(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	if os.TempDir() != tmp {
		t.Fatalf("os.TempDir() = %s, want %s", os.TempDir(), tmp)
	}
	for _, storeSpec := range []string{"file:fsync=false", "bolt"} {
		t.Run(storeSpec, func(t *testing.T) {
			s := spec(t, strings.Replace(strings.Replace(updateYAML, "store: memory", "store: "+storeSpec, 1), "ops: 400", "ops: 50", 1))
			sw := &Sweep{Specs: []*workload.Spec{s}, Strategies: []string{"naive", "refactored", "sharded"}, Options: Options{Instrument: true}}
			if _, err := sw.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			assertEmpty(t, tmp)

			// Interrupted in its measured phase (a one-hour run).
			long := spec(t, strings.Replace(strings.Replace(updateYAML, "store: memory", "store: "+storeSpec, 1), "ops: 400", "duration: 1h", 1))
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() {
				res, err := RunOne(ctx, Params{Strategy: "sharded", Spec: long, Concurrency: 2, Repetition: 1, Options: Options{Instrument: true}})
				if err == nil || res.Status != results.StatusInterrupted {
					err = fmt.Errorf("status %q (%s), err %v", res.Status, res.Reason, err)
				}
				done <- err
			}()
			waitForEntries(t, tmp) // the store exists: the run has begun
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Fatalf("%v, want interrupted and context.Canceled", err)
			}
			assertEmpty(t, tmp)
		})
	}
}

// TestStoreAtGivenPathIsFreshPerRun: a file or bolt store at a path the
// user gave starts empty in every run of a sweep — the keys one run left
// would be zombies in the next one's consistency check — and nothing is
// left at that path afterwards, not even the directories made for it.
// Every run reports store figures, measured in the wrapper every store
// goes through (file and bolt runs used to record none).
func TestStoreAtGivenPathIsFreshPerRun(t *testing.T) {
	const churnYAML = `
name: t-churn
description: creates and deletes over more keys than are preloaded
mix: {manager.create: 2, manager.delete: 1, manager.update: 1}
keys: 64
preload: 0
concurrency: [2]
ops: 300
warmup: 0s
count: 2
`
	for _, kind := range []string{"file", "bolt"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			given, canonical := "file:fsync=false,dir="+filepath.Join(dir, "made", "deeper"), "file:dir="+filepath.Join(dir, "made", "deeper")+",fsync=false"
			if kind == "bolt" {
				given = "bolt:path=" + filepath.Join(dir, "made", "deeper", "x.db")
				canonical = given
			}
			s := spec(t, churnYAML+"store: "+given+"\n")
			sw := &Sweep{Specs: []*workload.Spec{s}, Strategies: []string{"naive", "sharded"}, Options: Options{Instrument: true}}
			f, err := sw.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range f.Runs {
				if !r.Consistency.Checked {
					t.Fatalf("%s r=%d: not checked", r.Strategy, r.Repetition)
				}
				if st := r.Store; st.Ops == 0 || st.LatencyP50Ns == 0 || st.LatencyMeanNs == 0 || st.InflightMax == 0 || st.Spec != canonical {
					t.Errorf("%s r=%d: store figures %+v; want calls, latency and in-flight peak measured", r.Strategy, r.Repetition, st)
				}
				for k, n := range r.Consistency.Anomalies {
					if n != 0 {
						t.Errorf("%s r=%d: %d %s: the store was not fresh", r.Strategy, r.Repetition, n, k)
					}
				}
			}
			assertEmpty(t, dir)
		})
	}
}

func assertEmpty(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) > 0 {
		t.Errorf("%s not empty after the run: %s", dir, strings.Join(names, ", "))
	}
}

func waitForEntries(t *testing.T, dir string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal(fmt.Sprintf("nothing appeared in %s", dir))
		}
	}
}

// TestCheckViewReadsThroughFaults: the consistency check's view of a
// store failing half its calls lists and reads every key, with the value
// stored, whether prefetched after a listing or read alone.
func TestCheckViewReadsThroughFaults(t *testing.T) {
	raw, err := store.Open("sim:errors=0.5,seed=3")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	ctx := context.Background()
	want := map[string]string{}
	for i := range 200 {
		key, value := fmt.Sprintf("ctx/k%03d", i), fmt.Sprintf("v%d", i)
		for raw.Put(ctx, key, []byte(value)) != nil {
		}
		want[key] = value
	}
	for raw.Put(ctx, "other/alone", []byte("x")) != nil {
	}
	view := newCheckView(raw)
	keys, err := view.List(ctx, "ctx/")
	if err != nil || len(keys) != len(want) {
		t.Fatalf("List: %d keys, err %v; want %d", len(keys), err, len(want))
	}
	for _, k := range keys {
		v, err := view.Get(ctx, k)
		if err != nil || string(v) != want[k] {
			t.Errorf("Get(%s) = %q, %v; want %q", k, v, err, want[k])
		}
	}
	if v, err := view.Get(ctx, "other/alone"); err != nil || string(v) != "x" {
		t.Errorf("Get of an unlisted key = %q, %v", v, err)
	}
	if _, err := view.Get(ctx, "ctx/missing"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get of a missing key: err %v, want ErrNotFound", err)
	}
}

// countingGets counts the Gets that reach the store.
type countingGets struct {
	store.Store
	gets atomic.Int64
}

func (s *countingGets) Get(ctx context.Context, key string) ([]byte, error) {
	s.gets.Add(1)
	return s.Store.Get(ctx, key)
}

// TestCheckViewPrefetchesAListing: the first Get of a listed key fetches
// the whole listing at once, and each later Get of a listed key is served
// from it without a store call; once served, a key is read from the store
// again (the check may read it after a change).
func TestCheckViewPrefetchesAListing(t *testing.T) {
	raw, err := store.Open("memory")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	ctx := context.Background()
	for _, k := range []string{"ctx/a", "ctx/b", "ctx/c"} {
		if err := raw.Put(ctx, k, []byte(k)); err != nil {
			t.Fatal(err)
		}
	}
	counted := &countingGets{Store: raw}
	view := newCheckView(counted)
	keys, err := view.List(ctx, "ctx/")
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range keys {
		if v, err := view.Get(ctx, k); err != nil || string(v) != k {
			t.Errorf("Get(%s) = %q, %v", k, v, err)
		}
		if got := counted.gets.Load(); got != 3 {
			t.Errorf("after %d Gets of a 3-key listing, %d store reads, want 3", i+1, got)
		}
	}
	view.Get(ctx, "ctx/a")
	if got := counted.gets.Load(); got != 4 {
		t.Errorf("a key read again after it was served: %d store reads, want 4", got)
	}
}
