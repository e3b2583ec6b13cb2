package naive_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/impl/impltest"
	"lockbench/impl/internal/hooktest"
	"lockbench/impl/naive"
	"lockbench/store"
)

var state = hooktest.State

func newEnv(t *testing.T, cfg ctxsys.Config, before store.Hook) *hooktest.Env {
	t.Helper()
	return hooktest.NewEnv(t, naive.New, cfg, before, nil)
}

// The scenarios of ../refactored's gap tests, where refactored shows an
// anomaly each. Here the first operation is parked inside its store call
// while holding its lock; the second is started, and once it is parked on
// that lock (read from the goroutine stacks, no sleeping) the first is let
// go. The second can only proceed after the first finished, so it sees the
// first's effect: no anomaly, and memory equals the store.
func TestNoAnomalies(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		run  func(t *testing.T) *hooktest.Env
	}{
		{"duplicate_create", func(t *testing.T) *hooktest.Env {
			gate := hooktest.NewGate(hooktest.CallBy("A", "put", ctxsys.StateKey("x")))
			e := newEnv(t, ctxsys.Config{}, gate.Before)
			m := e.Sys.Manager
			a := hooktest.Go(func() error { return m.Create(hooktest.As(ctx, "A"), "x", state("x", 1)) })
			hooktest.Must(t, gate.Arrived())
			b := hooktest.Go(func() error { return m.Create(ctx, "x", state("x", 2)) })
			hooktest.AwaitBlocked(t, b, "naive.(*Manager).Create(", 2)
			gate.Release()
			if errA, errB := a.Wait(t), b.Wait(t); errA != nil || !errors.Is(errB, ctxsys.ErrExists) {
				t.Fatalf("creates of one id: %v, %v; want nil and ErrExists", errA, errB)
			}
			return e
		}},
		{"capacity_overshoot", func(t *testing.T) *hooktest.Env {
			gate := hooktest.NewGate(hooktest.CallBy("A", "put", ctxsys.StateKey("a")))
			e := newEnv(t, ctxsys.Config{MaxContexts: 1}, gate.Before)
			m := e.Sys.Manager
			a := hooktest.Go(func() error { return m.Create(hooktest.As(ctx, "A"), "a", state("a", 1)) })
			hooktest.Must(t, gate.Arrived())
			b := hooktest.Go(func() error { return m.Create(ctx, "b", state("b", 1)) })
			hooktest.AwaitBlocked(t, b, "naive.(*Manager).Create(", 2)
			gate.Release()
			if errA, errB := a.Wait(t), b.Wait(t); errA != nil || !errors.Is(errB, ctxsys.ErrLimit) {
				t.Fatalf("creates at max_contexts=1: %v, %v; want nil and ErrLimit", errA, errB)
			}
			return e
		}},
		{"store_divergence", func(t *testing.T) *hooktest.Env {
			gate := hooktest.NewGate(hooktest.CallBy("A", "put", ctxsys.StateKey("x")))
			e := newEnv(t, ctxsys.Config{}, gate.Before)
			m := e.Sys.Manager
			hooktest.Must(t, m.Create(ctx, "x", state("x", 1)))
			a := hooktest.Go(func() error { return m.Update(hooktest.As(ctx, "A"), "x", state("x", 2)) })
			hooktest.Must(t, gate.Arrived())
			b := hooktest.Go(func() error { return m.Update(ctx, "x", state("x", 3)) })
			hooktest.AwaitBlocked(t, b, "naive.(*Manager).Update(", 2)
			gate.Release()
			hooktest.Must(t, a.Wait(t))
			hooktest.Must(t, b.Wait(t))
			if got, _ := m.Get(ctx, "x"); got.Version != 3 {
				t.Fatalf("version %d after updates to 2 then 3, want 3", got.Version)
			}
			return e
		}},
		{"zombie", func(t *testing.T) *hooktest.Env {
			gate := hooktest.NewGate(hooktest.CallBy("A", "put", ctxsys.StateKey("x")))
			e := newEnv(t, ctxsys.Config{}, gate.Before)
			m := e.Sys.Manager
			hooktest.Must(t, m.Create(ctx, "x", state("x", 1)))
			a := hooktest.Go(func() error { return m.Update(hooktest.As(ctx, "A"), "x", state("x", 2)) })
			hooktest.Must(t, gate.Arrived())
			b := hooktest.Go(func() error { return m.Delete(ctx, "x") })
			hooktest.AwaitBlocked(t, b, "naive.(*Manager).Delete(", 1)
			gate.Release()
			hooktest.Must(t, a.Wait(t))
			hooktest.Must(t, b.Wait(t))
			if _, err := m.Get(ctx, "x"); !errors.Is(err, ctxsys.ErrNotFound) {
				t.Fatalf("Get after update then delete: %v, want ErrNotFound", err)
			}
			return e
		}},
		{"version_regression", func(t *testing.T) *hooktest.Env {
			// naive holds tracker.state across the auto recovery point, so
			// the store hook can park v3 inside its critical section.
			gate := hooktest.NewGate(func(ctx context.Context, op, key string) bool {
				return op == "put" && strings.HasPrefix(key, ctxsys.RecoveryPointPrefix) && hooktest.RoleOf(ctx) == "A"
			})
			e := newEnv(t, ctxsys.Config{AutoRecovery: true}, gate.Before)
			hooktest.Must(t, e.Sys.Manager.Create(ctx, "x", state("x", 1)))
			tr := e.Sys.NewTracker()
			hooktest.Must(t, tr.Activate(ctx, "x"))
			a := hooktest.Go(func() error { return tr.UpdateState(hooktest.As(ctx, "A"), state("x", 3)) })
			hooktest.Must(t, gate.Arrived())
			b := hooktest.Go(func() error { return tr.UpdateState(ctx, state("x", 2)) })
			hooktest.AwaitBlocked(t, b, "naive.(*Tracker).UpdateState(", 2)
			gate.Release()
			if errA, errB := a.Wait(t), b.Wait(t); errA != nil || !errors.Is(errB, ctxsys.ErrStaleVersion) {
				t.Fatalf("UpdateState v3 then v2: %v, %v; want nil and ErrStaleVersion", errA, errB)
			}
			if got, _ := tr.State(ctx); got.Version != 3 {
				t.Fatalf("tracker version %d, want 3", got.Version)
			}
			return e
		}},
		{"lost_refresh", func(t *testing.T) *hooktest.Env {
			gate := hooktest.NewGate(hooktest.Call("delete", ctxsys.StateKey("a")))
			e := newEnv(t, ctxsys.Config{TTL: time.Hour}, gate.Before)
			ad := e.Sys.Adapter
			for _, id := range []string{"a", "b"} {
				if _, err := ad.Create(ctx, id, []byte(id)); err != nil {
					t.Fatal(err)
				}
			}
			e.Clock.Advance(2 * time.Hour)
			var removed []string
			c := hooktest.Go(func() (err error) { removed, err = ad.CleanupExpired(ctx); return err })
			hooktest.Must(t, gate.Arrived())
			b := hooktest.Go(func() error { _, err := ad.Update(ctx, "b", []byte("fresh")); return err })
			hooktest.AwaitBlocked(t, b, "naive.(*Adapter).Update(", 1)
			gate.Release()
			hooktest.Must(t, c.Wait(t))
			// The refresh waits for the cleanup's lock and finds b gone: it
			// is refused, not acknowledged and then lost.
			if errB := b.Wait(t); !slices.Equal(removed, []string{"a", "b"}) || !errors.Is(errB, ctxsys.ErrNotFound) {
				t.Fatalf("removed %v, refresh of b: %v; want [a b] and ErrNotFound", removed, errB)
			}
			return e
		}},
		{"recovery_overflow", func(t *testing.T) *hooktest.Env {
			gate := hooktest.NewGate(func(ctx context.Context, op, key string) bool {
				return op == "put" && hooktest.RoleOf(ctx) == "A"
			})
			e := newEnv(t, ctxsys.Config{MaxRecoveryPoints: 1}, gate.Before)
			m := e.Sys.Manager
			hooktest.Must(t, m.Create(ctx, "x", state("x", 1)))
			a := hooktest.Go(func() error { _, err := m.CreateRecoveryPoint(hooktest.As(ctx, "A"), "x"); return err })
			hooktest.Must(t, gate.Arrived())
			b := hooktest.Go(func() error { _, err := m.CreateRecoveryPoint(ctx, "x"); return err })
			hooktest.AwaitBlocked(t, b, "naive.(*Manager).CreateRecoveryPoint(", 2)
			gate.Release()
			hooktest.Must(t, a.Wait(t))
			hooktest.Must(t, b.Wait(t))
			if rps, _ := m.RecoveryPoints(ctx, "x"); len(rps) != 1 || rps[0].Seq != 2 {
				t.Fatalf("recovery points %+v, want only seq 2 (max 1)", rps)
			}
			return e
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.run(t)
			if d := e.Differences(); len(d) != 0 {
				t.Fatalf("memory and store differ at quiescence:\n%s", strings.Join(d, "\n"))
			}
		})
	}
}

