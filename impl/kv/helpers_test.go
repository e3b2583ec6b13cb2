package kv_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"lockbench/impl/kv"
	"lockbench/impl/kv/kvcheck"
	"lockbench/lock"
	"lockbench/store"
)

// env is a cache over a hooked memory store, traced as the runner does, with
// a recorder of its history on a logical clock: every call and return takes
// the next tick, so the ticks order events as they really happened.
type env struct {
	cache kv.Cache
	mem   *store.Memory
	locks *lock.Set

	clock atomic.Int64
	mu    sync.Mutex
	hist  []kv.Record
}

func newEnv(t *testing.T, s kv.Strategy, before, after store.Hook) *env {
	t.Helper()
	e := &env{mem: store.NewMemory(), locks: lock.NewSet(true)}
	c, err := s.New(kv.Deps{Store: store.Instrument(e.mem, store.Hooks{Before: before, After: after}), Locks: e.locks})
	if err != nil {
		t.Fatal(err)
	}
	e.cache = c
	t.Cleanup(func() {
		if held := e.locks.Held(); len(held) != 0 {
			t.Errorf("locks still held at quiescence: %v", held)
		}
	})
	return e
}

// do runs r on the cache (with a lock trace, as the runner does) and
// records it.
func (e *env) do(ctx context.Context, r kv.Record) kv.Record {
	ctx = lock.WithTrace(ctx, &lock.Trace{})
	r.Call = e.clock.Add(1)
	kv.Apply(ctx, e.cache, &r)
	r.Return = e.clock.Add(1)
	e.mu.Lock()
	e.hist = append(e.hist, r)
	e.mu.Unlock()
	return r
}

func put(key, value string) kv.Record { return kv.Record{Op: kv.Put, Key: key, Value: value} }
func putIfAbsent(key, value string) kv.Record {
	return kv.Record{Op: kv.PutIfAbsent, Key: key, Value: value}
}
func get(key string) kv.Record          { return kv.Record{Op: kv.Get, Key: key} }
func del(key string) kv.Record          { return kv.Record{Op: kv.Delete, Key: key} }
func scan(from string, n int) kv.Record { return kv.Record{Op: kv.Scan, Key: from, N: n} }

// check runs the checker on everything recorded, with the quiescent state.
func (e *env) check(t *testing.T) kvcheck.Result {
	t.Helper()
	stored, err := kv.ReadStore(context.Background(), e.mem)
	if err != nil {
		t.Fatal(err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	res, err := kvcheck.Check(kvcheck.Input{
		History: e.hist, Complete: true, Memory: e.cache.Contents(), Store: stored, Linearizability: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func anomalies(res kvcheck.Result) int {
	n := 0
	for kind, c := range res.Anomalies {
		if kind != kvcheck.FailedWriteVisible {
			n += c
		}
	}
	return n
}

// strategy returns the built-in strategy called name.
func strategy(t *testing.T, name string) kv.Strategy {
	t.Helper()
	for _, s := range kv.Strategies() {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no strategy %q", name)
	return kv.Strategy{}
}

// failing is a store whose writes fail (after landing, when land is set).
type failing struct {
	store.Store
	land bool
}

var errInjected = errors.New("injected")

func (f failing) Put(ctx context.Context, key string, v []byte) error {
	if f.land {
		f.Store.Put(ctx, key, v)
	}
	return errInjected
}

func (f failing) Delete(ctx context.Context, key string) error {
	if f.land {
		f.Store.Delete(ctx, key)
	}
	return errInjected
}
