package sharded_test

import (
	"context"
	"errors"
	"hash/fnv"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/impl/impltest"
	"lockbench/impl/sharded"
	"lockbench/lock"
	"lockbench/store"
)

func TestConformance(t *testing.T) {
	s, err := impl.Lookup("sharded")
	if err != nil {
		t.Fatal(err)
	}
	impltest.Run(t, s, impltest.DefaultOptions("sharded"))
}

var epoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// fixture is a sharded system over a memory store whose calls pass a gate.
type fixture struct {
	sys   *impl.System
	mem   *store.Memory
	gate  *gate
	clock *ctxsys.FakeClock
	locks *lock.Set
}

func newFixture(t *testing.T, cfg ctxsys.Config) *fixture {
	t.Helper()
	f := &fixture{mem: store.NewMemory(), gate: &gate{}, clock: ctxsys.NewFakeClock(epoch), locks: lock.NewSet(true)}
	sys, err := sharded.New(impl.Deps{
		Store:  store.Instrument(f.mem, store.Hooks{Before: f.gate.before, After: f.gate.after}),
		Locks:  f.locks,
		Clock:  f.clock,
		Config: cfg,
	})
	if err != nil {
		t.Fatal(err)
	}
	f.sys = sys
	t.Cleanup(f.gate.open)
	return f
}

// quiescent checks what must hold once every operation has returned.
func (f *fixture) quiescent(t *testing.T) {
	t.Helper()
	for _, d := range impltest.DiffStore(f.sys.Manager, f.mem) {
		t.Errorf("store differs from memory: %s", d)
	}
	if held := f.locks.Held(); len(held) != 0 {
		t.Errorf("locks still held at quiescence: %v", held)
	}
}

// gate holds store calls of one op and key (once armed) until released,
// in the order they arrive.
type gate struct {
	mu       sync.Mutex
	op, key  string
	isOpen   bool
	waiting  []chan struct{}
	finished atomic.Int64 // gated calls that completed
}

// arm makes calls of op on key wait at the gate.
func (g *gate) arm(op, key string) {
	g.mu.Lock()
	g.op, g.key, g.isOpen = op, key, false
	g.mu.Unlock()
}

func (g *gate) matches(op, key string) bool { return op == g.op && key == g.key }

func (g *gate) before(_ context.Context, op, key string) {
	g.mu.Lock()
	if g.isOpen || !g.matches(op, key) {
		g.mu.Unlock()
		return
	}
	ch := make(chan struct{})
	g.waiting = append(g.waiting, ch)
	g.mu.Unlock()
	<-ch
}

func (g *gate) after(_ context.Context, op, key string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.matches(op, key) {
		g.finished.Add(1)
	}
}

// open lets every waiting and future call through, first arrival first.
func (g *gate) open() {
	for _, ch := range g.takeWaiting() {
		close(ch)
	}
}

// openReversed lets the waiting calls through last arrival first, each
// completing before the next is released (the order that exposes a store
// write order different from memory order), then opens the gate.
func (g *gate) openReversed(t *testing.T) {
	waiting := g.takeWaiting()
	done := g.finished.Load()
	for i := len(waiting) - 1; i >= 0; i-- {
		close(waiting[i])
		done++
		want := done
		impltest.Await(t, "a released store call to complete", func() bool { return g.finished.Load() >= want })
	}
}

func (g *gate) takeWaiting() []chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.isOpen = true
	w := g.waiting
	g.waiting = nil
	return w
}

func stripe(id string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(id))
	return h.Sum32() % 256
}

