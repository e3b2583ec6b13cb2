package kvtarget

import (
	"context"
	"testing"

	"lockbench/impl/kv"
	"lockbench/lock"
	"lockbench/store"
	"lockbench/target"
)

// TestOpsThatCreate: put and put_if_absent are the operations that create
// a key, and no other.
func TestOpsThatCreate(t *testing.T) {
	for _, op := range Target().Ops {
		want := op.Name == "kv.put" || op.Name == "kv.put_if_absent"
		if op.Creates != want {
			t.Errorf("%s: Creates = %v, want %v", op.Name, op.Creates, want)
		}
	}
}

// TestObserveKeeps: without Deps.History a client keeps only the writes;
// the history cap keeps exactly HistoryCap operations, and beyond it still
// the writes whose outcome is unknown (they explain divergences).
func TestObserveKeeps(t *testing.T) {
	tg := Target()
	op := func(name string) target.Op {
		o, err := tg.Op(name)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	run := func(history bool, cap int, ops ...target.Op) (*system, *client) {
		t.Helper()
		s, err := tg.Strategy("mutex")
		if err != nil {
			t.Fatal(err)
		}
		sys, err := s.New(target.Deps{Store: store.NewMemory(), Locks: lock.NewSet(false), Clients: 1, History: history,
			Config: Config{HistoryCap: cap}})
		if err != nil {
			t.Fatal(err)
		}
		c := sys.Client(0).(*client)
		for i, o := range ops {
			err := c.Do(context.Background(), o, "k")
			c.Observe(int64(2*i+1), int64(2*i+2), err)
		}
		return sys.(*system), c
	}
	get, put, pia, del := op("kv.get"), op("kv.put"), op("kv.put_if_absent"), op("kv.delete")

	_, c := run(false, 0, get, put, get, pia, del)
	var kept []kv.Op
	for _, r := range c.kept {
		kept = append(kept, r.Op)
	}
	if want := []kv.Op{kv.Put, kv.PutIfAbsent, kv.Delete}; !equalOps(kept, want) {
		t.Errorf("kept without history: %v, want %v", kept, want)
	}

	s, c := run(true, 2, put, get)
	if len(c.kept) != 2 || s.dropped.Load() {
		t.Errorf("cap 2, 2 operations: kept %d, dropped %v; want 2, false", len(c.kept), s.dropped.Load())
	}
	s, c = run(true, 2, put, get, put)
	if len(c.kept) != 2 || !s.dropped.Load() {
		t.Errorf("cap 2, 3 operations: kept %d, dropped %v; want 2, true", len(c.kept), s.dropped.Load())
	}
	// A failed write beyond the cap is kept.
	c.pending = kv.Record{Op: kv.Put, Key: "k", Value: "x", Err: "store"}
	c.Observe(10, 11, nil)
	if len(c.kept) != 3 {
		t.Errorf("a failed write beyond the cap: kept %d operations, want 3", len(c.kept))
	}
}

func equalOps(a, b []kv.Op) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
