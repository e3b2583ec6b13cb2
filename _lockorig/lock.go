// Package lock provides named, instrumented drop-in replacements for
// sync.Mutex and sync.RWMutex. Each records acquisitions, contended
// acquisitions, wait and hold time (total, max, distribution) and held_io:
// the time the lock was held while its holder was inside store I/O.
//
// held_io needs to know which locks the goroutine doing I/O holds. Go has no
// goroutine-local storage, so, in the style of net/http/httptrace, the caller
// carries a *Trace in its context.Context (WithTrace): locks taken with that
// context are pushed onto the trace, and I/O bracketed by BeginIO/EndIO adds
// its duration to the held_io of every lock on the trace. Without a trace the
// locks still count and time themselves; only held_io and reader hold times
// are lost.
//
// A Set names the locks of one system; locks sharing a name (the stripes of a
// sharded lock) aggregate into one Stats. A Set built disabled makes every
// lock a plain sync lock, so the cost of instrumentation can be measured side
// by side.
package lock

import (
	"context"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Set holds the Stats of the locks of one system, by name.
type Set struct {
	enabled bool
	mu      sync.Mutex
	stats   map[string]*Stats
}

// NewSet returns an empty set. enabled=false makes every lock of the set an
// uninstrumented sync lock.
func NewSet(enabled bool) *Set {
	return &Set{enabled: enabled, stats: make(map[string]*Stats)}
}

// Enabled reports whether the set's locks are instrumented.
func (s *Set) Enabled() bool { return s != nil && s.enabled }

func (s *Set) named(name string) *Stats {
	if s == nil {
		return &Stats{name: name}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.stats[name]
	if !ok {
		st = &Stats{name: name, enabled: s.enabled}
		s.stats[name] = st
	}
	return st
}

// Mutex returns a new Mutex recording into the stats of name.
func (s *Set) Mutex(name string) *Mutex { return &Mutex{st: s.named(name)} }

// RWMutex returns a new RWMutex recording into the stats of name.
func (s *Set) RWMutex(name string) *RWMutex { return &RWMutex{st: s.named(name)} }

// Snapshot returns the figures of every named lock.
func (s *Set) Snapshot() map[string]Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]Snapshot, len(s.stats))
	for name, st := range s.stats {
		out[name] = st.snapshot()
	}
	return out
}

// Names returns the lock names, sorted.
func (s *Set) Names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.stats))
	for n := range s.stats {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Held returns the names of locks currently held (by a writer or a reader),
// sorted; at quiescence it must be empty (a lock left held after an error is
// a bug the harness reports). Counts only instrumented locks.
func (s *Set) Held() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var held []string
	for n, st := range s.stats {
		if st.holders.Load() != 0 {
			held = append(held, n)
		}
	}
	sort.Strings(held)
	return held
}

// Snapshot is one named lock's figures.
type Snapshot struct {
	Acquisitions int64
	Contended    int64
	WaitTotalNs  int64
	WaitMaxNs    int64
	WaitP99Ns    int64
	HoldTotalNs  int64
	HoldMaxNs    int64
	HoldP99Ns    int64
	HeldIONs     int64
}

// Stats accumulates the figures of one named lock; safe for concurrent use
// (stripes and readers record at once).
type Stats struct {
	name    string
	enabled bool

	acquisitions atomic.Int64
	contended    atomic.Int64
	waitTotal    atomic.Int64
	waitMax      atomic.Int64
	holdTotal    atomic.Int64
	holdMax      atomic.Int64
	heldIO       atomic.Int64
	holders      atomic.Int64
	waitHist     Histogram
	holdHist     Histogram
}

func (st *Stats) snapshot() Snapshot {
	return Snapshot{
		Acquisitions: st.acquisitions.Load(),
		Contended:    st.contended.Load(),
		WaitTotalNs:  st.waitTotal.Load(),
		WaitMaxNs:    st.waitMax.Load(),
		WaitP99Ns:    st.waitHist.Quantile(0.99),
		HoldTotalNs:  st.holdTotal.Load(),
		HoldMaxNs:    st.holdMax.Load(),
		HoldP99Ns:    st.holdHist.Quantile(0.99),
		HeldIONs:     st.heldIO.Load(),
	}
}

func storeMax(m *atomic.Int64, v int64) {
	for {
		cur := m.Load()
		if v <= cur || m.CompareAndSwap(cur, v) {
			return
		}
	}
}