func TestConcurrentCreatesOfOneID(t *testing.T) {
	f := newFixture(t, ctxsys.Config{})
	ctx := context.Background()
	f.gate.arm("put", ctxsys.StateKey("x"))

	errs := make(chan error, 2)
	go func() { errs <- f.sys.Manager.Create(ctx, "x", ctxsys.State{Version: 1}) }()
	impltest.AwaitParked(t, "sharded.(*Manager).Create", 1) // first create at the gate
	go func() { errs <- f.sys.Manager.Create(ctx, "x", ctxsys.State{Version: 2}) }()
	impltest.AwaitParked(t, "sharded.(*Manager).Create", 2) // second one blocked too
	f.gate.open()

	var ok, exists int
	for range 2 {
		switch err := <-errs; {
		case err == nil:
			ok++
		case errors.Is(err, ctxsys.ErrExists):
			exists++
		default:
			t.Errorf("create: %v", err)
		}
	}
	if ok != 1 || exists != 1 {
		t.Errorf("two concurrent creates of one id: %d succeeded, %d ErrExists; want 1 and 1", ok, exists)
	}
	st, err := f.sys.Manager.Get(ctx, "x")
	if err != nil || st.Version != 1 {
		t.Errorf("get x = %+v, %v; want the first create's version 1", st, err)
	}
	f.quiescent(t)
}

func TestCapacityReservedAtomically(t *testing.T) {
	f := newFixture(t, ctxsys.Config{MaxContexts: 1})
	ctx := context.Background()
	f.gate.arm("put", ctxsys.StateKey("a"))

	errs := make(chan error, 2)
	var finished atomic.Int64
	create := func(id string) {
		errs <- f.sys.Manager.Create(ctx, id, ctxsys.State{Version: 1})
		finished.Add(1)
	}
	go create("a")
	impltest.AwaitParked(t, "sharded.(*Manager).Create", 1) // a holds a slot, inside its Put
	go create("b")
	// b must not wait for a's store write: it fails at once (or, in a
	// strategy without reservation, reaches its own Put).
	impltest.Await(t, "create b to finish or park", impltest.Stable(func() bool {
		return finished.Load() == 1 || impltest.Parked("sharded.(*Manager).Create") == 2
	}))
	f.gate.open()

	var ok, limit int
	for range 2 {
		switch err := <-errs; {
		case err == nil:
			ok++
		case errors.Is(err, ctxsys.ErrLimit):
			limit++
		default:
			t.Errorf("create: %v", err)
		}
	}
	if ok != 1 || limit != 1 {
		t.Errorf("two creates with max_contexts=1: %d succeeded, %d ErrLimit; want 1 and 1", ok, limit)
	}
	if ids, _ := f.sys.Manager.List(ctx); len(ids) != 1 {
		t.Errorf("contexts = %q, want one", ids)
	}
	f.quiescent(t)
}

func TestConcurrentUpdatesKeepStoreOrder(t *testing.T) {
	f := newFixture(t, ctxsys.Config{})
	ctx := context.Background()
	if err := f.sys.Manager.Create(ctx, "x", ctxsys.State{Version: 1}); err != nil {
		t.Fatal(err)
	}
	f.gate.arm("put", ctxsys.StateKey("x"))

	var wg sync.WaitGroup
	update := func(version uint64) {
		defer wg.Done()
		if err := f.sys.Manager.Update(ctx, "x", ctxsys.State{Version: version}); err != nil {
			t.Errorf("update to %d: %v", version, err)
		}
	}
	wg.Add(2)
	go update(2)
	impltest.AwaitParked(t, "sharded.(*Manager).Update", 1) // first update at the gate
	go update(3)
	impltest.AwaitParked(t, "sharded.(*Manager).Update", 2) // second one blocked too
	f.gate.openReversed(t)
	wg.Wait()

	st, err := f.sys.Manager.Get(ctx, "x")
	if err != nil || st.Version != 3 {
		t.Errorf("get x = %+v, %v; want the later update's version 3", st, err)
	}
	f.quiescent(t)
}

