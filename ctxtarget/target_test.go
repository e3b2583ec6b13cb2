package ctxtarget_test

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"

	"lockbench/ctxsys"
	"lockbench/ctxtarget"
	"lockbench/impl"
	_ "lockbench/impl/all"
	"lockbench/lock"
	"lockbench/store"
	"lockbench/target"
)

func contextTarget(t *testing.T) *target.Target {
	t.Helper()
	tg, err := target.Lookup("")
	if err != nil || tg.Name != ctxtarget.Name {
		t.Fatalf("default target: %v, %v", tg, err)
	}
	return tg
}

// TestStrategiesFollowImpl: a strategy added with impl.MustRegister after
// the target was registered runs as a context strategy.
func TestStrategiesFollowImpl(t *testing.T) {
	tg := contextTarget(t)
	if got := tg.StrategyNames(); !slices.Equal(got, []string{"naive", "refactored", "sharded"}) {
		t.Fatalf("strategies %v", got)
	}
	naive, err := impl.Lookup("naive")
	if err != nil {
		t.Fatal(err)
	}
	impl.MustRegister(impl.Strategy{Name: "naive-copy", Description: "a user's", New: naive.New})
	defer impl.Unregister("naive-copy")
	if _, err := tg.Strategy("naive-copy"); err != nil {
		t.Errorf("a strategy registered in impl is not a context strategy: %v", err)
	}
}

// TestDriveAndCheck drives a system through the target API — preload, two
// clients, observed operations — and checks it at quiescence.
func TestDriveAndCheck(t *testing.T) {
	tg := contextTarget(t)
	for _, name := range tg.StrategyNames() {
		t.Run(name, func(t *testing.T) {
			s, _ := tg.Strategy(name)
			raw := store.NewMemory()
			var clock atomic.Int64 // Now is called concurrently (the preload)
			now := func() int64 { return clock.Add(1) }
			sys, err := s.New(target.Deps{Store: raw, Locks: lock.NewSet(true), Config: ctxsys.Config{}, Clients: 2, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			keys := []string{"a", "b"}
			if err := sys.(target.Preloader).Preload(ctx, keys, []target.Op{ctxsys.ManagerUpdate, ctxsys.TrackerSync}); err != nil {
				t.Fatal(err)
			}
			for w := range 2 {
				c := sys.Client(w)
				for _, op := range []target.Op{ctxsys.ManagerUpdate, ctxsys.ManagerGet, ctxsys.TrackerUpdateState, ctxsys.TrackerSync, ctxsys.AdapterCreate} {
					key := ""
					if ctxsys.Ops[op].Keyed {
						key = keys[w]
					}
					call := now()
					err := c.Do(ctx, op, key)
					c.(target.Observer).Observe(call, now(), err)
					if err != nil && !errors.Is(err, ctxsys.ErrExists) {
						t.Errorf("%s: %v", ctxsys.Ops[op].Name, err)
					}
				}
			}
			res := sys.(target.Checker).Check(ctx, target.CheckInput{Store: raw})
			if !res.Checked {
				t.Fatalf("not checked: %+v", res)
			}
			for kind, n := range res.Anomalies {
				if n != 0 {
					t.Errorf("%s = %d on a sequential history", kind, n)
				}
			}
		})
	}
}

func TestConfigType(t *testing.T) {
	s, _ := contextTarget(t).Strategy("naive")
	if _, err := s.New(target.Deps{Store: store.NewMemory(), Locks: lock.NewSet(false), Config: 42}); err == nil {
		t.Error("a config that is not a ctxsys.Config was accepted")
	}
}
