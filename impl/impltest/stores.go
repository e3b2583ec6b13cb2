package impltest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"lockbench/store"
)

// ErrInjected is the failure a faultStore returns.
var ErrInjected = errors.New("impltest: injected store failure")

// faultStore fails the next call of an armed kind ("put" or "delete") once.
// store.Instrument's hooks can observe calls but not fail them.
type faultStore struct {
	store.Store
	mu    sync.Mutex
	armed map[string]bool
}

// failNext makes the next call of op fail with ErrInjected.
func (f *faultStore) failNext(op string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.armed == nil {
		f.armed = map[string]bool{}
	}
	f.armed[op] = true
}

// fire reports whether this call of op must fail, disarming op.
func (f *faultStore) fire(op string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	armed := f.armed[op]
	delete(f.armed, op)
	return armed
}

// stillArmed reports whether op was armed and never fired.
func (f *faultStore) stillArmed(op string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.armed[op]
}

func (f *faultStore) Put(ctx context.Context, key string, value []byte) error {
	if f.fire("put") {
		return ErrInjected
	}
	return f.Store.Put(ctx, key, value)
}

func (f *faultStore) Delete(ctx context.Context, key string) error {
	if f.fire("delete") {
		return ErrInjected
	}
	return f.Store.Delete(ctx, key)
}

// gateStore holds every Put at a gate until open is called, and records
// the peak number of Puts in flight.
type gateStore struct {
	store.Store
	gate     chan struct{}
	openOnce sync.Once
	inFlight atomic.Int64
	peak     atomic.Int64
}

func newGateStore(s store.Store) *gateStore {
	return &gateStore{Store: s, gate: make(chan struct{})}
}

func (g *gateStore) Put(ctx context.Context, key string, value []byte) error {
	n := g.inFlight.Add(1)
	defer g.inFlight.Add(-1)
	for {
		p := g.peak.Load()
		if n <= p || g.peak.CompareAndSwap(p, n) {
			break
		}
	}
	<-g.gate
	return g.Store.Put(ctx, key, value)
}

// open lets every held and future Put through.
func (g *gateStore) open() { g.openOnce.Do(func() { close(g.gate) }) }