func TestTrackerVersionNeverRegresses(t *testing.T) {
	const (
		writers = 4
		updates = 200
	)
	f := newFixture(t, ctxsys.Config{AutoRecovery: true, MaxRecoveryPoints: 5})
	ctx := context.Background()
	if err := f.sys.Manager.Create(ctx, "x", ctxsys.State{Version: 1}); err != nil {
		t.Fatal(err)
	}
	tr := f.sys.NewTracker()
	if err := tr.Activate(ctx, "x"); err != nil {
		t.Fatal(err)
	}

	var next atomic.Uint64
	next.Store(1) // the activated state's version
	var writersDone sync.WaitGroup
	for range writers {
		writersDone.Add(1)
		go func() {
			defer writersDone.Done()
			for range updates {
				err := tr.UpdateState(ctx, ctxsys.State{Version: next.Add(1)})
				if err != nil && !errors.Is(err, ctxsys.ErrStaleVersion) {
					t.Errorf("update state: %v", err)
				}
			}
		}()
	}
	stop := make(chan struct{})
	observerDone := make(chan struct{})
	go func() {
		defer close(observerDone)
		var last uint64
		for {
			st, _ := tr.State(ctx)
			if st.Version < last {
				t.Errorf("tracker version went down from %d to %d", last, st.Version)
			}
			last = st.Version
			select {
			case <-stop:
				return
			default:
			}
		}
	}()
	writersDone.Wait()
	close(stop)
	<-observerDone

	// The highest version issued is never stale, so it must be the last.
	st, _ := tr.State(ctx)
	if st.Version != next.Load() {
		t.Errorf("final tracker version %d, want the highest issued %d", st.Version, next.Load())
	}
	points, err := f.sys.Manager.RecoveryPoints(ctx, "x")
	if err != nil || len(points) == 0 || len(points) > 5 {
		t.Errorf("recovery points after auto-recovery: %d, %v; want 1..5", len(points), err)
	}
	f.quiescent(t)
}

func TestCleanupSparesRefreshAfterScan(t *testing.T) {
	if stripe("a") == stripe("x") {
		t.Fatal("test ids share a stripe; pick others")
	}
	f := newFixture(t, ctxsys.Config{TTL: time.Hour})
	ctx := context.Background()
	for _, id := range []string{"a", "x"} {
		if _, err := f.sys.Adapter.Create(ctx, id, []byte("v1")); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.Advance(time.Hour + time.Second) // both expired
	// Cleanup handles a before x; hold it inside a's deletion, after it
	// scanned both as expired.
	f.gate.arm("delete", ctxsys.StateKey("a"))

	type result struct {
		ids []string
		err error
	}
	cleaned := make(chan result, 1)
	go func() {
		ids, err := f.sys.Adapter.CleanupExpired(ctx)
		cleaned <- result{ids, err}
	}()
	impltest.AwaitParked(t, "sharded.(*Adapter).CleanupExpired", 1)
	refreshed, err := f.sys.Adapter.Update(ctx, "x", []byte("v2")) // acknowledged after the scan
	if err != nil {
		t.Fatalf("refresh x: %v", err)
	}
	f.gate.open()
	r := <-cleaned

	if r.err != nil || !slices.Equal(r.ids, []string{"a"}) {
		t.Errorf("cleanup = %q, %v; want only a (x was refreshed after the scan)", r.ids, r.err)
	}
	got, err := f.sys.Adapter.Get(ctx, "x")
	if err != nil || got.Version != refreshed.Version {
		t.Errorf("adapter get x = %+v, %v; want the refresh kept", got, err)
	}
	if st, err := f.sys.Manager.Get(ctx, "x"); err != nil || st.Version != 2 {
		t.Errorf("manager get x = %+v, %v; want version 2", st, err)
	}
	f.quiescent(t)
}

func TestLockNamesAndHeldIO(t *testing.T) {
	f := newFixture(t, ctxsys.Config{AutoRecovery: true})
	ctx := lock.WithTrace(context.Background(), new(lock.Trace))
	m, a, tr := f.sys.Manager, f.sys.Adapter, f.sys.NewTracker()
	steps := []func() error{
		func() error { _, err := a.Create(ctx, "a", []byte("x")); return err },
		func() error { _, err := a.Update(ctx, "a", []byte("y")); return err },
		func() error { return tr.Activate(ctx, "a") },
		func() error { return tr.UpdateState(ctx, ctxsys.State{Version: 9}) },
		func() error { return tr.Sync(ctx) },
		func() error { _, err := tr.CreateRecoveryPoint(ctx); return err },
		func() error { return m.Create(ctx, "b", ctxsys.State{Version: 1}) },
		func() error { return m.Delete(ctx, "b") },
		func() error { return a.UpdateConfig(ctx, ctxsys.AdapterConfig{TTL: time.Minute}) },
		func() error { f.clock.Advance(time.Hour); _, err := a.CleanupExpired(ctx); return err },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	want := []string{"adapter.config", "adapter.contexts", "adapter.keys", "manager.contexts", "manager.keys", "tracker.state", "tracker.sync"}
	if got := f.locks.Names(); !slices.Equal(got, want) {
		t.Errorf("lock names = %q, want %q", got, want)
	}
	snap := f.locks.Snapshot()
	// The map-wide locks and the tracker's state lock are never held
	// across store I/O; the per-key locks are, on purpose.
	for _, name := range []string{"adapter.config", "adapter.contexts", "manager.contexts", "tracker.state"} {
		if io := snap[name].HeldIONs; io != 0 {
			t.Errorf("%s held across store I/O for %d ns, want 0", name, io)
		}
	}
	for _, name := range []string{"manager.keys", "adapter.keys", "tracker.sync"} {
		if snap[name].HeldIONs == 0 {
			t.Errorf("%s: held_io 0, want the store I/O done under it", name)
		}
	}
	f.quiescent(t)
}

func TestNewDeps(t *testing.T) {
	cases := []struct {
		name    string
		deps    impl.Deps
		wantErr error
	}{
		{"store only (nil locks and clock work)", impl.Deps{Store: store.NewMemory()}, nil},
		{"no store", impl.Deps{}, ctxsys.ErrInvalid},
		{"negative config", impl.Deps{Store: store.NewMemory(), Config: ctxsys.Config{MaxContexts: -1}}, ctxsys.ErrInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sys, err := sharded.New(c.deps)
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("New: %v, want %v", err, c.wantErr)
			}
			if err != nil {
				return
			}
			ctx := context.Background()
			if _, err := sys.Adapter.Create(ctx, "a", nil); err != nil {
				t.Errorf("adapter create: %v", err)
			}
			if err := sys.NewTracker().Activate(ctx, "a"); err != nil {
				t.Errorf("activate: %v", err)
			}
		})
	}
}

