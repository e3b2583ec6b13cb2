package kv_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"testing"

	"lockbench/impl/kv"
	"lockbench/lock"
	"lockbench/store"
)

// TestSequential checks every strategy's operations one at a time: what a
// caller sees and what memory and the store hold after.
func TestSequential(t *testing.T) {
	for _, s := range kv.Strategies() {
		t.Run(s.Name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, s, nil, nil)
			want := func(r kv.Record, out string, found bool) {
				t.Helper()
				got := e.do(ctx, r)
				if got.Err != "" || got.Out != out || got.Found != found {
					t.Errorf("%s(%s): got (%q, %v, err %q), want (%q, %v)", r.Op, r.Key, got.Out, got.Found, got.Err, out, found)
				}
			}
			want(get("a"), "", false)
			want(put("a", "1"), "", false)
			want(get("a"), "1", true)
			want(putIfAbsent("a", "2"), "1", true)
			want(putIfAbsent("b", "3"), "3", false)
			want(del("b"), "", true)
			want(del("b"), "", false)
			want(get("b"), "", false)
			for i := range 5 {
				want(put(fmt.Sprintf("k%d", i), fmt.Sprint(i)), "", false)
			}
			sc := e.do(ctx, scan("k1", 3))
			if got := fmt.Sprint(sc.Entries); got != "[{k1 1} {k2 2} {k3 3}]" {
				t.Errorf("scan(k1, 3) = %s", got)
			}
			sc = e.do(ctx, scan("k3", 10))
			if got := fmt.Sprint(sc.Entries); got != "[{k3 3} {k4 4}]" {
				t.Errorf("scan(k3, 10) = %s", got)
			}
			if sc = e.do(ctx, scan("k0", 0)); len(sc.Entries) != 0 {
				t.Errorf("scan(k0, 0) = %v, want nothing", sc.Entries)
			}
			stored, err := kv.ReadStore(ctx, e.mem)
			if err != nil {
				t.Fatal(err)
			}
			if mem := e.cache.Contents(); !maps.Equal(mem, stored) || len(mem) != 6 {
				t.Errorf("memory %v, store %v", mem, stored)
			}
			if res := e.check(t); anomalies(res) != 0 || res.Linearizable != "ok" {
				t.Errorf("check: %+v", res)
			}
		})
	}
}

// TestFailedWrite: a store write that fails leaves memory as it was and
// returns an error matching kv.ErrStore (the correct strategies write the
// store first, then memory).
func TestFailedWrite(t *testing.T) {
	for _, s := range kv.Strategies() {
		t.Run(s.Name, func(t *testing.T) {
			ctx := context.Background()
			mem := store.NewMemory()
			c, err := s.New(kv.Deps{Store: failing{Store: mem}, Locks: lock.NewSet(true)})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Put(ctx, "a", "1"); !errors.Is(err, kv.ErrStore) || kv.ErrorKind(err) != "store" {
				t.Errorf("Put: err %v", err)
			}
			if _, _, err := c.PutIfAbsent(ctx, "a", "1"); !errors.Is(err, kv.ErrStore) {
				t.Errorf("PutIfAbsent: err %v", err)
			}
			if got := c.Contents(); len(got) != 0 {
				t.Errorf("memory after failed writes: %v", got)
			}
		})
	}
}

// TestLocksNamed: every lock a strategy takes is named kv.* and at least
// one is taken by a write (so the report has something to attribute).
func TestLocksNamed(t *testing.T) {
	for _, s := range kv.Strategies() {
		t.Run(s.Name, func(t *testing.T) {
			e := newEnv(t, s, nil, nil)
			e.do(context.Background(), put("a", "1"))
			snap := e.locks.Snapshot()
			if len(snap) == 0 {
				t.Fatal("no locks")
			}
			acquired := int64(0)
			for name, f := range snap {
				if len(name) < 4 || name[:3] != "kv." {
					t.Errorf("lock %q not named kv.*", name)
				}
				acquired += f.Acquisitions
			}
			if acquired == 0 {
				t.Errorf("a put took no lock: %v", snap)
			}
		})
	}
}