var errBroken = errors.New("broken store")

// broken fails the calls named in fail, and the delete numbered
// failDelete (1 = the next one) if set.
type broken struct {
	store.Store
	fail       map[string]bool
	failDelete *int
}

func (b broken) Put(ctx context.Context, k string, v []byte) error {
	if b.fail["put"] {
		return errBroken
	}
	return b.Store.Put(ctx, k, v)
}

func (b broken) Delete(ctx context.Context, k string) error {
	if b.fail["delete"] {
		return errBroken
	}
	if b.failDelete != nil {
		*b.failDelete--
		if *b.failDelete == 0 {
			return errBroken
		}
	}
	return b.Store.Delete(ctx, k)
}

// On a failed store write naive changes nothing in memory and returns the
// store's error wrapped.
func TestStoreFailureChangesNothing(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory()
	fail := map[string]bool{}
	sys, err := naive.New(impl.Deps{Store: broken{Store: mem, fail: fail}})
	if err != nil {
		t.Fatal(err)
	}
	m := sys.Manager
	hooktest.Must(t, m.Create(ctx, "x", state("x", 1)))
	if _, err := m.CreateRecoveryPoint(ctx, "x"); err != nil {
		t.Fatal(err)
	}
	fail["put"], fail["delete"] = true, true

	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"create", func() error { return m.Create(ctx, "y", state("y", 1)) }},
		{"update", func() error { return m.Update(ctx, "x", state("x", 2)) }},
		{"delete", func() error { return m.Delete(ctx, "x") }},
		{"recovery_point", func() error { _, err := m.CreateRecoveryPoint(ctx, "x"); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); !errors.Is(err, ctxsys.ErrStore) || !errors.Is(err, errBroken) {
				t.Fatalf("error %v, want ErrStore wrapping the store's error", err)
			}
			ids, _ := m.List(ctx)
			x, _ := m.Get(ctx, "x")
			rps, _ := m.RecoveryPoints(ctx, "x")
			if !slices.Equal(ids, []string{"x"}) || x.Version != 1 || len(rps) != 1 {
				t.Fatalf("memory changed: ids %v, x version %d, %d recovery points", ids, x.Version, len(rps))
			}
		})
	}
}

