package consistency

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lockbench/ctxsys"
	"lockbench/results"
)

// waitLimit bounds every wait of the forced interleavings below. A correct
// test never comes near it; it turns a would-be hang into a failure.
const waitLimit = 10 * time.Second

// gate parks the first call its match selects until opened; later calls
// pass. Its hook is a store.Hook, and with op "gap" a gap hook.
type gate struct {
	match   func(ctx context.Context, op, key string) bool
	taken   atomic.Bool
	arrived chan struct{}
	release chan struct{}
	once    sync.Once
}

func newGate(match func(ctx context.Context, op, key string) bool) *gate {
	return &gate{match: match, arrived: make(chan struct{}), release: make(chan struct{})}
}

// callBy selects op on key (a prefix of it, with prefix) by worker w.
func callBy(w int, op, key string, prefix bool) func(ctx context.Context, op, key string) bool {
	return func(ctx context.Context, o, k string) bool {
		return o == op && workerOf(ctx) == w && (k == key || prefix && strings.HasPrefix(k, key))
	}
}

func (g *gate) hook(ctx context.Context, op, key string) {
	if !g.match(ctx, op, key) || !g.taken.CompareAndSwap(false, true) {
		return
	}
	close(g.arrived)
	select {
	case <-g.release:
	case <-time.After(waitLimit):
	}
}

func (g *gate) gapHook(ctx context.Context, gap string) { g.hook(ctx, "gap", gap) }

// await waits until the selected call is parked.
func (g *gate) await(t *testing.T) {
	t.Helper()
	select {
	case <-g.arrived:
	case <-time.After(waitLimit):
		t.Fatal("gated call never arrived")
	}
}

func (g *gate) open() { g.once.Do(func() { close(g.release) }) }

// barrier lets n parties of one gap through together.
type barrier struct {
	gap  string
	n    int
	left atomic.Int64
	all  chan struct{}
}

func newBarrier(gap string, n int) *barrier {
	b := &barrier{gap: gap, n: n, all: make(chan struct{})}
	b.left.Store(int64(n))
	return b
}

func (b *barrier) gapHook(_ context.Context, gap string) {
	if gap != b.gap {
		return
	}
	if b.left.Add(-1) == 0 {
		close(b.all)
	}
	select {
	case <-b.all:
	case <-time.After(waitLimit):
	}
}

// async runs f on its own goroutine; the returned function waits for it.
func async(t *testing.T, f func()) func() {
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	return func() {
		t.Helper()
		select {
		case <-done:
		case <-time.After(waitLimit):
			t.Fatal("operation did not return")
		}
	}
}

// forced is one interleaving through refactored's gaps, forced with store
// hooks, gap hooks and barriers — no sleeping, no dependence on the
// scheduler — and the anomaly kinds it must show.
type forced struct {
	name  string
	shows []string
	run   func(t *testing.T) *harness
}

