package refactored

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"lockbench/ctxsys"
	"lockbench/impl/internal/hooktest"
	"lockbench/store"
)

// The tests below force, without sleeping, each interleaving through a
// check-then-act gap that refactored keeps, and assert the anomaly it lets
// through (go doc lockbench/consistency). Where the gap holds a store call, a store hook parks
// it; where it holds none (between a read lock and a write lock), the
// package's gap hook does. ../naive has the same scenarios, where none of
// them shows.

func TestGaps(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		run  func(t *testing.T)
	}{
		{"duplicate_create", func(t *testing.T) {
			e := newEnv(t, ctxsys.Config{}, nil, nil)
			// Both creates pass the check before either inserts.
			both := hooktest.NewBarrier(2)
			e.manager.gap = func(_ context.Context, gap string) {
				if gap == "manager.create" {
					hooktest.Must(t, both.Wait())
				}
			}
			a := hooktest.Go(func() error { return e.manager.Create(ctx, "x", state("x", 1)) })
			b := hooktest.Go(func() error { return e.manager.Create(ctx, "x", state("x", 2)) })
			if errA, errB := a.Wait(t), b.Wait(t); errA != nil || errB != nil {
				t.Fatalf("creates of one id: %v, %v; want both to succeed (the gap)", errA, errB)
			}
		}},
		{"capacity_overshoot", func(t *testing.T) {
			e := newEnv(t, ctxsys.Config{MaxContexts: 1}, nil, nil)
			both := hooktest.NewBarrier(2)
			e.manager.gap = func(_ context.Context, gap string) {
				if gap == "manager.create" {
					hooktest.Must(t, both.Wait())
				}
			}
			a := hooktest.Go(func() error { return e.manager.Create(ctx, "a", state("a", 1)) })
			b := hooktest.Go(func() error { return e.manager.Create(ctx, "b", state("b", 1)) })
			if errA, errB := a.Wait(t), b.Wait(t); errA != nil || errB != nil {
				t.Fatalf("creates at max_contexts=1: %v, %v; want both to succeed (the gap)", errA, errB)
			}
			if ids, _ := e.manager.List(ctx); len(ids) != 2 {
				t.Fatalf("List = %v, want 2 ids over a cap of 1", ids)
			}
		}},
		{"store_divergence", func(t *testing.T) {
			// A's Put is parked after A changed memory; B updates memory and
			// store meanwhile; A's Put then lands last.
			gate := hooktest.NewGate(hooktest.CallBy("A", "put", ctxsys.StateKey("x")))
			e := newEnv(t, ctxsys.Config{}, gate.Before, nil)
			hooktest.Must(t, e.manager.Create(ctx, "x", state("x", 1)))
			a := hooktest.Go(func() error { return e.manager.Update(hooktest.As(ctx, "A"), "x", state("x", 2)) })
			hooktest.Must(t, gate.Arrived())
			hooktest.Must(t, e.manager.Update(ctx, "x", state("x", 3)))
			gate.Release()
			hooktest.Must(t, a.Wait(t))
			mem, _ := e.manager.Get(ctx, "x")
			st := e.Stored(t).States["x"]
			if mem.Version != 3 || st.Version != 2 {
				t.Fatalf("memory version %d, store version %d; want 3 and 2 (persisted in the opposite order)", mem.Version, st.Version)
			}
		}},
		{"zombie", func(t *testing.T) {
			// An update parked in its Put outlives a delete of its id.
			gate := hooktest.NewGate(hooktest.CallBy("A", "put", ctxsys.StateKey("x")))
			e := newEnv(t, ctxsys.Config{}, gate.Before, nil)
			hooktest.Must(t, e.manager.Create(ctx, "x", state("x", 1)))
			a := hooktest.Go(func() error { return e.manager.Update(hooktest.As(ctx, "A"), "x", state("x", 2)) })
			hooktest.Must(t, gate.Arrived())
			hooktest.Must(t, e.manager.Delete(ctx, "x"))
			gate.Release()
			hooktest.Must(t, a.Wait(t))
			_, errGet := e.manager.Get(ctx, "x")
			_, inStore := e.Stored(t).States["x"]
			if !errors.Is(errGet, ctxsys.ErrNotFound) || !inStore {
				t.Fatalf("after delete: Get err %v, in store %v; want not found in memory but present in the store", errGet, inStore)
			}
		}},
		{"version_regression", func(t *testing.T) {
			e := newEnv(t, ctxsys.Config{}, nil, nil)
			tr := e.Sys.NewTracker().(*Tracker)
			hooktest.Must(t, tr.UpdateState(ctx, state("x", 1)))
			// v2 passes its check, then waits in the gap while v3 checks
			// and sets; v2 then sets over v3.
			gate := hooktest.NewGate(hooktest.CallBy("A", "gap", "tracker.update_state"))
			tr.gap = func(ctx context.Context, gap string) { gate.Before(ctx, "gap", gap) }
			a := hooktest.Go(func() error { return tr.UpdateState(hooktest.As(ctx, "A"), state("x", 2)) })
			hooktest.Must(t, gate.Arrived())
			hooktest.Must(t, tr.UpdateState(ctx, state("x", 3)))
			gate.Release()
			hooktest.Must(t, a.Wait(t))
			if got, _ := tr.State(ctx); got.Version != 2 {
				t.Fatalf("tracker version %d after accepting v3 then v2; want 2 (regression)", got.Version)
			}
		}},
		{"lost_refresh", func(t *testing.T) {
			// Cleanup scans a and b as expired, is parked deleting a; b is
			// refreshed and acknowledged; cleanup then removes b anyway.
			gate := hooktest.NewGate(hooktest.Call("delete", ctxsys.StateKey("a")))
			e := newEnv(t, ctxsys.Config{TTL: time.Hour}, gate.Before, nil)
			for _, id := range []string{"a", "b"} {
				if _, err := e.adapter.Create(ctx, id, []byte(id)); err != nil {
					t.Fatal(err)
				}
			}
			e.Clock.Advance(2 * time.Hour)
			var removed []string
			c := hooktest.Go(func() (err error) { removed, err = e.adapter.CleanupExpired(ctx); return err })
			hooktest.Must(t, gate.Arrived())
			refreshed, err := e.adapter.Update(ctx, "b", []byte("fresh"))
			hooktest.Must(t, err)
			gate.Release()
			hooktest.Must(t, c.Wait(t))
			_, errGet := e.adapter.Get(ctx, "b")
			if !slices.Equal(removed, []string{"a", "b"}) || !errors.Is(errGet, ctxsys.ErrNotFound) {
				t.Fatalf("removed %v, Get(b) err %v after b was refreshed at %v; want b removed (lost refresh)", removed, errGet, refreshed.UpdatedAt)
			}
		}},
		{"recovery_overflow", func(t *testing.T) {
			// Both snapshots decide on a count of 0 (nothing to trim at a
			// max of 1); both append.
			gate := hooktest.NewGate(func(ctx context.Context, op, key string) bool {
				return op == "put" && hooktest.RoleOf(ctx) == "A"
			})
			e := newEnv(t, ctxsys.Config{MaxRecoveryPoints: 1}, gate.Before, nil)
			hooktest.Must(t, e.manager.Create(ctx, "x", state("x", 1)))
			a := hooktest.Go(func() error { _, err := e.manager.CreateRecoveryPoint(hooktest.As(ctx, "A"), "x"); return err })
			hooktest.Must(t, gate.Arrived())
			if _, err := e.manager.CreateRecoveryPoint(ctx, "x"); err != nil {
				t.Fatal(err)
			}
			gate.Release()
			hooktest.Must(t, a.Wait(t))
			if rps, _ := e.manager.RecoveryPoints(ctx, "x"); len(rps) != 2 {
				t.Fatalf("%d recovery points with a max of 1, want 2 (overflow)", len(rps))
			}
		}},
	} {
		t.Run(tc.name, tc.run)
	}
}

// A failed Put leaves refactored's memory changed: the order of its steps
// (memory first, store second) implies it.
func TestStoreFailureAfterMemoryChange(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, ctxsys.Config{}, nil, nil)
	failing := failPuts{Store: e.Sys.Manager.(*Manager).store}
	e.manager.store = failing
	err := e.manager.Create(ctx, "x", state("x", 1))
	if !errors.Is(err, ctxsys.ErrStore) || !errors.Is(err, errBroken) {
		t.Fatalf("Create on a failing store: %v, want ErrStore wrapping the store's error", err)
	}
	if _, err := e.manager.Get(ctx, "x"); err != nil {
		t.Fatalf("Get after the failed create: %v; want the context in memory (the gap)", err)
	}
}

var errBroken = errors.New("broken store")

type failPuts struct{ store.Store }

func (failPuts) Put(context.Context, string, []byte) error { return errBroken }
