package impltest

import (
	"context"
	"testing"
	"time"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/lock"
	"lockbench/store"
)

// epoch is where every test's fake clock starts.
var epoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// baseConfig is the configuration of every test unless it changes it: small
// limits so that limits are reached in a few operations.
var baseConfig = ctxsys.Config{
	MaxContexts:       3,
	MaxRecoveryPoints: 3,
	TTL:               time.Hour,
	SyncInterval:      time.Minute,
}

// testCase is one single-threaded check, run on a fresh system.
type testCase struct {
	name string
	// config changes baseConfig for this case (nil: unchanged).
	config func(*ctxsys.Config)
	run    func(h *harness)
}

// Run runs the conformance suite against s with the expectations in opts.
func Run(t *testing.T, s impl.Strategy, opts Options) {
	t.Helper()
	groups := []struct {
		name  string
		cases []testCase
	}{
		{"manager", managerCases},
		{"tracker", trackerCases},
		{"adapter", adapterCases},
		{"store-failure", storeFailureCases},
		{"inspector", inspectorCases},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, tc := range g.cases {
				t.Run(tc.name, func(t *testing.T) {
					cfg := baseConfig
					if tc.config != nil {
						tc.config(&cfg)
					}
					tc.run(newHarness(t, s, opts, cfg))
				})
			}
		})
	}
	t.Run("concurrency", func(t *testing.T) {
		t.Run("peak-store-writes", func(t *testing.T) { testPeakStoreWrites(t, s, opts) })
	})
}

// RunAll runs the suite against every registered strategy, each with
// DefaultOptions of its name. It fails if none is registered (import
// lockbench/impl/all for the built-in ones).
func RunAll(t *testing.T) {
	t.Helper()
	names := impl.Names()
	if len(names) == 0 {
		t.Fatal("impltest: no strategy registered; import lockbench/impl/all")
	}
	for _, name := range names {
		s, err := impl.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) { Run(t, s, DefaultOptions(name)) })
	}
}

// harness is one fresh system under test, with every component wrapped so
// that each operation is followed by the checks of settled.
type harness struct {
	t    *testing.T
	opts Options
	cfg  ctxsys.Config

	ctx    context.Context // carries trace
	trace  *lock.Trace
	locks  *lock.Set
	clock  *ctxsys.FakeClock
	mem    *store.Memory // what the strategy's store writes land in
	faults *faultStore
	sys    *impl.System

	// compareStore: settled compares the store with memory. Store-failure
	// cases turn it off for strategies that may change memory on failure.
	compareStore bool

	m ctxsys.Manager
	a ctxsys.Adapter
}

func newHarness(t *testing.T, s impl.Strategy, opts Options, cfg ctxsys.Config) *harness {
	t.Helper()
	h := &harness{
		t:            t,
		opts:         opts,
		cfg:          cfg,
		trace:        new(lock.Trace),
		locks:        lock.NewSet(true),
		clock:        ctxsys.NewFakeClock(epoch),
		mem:          store.NewMemory(),
		compareStore: true,
	}
	h.ctx = lock.WithTrace(context.Background(), h.trace)
	h.faults = &faultStore{Store: h.mem}
	sys, err := s.New(impl.Deps{
		Store:  store.Instrument(h.faults, store.Hooks{}),
		Locks:  h.locks,
		Clock:  h.clock,
		Config: cfg,
	})
	if err != nil {
		t.Fatalf("%s: New: %v", s.Name, err)
	}
	if sys == nil || sys.Manager == nil || sys.Adapter == nil || sys.NewTracker == nil {
		t.Fatalf("%s: New returned an incomplete system: %+v", s.Name, sys)
	}
	h.sys = sys
	h.m = &checkedManager{h: h, m: sys.Manager}
	h.a = &checkedAdapter{h: h, a: sys.Adapter}
	return h
}

// tracker returns a new checked Tracker over the system's Manager.
func (h *harness) tracker() ctxsys.Tracker {
	tr := h.sys.NewTracker()
	if tr == nil {
		h.t.Fatal("NewTracker returned nil")
	}
	return &checkedTracker{h: h, tr: tr}
}

// settled runs after every operation: no lock may be left held, the
// caller's trace must hold nothing, and the store must equal memory.
func (h *harness) settled(op string) {
	h.t.Helper()
	if held := h.locks.Held(); len(held) != 0 {
		h.t.Errorf("after %s: locks still held: %v", op, held)
	}
	if n := h.trace.Holding(); n != 0 {
		h.t.Errorf("after %s: the caller's trace still holds %d locks", op, n)
	}
	if h.compareStore {
		for _, d := range DiffStore(h.sys.Manager, h.mem) {
			h.t.Errorf("after %s: store differs from memory: %s", op, d)
		}
	}
}