// When a multi-key write fails part-way (after the first store call took
// effect), naive's memory keeps exactly what the store has: the operation
// returns the error, and the consistency checker finds no divergence.
func TestPartialFailureMirrorsStore(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		failCall int // which delete fails, 1-based
		call     func(m ctxsys.Manager) error
		wantIDs  []string
		wantSeqs []uint64
	}{
		{"delete: second recovery point key", 2,
			func(m ctxsys.Manager) error { return m.Delete(ctx, "x") },
			[]string{"x"}, []uint64{2}},
		{"delete: state key", 3,
			func(m ctxsys.Manager) error { return m.Delete(ctx, "x") },
			[]string{"x"}, []uint64{}},
		{"recovery point: trimmed key", 1,
			func(m ctxsys.Manager) error { _, err := m.CreateRecoveryPoint(ctx, "x"); return err },
			[]string{"x"}, []uint64{1, 2, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := store.NewMemory()
			var failDelete int
			sys, err := naive.New(impl.Deps{
				Store:  broken{Store: mem, failDelete: &failDelete},
				Config: ctxsys.Config{MaxRecoveryPoints: 2},
			})
			if err != nil {
				t.Fatal(err)
			}
			m := sys.Manager
			hooktest.Must(t, m.Create(ctx, "x", state("x", 1)))
			for range 2 {
				if _, err := m.CreateRecoveryPoint(ctx, "x"); err != nil {
					t.Fatal(err)
				}
			}
			failDelete = tc.failCall
			if err := tc.call(m); !errors.Is(err, errBroken) {
				t.Fatalf("error %v, want the store's", err)
			}
			ids, _ := m.List(ctx)
			rps, _ := m.RecoveryPoints(ctx, "x")
			seqs := []uint64{}
			for _, rp := range rps {
				seqs = append(seqs, rp.Seq)
			}
			if !slices.Equal(ids, tc.wantIDs) || !slices.Equal(seqs, tc.wantSeqs) {
				t.Fatalf("memory: ids %v, seqs %v; want %v, %v", ids, seqs, tc.wantIDs, tc.wantSeqs)
			}
			if d := impltest.DiffStore(m, mem); len(d) != 0 {
				t.Fatalf("memory and store differ:\n%s", strings.Join(d, "\n"))
			}
		})
	}
}