// TestActivateKeepsNewerLocalState: activating the context already active
// keeps a local state newer than the manager's (an UpdateState that landed
// while Get ran is not undone), and activating another context always
// takes that context's state, whatever its version.
func TestActivateKeepsNewerLocalState(t *testing.T) {
	f := newFixture(t, ctxsys.Config{})
	ctx := context.Background()
	for _, id := range []string{"a", "b"} {
		if err := f.sys.Manager.Create(ctx, id, ctxsys.State{Version: 1, Data: []byte(id + "1")}); err != nil {
			t.Fatal(err)
		}
	}
	tr := f.sys.NewTracker()
	if err := tr.Activate(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if err := tr.UpdateState(ctx, ctxsys.State{Version: 5, Data: []byte("local")}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		activate string
		version  uint64
		data     string
	}{
		{"a", 5, "local"}, // the same context: the newer local state stays
		{"b", 1, "b1"},    // another context: its own state, though older
	}
	for _, s := range steps {
		if err := tr.Activate(ctx, s.activate); err != nil {
			t.Fatal(err)
		}
		st, _ := tr.State(ctx)
		if st.Version != s.version || string(st.Data) != s.data {
			t.Errorf("after Activate(%q): state v%d %q, want v%d %q", s.activate, st.Version, st.Data, s.version, s.data)
		}
	}
	// The same version as the manager's is kept too: activating the
	// context just synchronized does not ask for another sync.
	if err := tr.UpdateState(ctx, ctxsys.State{Version: 2, Data: []byte("b2")}); err != nil {
		t.Fatal(err)
	}
	if err := tr.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if err := tr.Activate(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if needed, _ := tr.SyncNeeded(ctx); needed {
		t.Error("re-activating the context just synchronized: SyncNeeded = true, want false")
	}
}
