package targettest

import (
	"context"
	"sync"
	"sync/atomic"

	"lockbench/store"
)

// Gate wraps a store so that a chosen operation can be stopped at one of its
// store calls — just before the call or just after it, with whatever locks
// the operation holds across I/O still held — while other operations run. That is where
// check-then-act strategies leave their gaps, and forcing an operation to
// wait there makes an interleaving happen every time instead of once in a
// thousand runs. (Go's scheduler offers no such control: testing/synctest
// does not treat a goroutine blocked on a sync.Mutex as durably blocked.)
//
// Only operations whose context came from Park are stopped; every other
// call passes through untouched.
type Gate struct {
	store.Store
}

// NewGate wraps s.
func NewGate(s store.Store) *Gate {
	return &Gate{Store: store.Instrument(s, store.Hooks{Before: park, After: park})}
}

// Parked is one operation's appointment at the gate.
type Parked struct {
	n        int // park at the n-th stop (1-based)
	calls    atomic.Int32
	arrived  chan struct{}
	release  chan struct{}
	once     sync.Once
	released sync.Once
}

type parkKey struct{}

// Park returns a context for one operation that stops at the gate, until
// Release, at its n-th stop (1-based). An operation's stops are just before
// and just after each of its store calls: n = 1 is before its first call,
// 2 after it (the write done, memory maybe not yet), 3 before its second
// call, and so on. Pass the context to the operation; wait on Arrived to
// know it got there.
func Park(ctx context.Context, n int) (context.Context, *Parked) {
	p := &Parked{n: n, arrived: make(chan struct{}), release: make(chan struct{})}
	return context.WithValue(ctx, parkKey{}, p), p
}

// Arrived is closed when the operation is stopped at the gate.
func (p *Parked) Arrived() <-chan struct{} { return p.arrived }

// Release lets the stopped operation go on (and any later call through).
// It may be called before the operation arrives, and more than once.
func (p *Parked) Release() { p.released.Do(func() { close(p.release) }) }

// park is the gate's hook, before and after every call.
func park(ctx context.Context, _, _ string) {
	p, _ := ctx.Value(parkKey{}).(*Parked)
	if p == nil || int(p.calls.Add(1)) != p.n {
		return
	}
	p.once.Do(func() { close(p.arrived) })
	<-p.release
}
