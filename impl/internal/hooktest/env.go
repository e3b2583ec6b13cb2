package hooktest

import (
	"context"
	"testing"
	"time"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/impl/impltest"
	"lockbench/lock"
	"lockbench/store"
)

// Env is a system under test: built over a memory store wrapped in the
// given hooks (and traced, as the runner does), with instrumented locks and
// a fake clock. Mem is the bare store, to read what was persisted without
// going through the hooks.
type Env struct {
	Sys   *impl.System
	Mem   *store.Memory
	Locks *lock.Set
	Clock *ctxsys.FakeClock
}

// T0 is the fake clock's start.
var T0 = time.Date(2024, 3, 28, 9, 0, 0, 0, time.UTC)

// NewEnv builds a system with newSystem (a strategy's New). At the end of
// the test it checks that no lock is left held.
func NewEnv(t *testing.T, newSystem func(impl.Deps) (*impl.System, error), cfg ctxsys.Config, before, after store.Hook) *Env {
	t.Helper()
	e := &Env{Mem: store.NewMemory(), Locks: lock.NewSet(true), Clock: ctxsys.NewFakeClock(T0)}
	sys, err := newSystem(impl.Deps{
		Store:  store.Instrument(e.Mem, store.Hooks{Before: before, After: after}),
		Locks:  e.Locks,
		Clock:  e.Clock,
		Config: cfg.WithDefaults(),
	})
	if err != nil {
		t.Fatal(err)
	}
	e.Sys = sys
	t.Cleanup(func() {
		if held := e.Locks.Held(); len(held) != 0 {
			t.Errorf("locks still held at quiescence: %v", held)
		}
	})
	return e
}

// Stored reads what the store holds.
func (e *Env) Stored(t *testing.T) Stored {
	t.Helper()
	s, err := ReadStore(context.Background(), e.Mem)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Differences compares the manager's memory with the store, one line per
// difference (impltest.DiffStore).
func (e *Env) Differences() []string { return impltest.DiffStore(e.Sys.Manager, e.Mem) }

// State is a state of id at version, with data derived from the version.
func State(id string, version uint64) ctxsys.State {
	return ctxsys.State{ID: id, Version: version, Data: []byte{byte(version)}}
}