func (st *Stats) acquired(contended bool, wait int64) {
	st.acquisitions.Add(1)
	st.holders.Add(1)
	if contended {
		st.contended.Add(1)
		st.waitTotal.Add(wait)
		storeMax(&st.waitMax, wait)
	}
	st.waitHist.Record(wait)
}

func (st *Stats) released(hold int64) {
	st.holders.Add(-1)
	st.holdTotal.Add(hold)
	storeMax(&st.holdMax, hold)
	st.holdHist.Record(hold)
}

// epoch anchors nanotime; time.Since reads the monotonic clock.
var epoch = time.Now()

func nanotime() int64 { return int64(time.Since(epoch)) }

// Mutex is an instrumented sync.Mutex. The zero value is usable and
// uninstrumented; build instrumented ones with Set.Mutex.
type Mutex struct {
	mu         sync.Mutex
	st         *Stats
	acquiredAt int64 // guarded by mu
}

// Lock acquires m, recording into the trace in ctx if any.
func (m *Mutex) Lock(ctx context.Context) {
	if m.st == nil || !m.st.enabled {
		m.mu.Lock()
		return
	}
	var wait int64
	contended := !m.mu.TryLock()
	if contended {
		t0 := nanotime()
		m.mu.Lock()
		m.acquiredAt = nanotime()
		wait = m.acquiredAt - t0
	} else {
		m.acquiredAt = nanotime()
	}
	m.st.acquired(contended, wait)
	if tr := FromContext(ctx); tr != nil {
		tr.push(m.st, m.acquiredAt, wait)
	}
}

// Unlock releases m.
func (m *Mutex) Unlock(ctx context.Context) {
	if m.st == nil || !m.st.enabled {
		m.mu.Unlock()
		return
	}
	now := nanotime()
	if tr := FromContext(ctx); tr != nil {
		tr.pop(m.st)
	}
	m.st.released(now - m.acquiredAt)
	m.mu.Unlock()
}

// RWMutex is an instrumented sync.RWMutex. Writer and reader acquisitions
// count alike; reader hold time is recorded only when ctx carries a Trace
// (readers share the lock, so the start time lives with the holder).
type RWMutex struct {
	mu         sync.RWMutex
	st         *Stats
	acquiredAt int64 // writer's; guarded by mu held for writing
}

// Lock acquires rw for writing.
func (rw *RWMutex) Lock(ctx context.Context) {
	if rw.st == nil || !rw.st.enabled {
		rw.mu.Lock()
		return
	}
	var wait int64
	contended := !rw.mu.TryLock()
	if contended {
		t0 := nanotime()
		rw.mu.Lock()
		rw.acquiredAt = nanotime()
		wait = rw.acquiredAt - t0
	} else {
		rw.acquiredAt = nanotime()
	}
	rw.st.acquired(contended, wait)
	if tr := FromContext(ctx); tr != nil {
		tr.push(rw.st, rw.acquiredAt, wait)
	}
}

// Unlock releases rw held for writing.
func (rw *RWMutex) Unlock(ctx context.Context) {
	if rw.st == nil || !rw.st.enabled {
		rw.mu.Unlock()
		return
	}
	now := nanotime()
	if tr := FromContext(ctx); tr != nil {
		tr.pop(rw.st)
	}
	rw.st.released(now - rw.acquiredAt)
	rw.mu.Unlock()
}

// RLock acquires rw for reading.
func (rw *RWMutex) RLock(ctx context.Context) {
	if rw.st == nil || !rw.st.enabled {
		rw.mu.RLock()
		return
	}
	var wait, start int64
	contended := !rw.mu.TryRLock()
	if contended {
		t0 := nanotime()
		rw.mu.RLock()
		start = nanotime()
		wait = start - t0
	}
	tr := FromContext(ctx)
	if tr != nil && start == 0 {
		start = nanotime()
	}
	rw.st.acquired(contended, wait)
	if tr != nil {
		tr.push(rw.st, start, wait)
	}
}

// RUnlock releases rw held for reading.
func (rw *RWMutex) RUnlock(ctx context.Context) {
	if rw.st == nil || !rw.st.enabled {
		rw.mu.RUnlock()
		return
	}
	if tr := FromContext(ctx); tr != nil {
		start := tr.pop(rw.st)
		rw.st.released(nanotime() - start)
	} else {
		rw.st.holders.Add(-1)
	}
	rw.mu.RUnlock()
}
