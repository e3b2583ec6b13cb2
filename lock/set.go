package lock

import (
	"sort"
	"sync"
)

// Set names the locks of one system and gathers their figures by name. It
// keeps every lock it makes (to add up stripes and to check Held), so make
// locks once per system — stripe them rather than make one per key.
type Set struct {
	enabled  bool
	mu       sync.Mutex
	families map[string]*family
}

// registered is a lock as its Set sees it.
type registered interface {
	// instrumented makes the lock record into f.
	instrumented(f *family)
	// addUntimed adds the figures of untraced readers; one holding now
	// counts up to now (ticks).
	addUntimed(s *Snapshot, now int64)
	// resetUntimed zeroes them at time now.
	resetUntimed(now int64)
	// instance returns the lock's own writer figures.
	instance() *instance
	// busy reports whether someone holds the lock, by trying it.
	busy() bool
}

// NewSet returns an empty set. enabled=false makes every lock of the set a
// plain sync lock that records nothing (it still counts for Names and Held).
func NewSet(enabled bool) *Set {
	return &Set{enabled: enabled, families: make(map[string]*family)}
}

// Enabled reports whether the set's locks are instrumented.
func (s *Set) Enabled() bool { return s != nil && s.enabled }

// Mutex returns a new Mutex recording under name. A nil Set returns a plain
// one.
func (s *Set) Mutex(name string) *Mutex {
	m := &Mutex{}
	s.register(name, m)
	return m
}

// RWMutex returns a new RWMutex recording under name. A nil Set returns a
// plain one.
func (s *Set) RWMutex(name string) *RWMutex {
	rw := &RWMutex{}
	s.register(name, rw)
	return rw
}

// Stripes returns n new Mutexes recording under name as one striped
// family: per-key locks, each guarding the keys that hash to it, as opposed
// to a map-wide lock. Snapshot.Striped says which a name is, so analyses
// can tell "blocks everyone" from "blocks one key's writers" without
// knowing the strategy. A nil Set returns plain ones.
func (s *Set) Stripes(name string, n int) []*Mutex {
	locks := make([]*Mutex, n)
	for i := range locks {
		locks[i] = &Mutex{}
		s.register(name, locks[i])
	}
	if s != nil && n > 0 { // no stripe, no family to mark
		s.mu.Lock()
		s.families[name].striped = true
		s.mu.Unlock()
	}
	return locks
}

func (s *Set) register(name string, l registered) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.families[name]
	if !ok {
		f = newFamily(s.enabled)
		s.families[name] = f
	}
	if s.enabled {
		l.instrumented(f)
	}
	f.locks = append(f.locks, l)
}

// Names returns the lock names, sorted.
func (s *Set) Names() []string {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.families))
	for n := range s.families {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Held returns the names of locks held now, by a writer or a reader, sorted;
// at quiescence it must be empty (a lock left held after an error is a bug
// the harness reports). It tries each lock (TryLock, then Unlock), which
// costs the hot path nothing but means it belongs at quiescence: called
// while operations run, it may make one of them wait a moment.
func (s *Set) Held() []string {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var held []string
	for name, f := range s.families {
		for _, l := range f.locks {
			if l.busy() {
				held = append(held, name)
				break
			}
		}
	}
	sort.Strings(held)
	return held
}

// Snapshot returns the figures of every named lock (zeros when the set is
// disabled).
func (s *Set) Snapshot() map[string]Snapshot {
	if s == nil {
		return map[string]Snapshot{}
	}
	now, r := ticks(), rate()
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]Snapshot, len(s.families))
	for name, f := range s.families {
		out[name] = f.snapshot(now, r)
	}
	return out
}

// Reset zeroes every figure, e.g. at the end of a warm-up. Operations may be
// running: a hold that straddles the reset is recorded when it ends, from
// the reset on (its held_io too), so a lock's busy time after a reset never
// exceeds the time since; a wait that straddles it counts in full when it
// ends, like the latency of its operation; a figure being recorded during
// the reset may land on either side.
func (s *Set) Reset() {
	if s == nil {
		return
	}
	now := ticks()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.families {
		f.reset(now)
	}
}

// Snapshot is one named lock's figures, in nanoseconds. Acquisitions count
// when they are released.
type Snapshot struct {
	Acquisitions int64
	Contended    int64
	WaitTotalNs  int64
	WaitMaxNs    int64
	WaitP99Ns    int64 // over all acquisitions, uncontended ones waiting 0
	HoldTotalNs  int64
	HoldMaxNs    int64
	HoldP99Ns    int64 // over timed holds: writers and traced readers
	HeldIONs     int64

	// Locks is how many locks were made under the name (stripes, or one
	// per tracker); Striped is set when they were made by Set.Stripes.
	Locks   int
	Striped bool
	// Writers sums the exclusive holds of every lock of the name; Busiest
	// is the one lock whose own demand (HoldNs - HeldWaitNs) is largest:
	// for a striped name, the hottest stripe.
	Writers Writers
	Busiest Writers
}

// Writers are exclusive (writer) hold figures, in nanoseconds: the time a
// lock serves one holder and no one else. Readers of an RWMutex share it and
// are not counted here.
type Writers struct {
	HoldNs   int64
	HeldIONs int64 // part of HoldNs inside store I/O
	// HeldWaitNs is the part of HoldNs spent waiting for another lock:
	// queueing elsewhere while holding this one (simultaneous possession),
	// not this lock's own demand. Only waits seen by a Trace count.
	HeldWaitNs int64
}

func (w *Writers) add(o Writers) {
	w.HoldNs += o.HoldNs
	w.HeldIONs += o.HeldIONs
	w.HeldWaitNs += o.HeldWaitNs
}

// inNs converts the times of s, added up in ticks.
func (s Snapshot) inNs(r tickRate) Snapshot {
	for _, t := range []*int64{&s.WaitTotalNs, &s.WaitMaxNs, &s.WaitP99Ns,
		&s.HoldTotalNs, &s.HoldMaxNs, &s.HoldP99Ns, &s.HeldIONs,
		&s.Writers.HoldNs, &s.Writers.HeldIONs, &s.Writers.HeldWaitNs,
		&s.Busiest.HoldNs, &s.Busiest.HeldIONs, &s.Busiest.HeldWaitNs} {
		*t = r.ns(*t)
	}
	return s
}
