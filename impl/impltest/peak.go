package impltest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/lock"
	"lockbench/store"
)

// peakWorkers is the number of concurrent creates in testPeakStoreWrites.
const peakWorkers = 8

// testPeakStoreWrites starts creates of distinct ids at once over a store
// that holds every Put at a gate, waits until every worker is either finished
// or parked (at the gate, or on one of the strategy's locks), and only then
// opens the gate. At that moment the number of Puts at the gate is the most
// the strategy lets in flight at once: 1 if it serialises store writes, up to
// peakWorkers if not. Waiting for "all parked" rather than for k arrivals is
// what keeps a serialising strategy from deadlocking the test.
func testPeakStoreWrites(t *testing.T, s impl.Strategy, opts Options) {
	if opts.StoreWrites == WritesUnchecked {
		t.Skip("no expectation about store writes for this strategy")
	}
	gate := newGateStore(store.NewMemory())
	sys, err := s.New(impl.Deps{
		Store:  store.Instrument(gate, store.Hooks{}),
		Locks:  lock.NewSet(true),
		Clock:  ctxsys.NewFakeClock(epoch),
		Config: ctxsys.Config{MaxContexts: 2 * peakWorkers},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer gate.open() // never leave workers stuck if the test fails early

	errs := make([]error, peakWorkers)
	var finished atomic.Int64
	var wg sync.WaitGroup
	for i := range peakWorkers {
		wg.Add(1)
		go createWorker(sys.Manager, fmt.Sprintf("peak-%02d", i), &errs[i], &finished, &wg)
	}
	Await(t, "every create parked or finished", Stable(func() bool {
		return int64(Parked("impltest.createWorker(")) >= peakWorkers-finished.Load()
	}))
	peak := gate.peak.Load()
	gate.open()
	wg.Wait()

	for i, err := range errs {
		if err != nil {
			t.Errorf("create peak-%02d: %v", i, err)
		}
	}
	ids, err := sys.Manager.List(context.Background())
	if err != nil || len(ids) != peakWorkers {
		t.Errorf("after %d concurrent creates: List = %v, %v", peakWorkers, ids, err)
	}
	for _, d := range DiffStore(sys.Manager, gate.Store) {
		t.Errorf("store differs from memory: %s", d)
	}
	switch opts.StoreWrites {
	case WritesSerial:
		if peak != 1 {
			t.Errorf("peak store writes in flight = %d, want 1 (%s)", peak, opts.StoreWrites)
		}
	case WritesParallel:
		if peak < 2 {
			t.Errorf("peak store writes in flight = %d, want ≥ 2 (%s)", peak, opts.StoreWrites)
		}
	}
	t.Logf("peak store writes in flight with %d concurrent creates: %d", peakWorkers, peak)
}

// createWorker is a named function so that Parked can find its goroutines.
func createWorker(m ctxsys.Manager, id string, errp *error, finished *atomic.Int64, wg *sync.WaitGroup) {
	defer wg.Done()
	*errp = m.Create(context.Background(), id, ctxsys.State{Version: 1})
	finished.Add(1)
}
