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
// running: a hold that straddles the reset is recorded when it ends, in full
// if it was timed, from the reset on if it was an untraced reader's; a
// figure being recorded during the reset may land on either side.
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
}

// inNs converts the times of s, added up in ticks.
func (s Snapshot) inNs(r tickRate) Snapshot {
	for _, t := range []*int64{&s.WaitTotalNs, &s.WaitMaxNs, &s.WaitP99Ns,
		&s.HoldTotalNs, &s.HoldMaxNs, &s.HoldP99Ns, &s.HeldIONs} {
		*t = r.ns(*t)
	}
	return s
}
