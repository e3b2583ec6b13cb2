package lock

import (
	"context"
	"sync"
	"sync/atomic"
)

// core is what an instrumented lock adds to its sync lock. A trace refers to
// a held lock by its core.
type core struct {
	family     *family // nil: not instrumented (zero value, disabled Set)
	acquiredAt int64   // the writer's, in ticks; guarded by the lock held for writing
	// own is this one lock's writer figures, beside the family's per-P
	// shards: the busiest stripe of a family is a resource of its own (one
	// hot key saturates one stripe while the family looks idle). Only the
	// writer holding the lock adds to them, so the cache line they share
	// with the lock is already the writer's: no bouncing between cores.
	own instance
}

// instance is one lock's writer figures, in ticks.
type instance struct {
	hold     atomic.Int64 // writer hold time
	heldIO   atomic.Int64 // part of it inside store I/O
	heldWait atomic.Int64 // part of it waiting for another lock
}

func (in *instance) reset() {
	in.hold.Store(0)
	in.heldIO.Store(0)
	in.heldWait.Store(0)
}

func (c *core) instrumented(f *family) { c.family = f }

// The methods of Mutex and RWMutex call their sync lock directly on the fast
// path (an interface call there cost 3 ns of the plain lock's 11); only the
// contended path goes through an interface.

// acquired records an uncontended acquisition by a writer.
func (c *core) acquired(ctx context.Context) {
	c.acquiredAt = ticks()
	FromContext(ctx).push(c, c.acquiredAt, true)
}

// exclusive is the writer side of sync.Mutex and sync.RWMutex.
type exclusive interface {
	Lock()
	TryLock() bool
	Unlock()
}

// beforeWait, set only by tests, runs when a first attempt has failed and
// the caller is about to block: a test learns that an acquisition is
// contended without sleeping.
var beforeWait func()

// lockContended waits for mu after a failed TryLock and records the wait.
func (c *core) lockContended(mu exclusive, ctx context.Context) {
	t0 := ticks()
	if beforeWait != nil {
		beforeWait()
	}
	mu.Lock()
	c.acquiredAt = ticks()
	tr := FromContext(ctx)
	c.family.contended(t0, c.acquiredAt, tr)
	tr.push(c, c.acquiredAt, true)
}

// releasing records the writer's hold; the caller then unlocks.
func (c *core) releasing(ctx context.Context) {
	end := ticks()
	FromContext(ctx).pop(c)
	hold := max(end-c.family.since(c.acquiredAt), 0) // ≥ 0: a TSC a little out of step between CPUs
	c.own.hold.Add(hold)
	c.family.released(hold)
}

// Mutex is an instrumented sync.Mutex. The zero value is usable and
// uninstrumented; build instrumented ones with Set.Mutex. Unlock with the
// context you locked with.
type Mutex struct {
	mu sync.Mutex
	core
}

var _ registered = (*Mutex)(nil)

// Lock acquires m, pushing it onto the trace in ctx if any.
func (m *Mutex) Lock(ctx context.Context) {
	switch {
	case m.family == nil:
		m.mu.Lock()
	case m.mu.TryLock():
		m.acquired(ctx)
	default:
		m.lockContended(&m.mu, ctx)
	}
}

// Unlock releases m.
func (m *Mutex) Unlock(ctx context.Context) {
	if m.family != nil {
		m.releasing(ctx)
	}
	m.mu.Unlock()
}

func (m *Mutex) addUntimed(*Snapshot, int64) {}
func (m *Mutex) instance() *instance         { return &m.own }
func (m *Mutex) resetUntimed(int64)          {}
func (m *Mutex) busy() bool                  { return busy(&m.mu) }

func busy(mu exclusive) bool {
	if mu.TryLock() {
		mu.Unlock()
		return false
	}
	return true
}

// RWMutex is an instrumented sync.RWMutex. The zero value is usable and
// uninstrumented; build instrumented ones with Set.RWMutex. Writer and
// reader acquisitions count alike. A reader's hold is timed individually
// only if ctx carries a Trace (see the package doc); RUnlock with the
// context you RLocked with.
type RWMutex struct {
	mu sync.RWMutex
	core
	untraced untracedReaders
}

var _ registered = (*RWMutex)(nil)

// Lock acquires rw for writing.
func (rw *RWMutex) Lock(ctx context.Context) {
	switch {
	case rw.family == nil:
		rw.mu.Lock()
	case rw.mu.TryLock():
		rw.acquired(ctx)
	default:
		rw.lockContended(&rw.mu, ctx)
	}
}

// Unlock releases rw held for writing.
func (rw *RWMutex) Unlock(ctx context.Context) {
	if rw.family != nil {
		rw.releasing(ctx)
	}
	rw.mu.Unlock()
}

// RLock acquires rw for reading.
func (rw *RWMutex) RLock(ctx context.Context) {
	if rw.family == nil {
		rw.mu.RLock()
		return
	}
	tr := FromContext(ctx)
	var start int64
	if rw.mu.TryRLock() {
		start = ticks()
	} else {
		t0 := ticks()
		if beforeWait != nil {
			beforeWait()
		}
		rw.mu.RLock()
		start = ticks()
		rw.family.contended(t0, start, tr)
	}
	if tr != nil {
		tr.push(&rw.core, start, false)
	} else {
		rw.untraced.acquired(start)
	}
}

// RUnlock releases rw held for reading.
func (rw *RWMutex) RUnlock(ctx context.Context) {
	if rw.family != nil {
		end := ticks()
		if start, ok := FromContext(ctx).pop(&rw.core); ok {
			rw.family.released(max(end-rw.family.since(start), 0)) // ≥ 0: a TSC a little out of step between CPUs
		} else {
			rw.untraced.releasedAt(end)
		}
	}
	rw.mu.RUnlock()
}

func (rw *RWMutex) addUntimed(s *Snapshot, now int64) { rw.untraced.addTo(s, now) }
func (rw *RWMutex) instance() *instance               { return &rw.own }
func (rw *RWMutex) resetUntimed(now int64)            { rw.untraced.reset(now) }
func (rw *RWMutex) busy() bool                        { return busy(&rw.mu) }