var forcedInterleavings = []forced{
	{
		// A's update changed memory and is parked before its Put; B's
		// update lands in memory and store; A's Put then lands last.
		name:  "updates persisted out of order",
		shows: []string{StoreDivergence},
		run: func(t *testing.T) *harness {
			g := newGate(callBy(0, "put", ctxsys.StateKey("k"), false))
			h := buildHarness(t, "refactored", 2, ctxsys.Config{}, true, g.hook, nil)
			h.create(-1, "k")
			a := async(t, func() { h.update(0, "k") })
			g.await(t)
			h.update(1, "k")
			h.get(1, "k")
			g.open()
			a()
			return h
		},
	},
	{
		// Three creates pass the check before any inserts: two of one id
		// (both succeed) and one more id over a cap of one.
		name:  "creates through the check-then-insert gap",
		shows: []string{DuplicateCreate, CapacityOvershoot},
		run: func(t *testing.T) *harness {
			h := buildHarness(t, "refactored", 3, ctxsys.Config{MaxContexts: 1}, true, nil, nil)
			h.gap = newBarrier("manager.create", 3).gapHook
			wait := []func(){
				async(t, func() { h.create(0, "a") }),
				async(t, func() { h.create(1, "a") }),
				async(t, func() { h.create(2, "b") }),
			}
			for _, w := range wait {
				w()
			}
			return h
		},
	},
	{
		// Two creates of one id both succeed; then an update parked before
		// its Put outlives a delete, and its Put brings the id back into
		// the store.
		name:  "duplicate create, then an update outlives a delete",
		shows: []string{DuplicateCreate, Zombie},
		run: func(t *testing.T) *harness {
			var armed atomic.Bool // the creates' Puts pass
			put := callBy(0, "put", ctxsys.StateKey("k"), false)
			g := newGate(func(ctx context.Context, op, key string) bool { return armed.Load() && put(ctx, op, key) })
			h := buildHarness(t, "refactored", 2, ctxsys.Config{}, true, g.hook, nil)
			h.gap = newBarrier("manager.create", 2).gapHook
			first, second := async(t, func() { h.create(0, "k") }), async(t, func() { h.create(1, "k") })
			first()
			second()
			armed.Store(true)
			a := async(t, func() { h.update(0, "k") })
			g.await(t)
			h.delete(1, "k")
			g.open()
			a()
			return h
		},
	},
	{
		// A lower version passes the check and waits in the gap while a
		// higher one is accepted and read back; the lower one is then set.
		name:  "tracker update set over a higher version",
		shows: []string{VersionRegression},
		run: func(t *testing.T) *harness {
			h := buildHarness(t, "refactored", 2, ctxsys.Config{}, true, nil, nil)
			h.trackers = append(h.trackers, h.sys.NewTracker())
			g := newGate(callBy(0, "gap", "tracker.update_state", false))
			h.gap = g.gapHook
			a := async(t, func() { h.updateState(0, 0) })
			g.await(t)
			h.updateState(1, 0)
			h.getState(1, 0)
			g.open()
			a()
			h.getState(1, 0)
			return h
		},
	},
	{
		// An adapter update changed the manager and is parked before its
		// Put; a cleanup scans the id as expired and removes it; the
		// update is acknowledged, and puts the id back in the adapter's map
		// and in the store — but not in the manager's memory.
		name:  "cleanup removes an id being refreshed",
		shows: []string{LostRefresh, Zombie},
		run: func(t *testing.T) *harness {
			g := newGate(callBy(1, "put", ctxsys.StateKey("k1"), false))
			h := buildHarness(t, "refactored", 2, ctxsys.Config{TTL: time.Hour}, true, g.hook, nil)
			h.adapterCreate(-1, "k0")
			h.adapterCreate(-1, "k1")
			h.clock.offset.Add(int64(2 * time.Hour)) // both are now expired
			a := async(t, func() { h.adapterUpdate(1, "k1") })
			g.await(t)
			h.cleanup(0)
			g.open()
			a()
			return h
		},
	},
	{
		// Two recovery points both decide on a count of zero (nothing to
		// trim at a limit of one) and both append.
		name:  "recovery points over the limit",
		shows: []string{RecoveryOverflow},
		run: func(t *testing.T) *harness {
			g := newGate(callBy(0, "put", ctxsys.RecoveryPointPrefix, true))
			h := buildHarness(t, "refactored", 2, ctxsys.Config{MaxRecoveryPoints: 1}, true, g.hook, nil)
			h.create(-1, "k")
			a := async(t, func() { h.recoveryPoint(0, "k") })
			g.await(t)
			h.recoveryPoint(1, "k")
			g.open()
			a()
			h.recoveryPoints(1, "k")
			return h
		},
	},
}

// TestRefactoredIsCaught: the checker, not a flag in the strategy, finds
// the anomalies refactored's gaps allow, and porcupine shows a violation,
// on interleavings forced through each gap.
func TestRefactoredIsCaught(t *testing.T) {
	for _, f := range forcedInterleavings {
		t.Run(f.name, func(t *testing.T) {
			dir := t.TempDir()
			got := f.run(t).check(dir)
			for _, kind := range f.shows {
				if got.Anomalies[kind] == 0 {
					t.Errorf("%s = 0, want > 0 (anomalies %v, notes %q)", kind, got.Anomalies, got.Notes)
				}
			}
			if got.Linearizable != results.LinIllegal {
				t.Fatalf("linearizable = %q, want illegal (notes %q)", got.Linearizable, got.Notes)
			}
			page, err := os.ReadFile(filepath.Join(dir, got.Visualization))
			if err != nil {
				t.Fatalf("illegal, but the visualisation %q: %v", got.Visualization, err)
			}
			if !strings.Contains(string(page), "manager.") && !strings.Contains(string(page), "tracker.") &&
				!strings.Contains(string(page), "adapter.") {
				t.Errorf("visualisation does not name the operations")
			}
		})
	}
}
