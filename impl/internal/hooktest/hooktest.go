// Package hooktest has the pieces the strategies' interleaving and
// concurrency tests share: store hooks that park a call until the test lets
// it go, an n-party barrier, an in-flight counter, a system built over a
// hooked memory store (Env), a random mix of every operation for the race
// detector (Mixed), and a reader of what the store holds. Nothing here
// sleeps to force an order; a timeout only turns a would-be hang into a test
// failure.
package hooktest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lockbench/impl/impltest"
)

// Timeout bounds every wait of this package. A correct test never comes
// near it; it exists so that a strategy that serialises what it should not
// fails the test instead of hanging it.
const Timeout = 10 * time.Second

// Match selects store calls: op is "put", "get", "delete" or "list".
type Match func(ctx context.Context, op, key string) bool

// Call matches op on key, from any goroutine.
func Call(op, key string) Match {
	return func(_ context.Context, o, k string) bool { return o == op && k == key }
}

// Gate parks the first store call its Match selects until Release; later
// calls pass. Use Before as the Before hook of store.Instrument.
type Gate struct {
	match   Match
	taken   atomic.Bool
	arrived chan struct{}
	release chan struct{}
	once    sync.Once
}

// NewGate returns a closed gate for the first call m selects.
func NewGate(m Match) *Gate {
	return &Gate{match: m, arrived: make(chan struct{}), release: make(chan struct{})}
}

// Before is a store.Hook.
func (g *Gate) Before(ctx context.Context, op, key string) {
	if !g.match(ctx, op, key) || !g.taken.CompareAndSwap(false, true) {
		return
	}
	close(g.arrived)
	select {
	case <-g.release:
	case <-time.After(Timeout):
	}
}

// Arrived waits until the selected call is parked in the gate; it returns
// an error after Timeout.
func (g *Gate) Arrived() error {
	select {
	case <-g.arrived:
		return nil
	case <-time.After(Timeout):
		return fmt.Errorf("hooktest: gated call never arrived")
	}
}

// Release lets the parked call (and any later one) go. Safe to call twice.
func (g *Gate) Release() { g.once.Do(func() { close(g.release) }) }

// Barrier lets n parties through together: each Wait blocks until n have
// called it.
type Barrier struct {
	n     int
	mu    sync.Mutex
	count int
	all   chan struct{}
}

// NewBarrier returns a barrier for n parties.
func NewBarrier(n int) *Barrier { return &Barrier{n: n, all: make(chan struct{})} }

// Wait blocks until n parties have called Wait. It returns an error after
// Timeout, saying how many arrived.
func (b *Barrier) Wait() error {
	b.mu.Lock()
	b.count++
	if b.count == b.n {
		close(b.all)
	}
	b.mu.Unlock()
	select {
	case <-b.all:
		return nil
	case <-time.After(Timeout):
		b.mu.Lock()
		defer b.mu.Unlock()
		return fmt.Errorf("hooktest: barrier: %d of %d parties arrived", b.count, b.n)
	}
}

// InFlight counts the store calls of the selected ops in flight and keeps
// the peak. Use Before and After as the hooks of store.Instrument; Inside, if
// set, runs while a call is counted (e.g. a barrier, or yields to give a
// second call the chance to enter).
type InFlight struct {
	Ops    map[string]bool
	Inside func()

	now   atomic.Int64
	peak  atomic.Int64
	total atomic.Int64
}

// Before is a store.Hook.
func (f *InFlight) Before(_ context.Context, op, _ string) {
	if !f.Ops[op] {
		return
	}
	n := f.now.Add(1)
	f.total.Add(1)
	for {
		p := f.peak.Load()
		if n <= p || f.peak.CompareAndSwap(p, n) {
			break
		}
	}
	if f.Inside != nil {
		f.Inside()
	}
}

// After is a store.Hook.
func (f *InFlight) After(_ context.Context, op, _ string) {
	if f.Ops[op] {
		f.now.Add(-1)
	}
}

// Peak is the largest number of selected calls seen in flight at once.
func (f *InFlight) Peak() int64 { return f.peak.Load() }

// Total is the number of selected calls made.
func (f *InFlight) Total() int64 { return f.total.Load() }

type roleKey struct{}

// As returns ctx marked as coming from the party named role, so a Match can
// single out one goroutine's calls.
func As(ctx context.Context, role string) context.Context {
	return context.WithValue(ctx, roleKey{}, role)
}

// RoleOf returns the role ctx was marked with by As, or "".
func RoleOf(ctx context.Context) string {
	r, _ := ctx.Value(roleKey{}).(string)
	return r
}

// CallBy matches op on key made with a ctx marked role.
func CallBy(role, op, key string) Match {
	return func(ctx context.Context, o, k string) bool { return o == op && k == key && RoleOf(ctx) == role }
}

// Result is the outcome of a call started with Go.
type Result chan error

// Go runs f in a new goroutine.
func Go(f func() error) Result {
	r := make(Result, 1)
	go func() { r <- f() }()
	return r
}

// Done reports whether f has returned (without taking its error).
func (r Result) Done() bool { return len(r) > 0 }

// Wait returns f's error, failing t if f has not returned within Timeout.
func (r Result) Wait(t testing.TB) error {
	t.Helper()
	select {
	case err := <-r:
		return err
	case <-time.After(Timeout):
		t.Fatalf("hooktest: call did not return within %v", Timeout)
		return nil
	}
}

// Must fails t if err is not nil; for the Arrived and barrier errors.
func Must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// AwaitBlocked waits until r's call has either returned or is parked (on a
// lock, a channel, …): at least n goroutines with marker in their stack
// are parked, counting the one already parked at a gate if it shares the
// marker. It lets a test release a gate only once a second operation has
// reached the lock it contends for, without sleeping.
func AwaitBlocked(t testing.TB, r Result, marker string, n int) {
	t.Helper()
	impltest.Await(t, marker+" parked or returned", func() bool {
		return r.Done() || impltest.Parked(marker) >= n
	})
}
