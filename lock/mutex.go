package lock

import (
	"context"
	"sync"
	"sync/atomic"
)

// core is what an instrumented lock adds to its sync lock. A trace refers to
// a held lock by its core.
type core struct {
	family *family // nil: not instrumented (zero value, disabled Set)
	// The writer's acquisition time (ticks) and trace, guarded by the lock
	// held for writing: the release needs neither a context lookup nor a
	// clock read before it can unlock.
	acquiredAt int64
	holder     *Trace
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
// contended path goes through a function value.
//
// What an instrumented lock does while it is held is kept to the minimum, so
// that instrumentation does not lengthen the critical sections it measures
// (and with them the contention): the clock is read and the trace looked up
// before the first attempt, and a release reads the clock, adds the writer's
// own hold on the lock's cache line and unlocks; the family's per-P figures
// and the trace are updated after the unlock. A hold therefore includes the
// first attempt itself, a few nanoseconds.

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

// waitFor blocks until lock succeeds after a failed first attempt at t0,
// records the wait and returns the time of the acquisition.
func (c *core) waitFor(lock func(), t0 int64, tr *Trace) int64 {
	if beforeWait != nil {
		beforeWait()
	}
	lock()
	acquired := ticks()
	c.family.contended(t0, acquired, tr)
	return acquired
}

// acquired records a writer's acquisition at start, under the lock.
func (c *core) acquired(start int64, tr *Trace) {
	c.acquiredAt, c.holder = start, tr
	tr.push(c, start, true)
}

// releasing ends the writer's hold, under the lock: it returns the hold and
// the holder's trace, for released once the lock is unlocked.
func (c *core) releasing() (hold int64, tr *Trace) {
	hold = max(ticks()-c.family.since(c.acquiredAt), 0) // ≥ 0: a TSC a little out of step between CPUs
	c.own.hold.Add(hold)
	tr, c.holder = c.holder, nil
	return hold, tr
}

// released records a writer's hold after the unlock.
func (c *core) released(hold int64, tr *Trace) {
	tr.pop(c)
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
	if m.family == nil {
		m.mu.Lock()
		return
	}
	tr, start := FromContext(ctx), ticks()
	if !m.mu.TryLock() {
		start = m.waitFor(m.mu.Lock, start, tr)
	}
	m.acquired(start, tr)
}

// Unlock releases m. The trace it pops m from is the one m was locked with.
func (m *Mutex) Unlock(context.Context) {
	if m.family == nil {
		m.mu.Unlock()
		return
	}
	hold, tr := m.releasing()
	m.mu.Unlock()
	m.released(hold, tr)
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
	if rw.family == nil {
		rw.mu.Lock()
		return
	}
	tr, start := FromContext(ctx), ticks()
	if !rw.mu.TryLock() {
		start = rw.waitFor(rw.mu.Lock, start, tr)
	}
	rw.acquired(start, tr)
}

// Unlock releases rw held for writing. The trace it pops rw from is the one
// rw was locked with.
func (rw *RWMutex) Unlock(context.Context) {
	if rw.family == nil {
		rw.mu.Unlock()
		return
	}
	hold, tr := rw.releasing()
	rw.mu.Unlock()
	rw.released(hold, tr)
}

// RLock acquires rw for reading.
func (rw *RWMutex) RLock(ctx context.Context) {
	if rw.family == nil {
		rw.mu.RLock()
		return
	}
	tr, start := FromContext(ctx), ticks()
	if !rw.mu.TryRLock() {
		start = rw.waitFor(rw.mu.RLock, start, tr)
	}
	if tr != nil {
		tr.push(&rw.core, start, false)
	} else {
		rw.untraced.acquired(start)
	}
}

// RUnlock releases rw held for reading.
func (rw *RWMutex) RUnlock(ctx context.Context) {
	if rw.family == nil {
		rw.mu.RUnlock()
		return
	}
	end := ticks()
	rw.mu.RUnlock()
	if start, ok := FromContext(ctx).pop(&rw.core); ok {
		rw.family.released(max(end-rw.family.since(start), 0)) // ≥ 0: a TSC a little out of step between CPUs
	} else {
		rw.untraced.releasedAt(end)
	}
}

func (rw *RWMutex) addUntimed(s *Snapshot, now int64) { rw.untraced.addTo(s, now) }
func (rw *RWMutex) instance() *instance               { return &rw.own }
func (rw *RWMutex) resetUntimed(now int64)            { rw.untraced.reset(now) }
func (rw *RWMutex) busy() bool                        { return busy(&rw.mu) }
