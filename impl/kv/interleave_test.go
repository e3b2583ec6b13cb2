package kv_test

import (
	"context"
	"testing"

	"lockbench/impl/internal/hooktest"
	"lockbench/impl/kv"
	"lockbench/impl/kv/kvcheck"
)

// party runs one operation as role; its name is the marker AwaitBlocked
// looks for in the goroutines' stacks.
func party(e *env, role string, r kv.Record) kv.Record {
	return e.do(hooktest.As(context.Background(), role), r)
}

// race forces the interleaving of two operations on one key: a's store call
// (op, before or after it) is parked at a gate; b runs until it returns or
// blocks (on a lock a holds); then a is let go. Nothing sleeps.
func race(t *testing.T, e *env, gate *hooktest.Gate, a, b kv.Record) (ra, rb kv.Record) {
	t.Helper()
	var outA, outB kv.Record
	doneA := hooktest.Go(func() error { outA = party(e, "a", a); return nil })
	hooktest.Must(t, gate.Arrived())
	doneB := hooktest.Go(func() error { outB = party(e, "b", b); return nil })
	// a is parked in the gate (one goroutine with the marker); b has
	// returned or is parked behind a's lock (two).
	hooktest.AwaitBlocked(t, doneB, "kv_test.party(", 2)
	gate.Release()
	doneA.Wait(t)
	doneB.Wait(t)
	return outA, outB
}

// TestCheckThenAct: two put_if_absent of one absent key, the first parked
// in its store write. racy lets the second find the key absent too and both
// insert: the checker must count a duplicate_insert and porcupine must find
// the history illegal. Every other strategy makes the second wait and find
// the first's value, and passes.
func TestCheckThenAct(t *testing.T) {
	for _, s := range kv.Strategies() {
		t.Run(s.Name, func(t *testing.T) {
			gate := hooktest.NewGate(hooktest.CallBy("a", "put", kv.StoreKey("k")))
			e := newEnv(t, s, gate.Before, nil)
			ra, rb := race(t, e, gate, putIfAbsent("k", "A"), putIfAbsent("k", "B"))
			res := e.check(t)
			if !s.Linearizable {
				if ra.Found || rb.Found {
					t.Fatalf("racy: the interleaving was not forced: a %+v, b %+v", ra, rb)
				}
				if res.Anomalies[kvcheck.DuplicateInsert] != 1 || res.Linearizable != kvcheck.Illegal {
					t.Errorf("racy: both inserted, but the checker says %+v", res)
				}
				return
			}
			if ra.Found || !rb.Found || rb.Out != "A" {
				t.Errorf("a %+v, b %+v: want a to insert and b to load a's value", ra, rb)
			}
			if anomalies(res) != 0 || res.Linearizable != kvcheck.Ok {
				t.Errorf("checker: %+v", res)
			}
		})
	}
}

// TestStoreOrder: two puts of one key, the first parked after its store
// write returned. racy writes memory after the store with nothing ordering
// the two, so the second put lands in both before the first reaches memory:
// memory ends with A, the store with B — a store_divergence, and a history
// porcupine rejects (the final reads disagree). Every other strategy holds a
// lock across the store write, so the second waits, and both end with B.
func TestStoreOrder(t *testing.T) {
	for _, s := range kv.Strategies() {
		t.Run(s.Name, func(t *testing.T) {
			gate := hooktest.NewGate(hooktest.CallBy("a", "put", kv.StoreKey("k")))
			e := newEnv(t, s, nil, gate.Before)
			race(t, e, gate, put("k", "A"), put("k", "B"))
			res := e.check(t)
			mem, stored := e.cache.Contents()["k"], e.storeValue(t, "k")
			if !s.Linearizable {
				if mem != "A" || stored != "B" {
					t.Fatalf("racy: the interleaving was not forced: memory %q, store %q", mem, stored)
				}
				if res.Anomalies[kvcheck.StoreDivergence] != 1 || res.Linearizable != kvcheck.Illegal {
					t.Errorf("racy: memory and store disagree, but the checker says %+v", res)
				}
				return
			}
			if mem != "B" || stored != "B" {
				t.Errorf("memory %q, store %q: want both B", mem, stored)
			}
			if anomalies(res) != 0 || res.Linearizable != kvcheck.Ok {
				t.Errorf("checker: %+v", res)
			}
		})
	}
}

// TestDoubleDelete: two deletes of one key, the first parked in its store
// delete. racy lets both report deleting it (duplicate_delete); the others
// make the second find it gone.
func TestDoubleDelete(t *testing.T) {
	for _, s := range kv.Strategies() {
		t.Run(s.Name, func(t *testing.T) {
			gate := hooktest.NewGate(hooktest.CallBy("a", "delete", kv.StoreKey("k")))
			e := newEnv(t, s, gate.Before, nil)
			e.do(context.Background(), put("k", "0"))
			ra, rb := race(t, e, gate, del("k"), del("k"))
			res := e.check(t)
			if !s.Linearizable {
				if !ra.Found || !rb.Found {
					t.Fatalf("racy: the interleaving was not forced: a %+v, b %+v", ra, rb)
				}
				if res.Anomalies[kvcheck.DuplicateDelete] != 1 || res.Linearizable != kvcheck.Illegal {
					t.Errorf("racy: both deleted, but the checker says %+v", res)
				}
				return
			}
			if !ra.Found || rb.Found {
				t.Errorf("a %+v, b %+v: want only a to delete", ra, rb)
			}
			if anomalies(res) != 0 || res.Linearizable != kvcheck.Ok {
				t.Errorf("checker: %+v", res)
			}
		})
	}
}

func (e *env) storeValue(t *testing.T, key string) string {
	t.Helper()
	v, err := e.mem.Get(context.Background(), kv.StoreKey(key))
	if err != nil {
		t.Fatal(err)
	}
	return string(v)
}
