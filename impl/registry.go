// Package impl is the registry of lock strategies. Each strategy implements
// the three components of lockbench/ctxsys over a store and a lock.Set; its
// package registers a constructor under a fixed name in init, in the style of
// database/sql drivers. Import lockbench/impl/all for the built-in ones:
//
//	naive       one critical section spans check, change and store I/O
//	refactored  the seed's refactoring: small lock scopes, I/O unlocked, gaps kept
//	sharded     per-key locks held across the key's store write; linearizable
//
// A user adds a strategy by calling Register (from an init function or a
// test) with a name of their own; every workload and report then runs
// against it.
package impl

import (
	"errors"
	"fmt"
	"sort"
	"sync"

	"lockbench/ctxsys"
	"lockbench/lock"
	"lockbench/store"
)

// Deps is what a strategy builds a system from.
type Deps struct {
	// Store is the persistence layer (already wrapped by the runner so
	// store I/O is traced).
	Store store.Store
	// Locks names and instruments the strategy's locks; lock names are
	// "component.field", e.g. "manager.contexts", "tracker.state".
	Locks *lock.Set
	// Clock is the time source (ttl, timestamps). nil means the system
	// clock.
	Clock ctxsys.Clock
	// Config is the system configuration, already defaulted.
	Config ctxsys.Config
}

// System is one freshly built context system.
type System struct {
	Manager ctxsys.Manager
	// NewTracker returns a new Tracker over Manager. Workloads with
	// per-client trackers call it once per worker.
	NewTracker func() ctxsys.Tracker
	Adapter    ctxsys.Adapter
}

// Strategy is a registered constructor.
type Strategy struct {
	Name        string
	Description string
	New         func(Deps) (*System, error)
}

// ErrUnknown: Lookup of a name nobody registered.
var ErrUnknown = errors.New("impl: unknown strategy")

var (
	mu         sync.RWMutex
	strategies = map[string]Strategy{}
)

// Register adds s. It returns an error if the name is empty, taken, or New
// is nil.
func Register(s Strategy) error {
	if s.Name == "" || s.New == nil {
		return fmt.Errorf("impl: Register needs a name and a constructor")
	}
	mu.Lock()
	defer mu.Unlock()
	if _, dup := strategies[s.Name]; dup {
		return fmt.Errorf("impl: strategy %q registered twice", s.Name)
	}
	strategies[s.Name] = s
	return nil
}

// MustRegister is Register for init functions; it panics on misuse.
func MustRegister(s Strategy) {
	if err := Register(s); err != nil {
		panic(err)
	}
}

// Unregister removes a strategy (tests that register their own).
func Unregister(name string) {
	mu.Lock()
	delete(strategies, name)
	mu.Unlock()
}

// Lookup returns the strategy registered under name.
func Lookup(name string) (Strategy, error) {
	mu.RLock()
	defer mu.RUnlock()
	s, ok := strategies[name]
	if !ok {
		return Strategy{}, fmt.Errorf("%w %q (known: %v)", ErrUnknown, name, namesLocked())
	}
	return s, nil
}

// Names returns the registered names, sorted.
func Names() []string {
	mu.RLock()
	defer mu.RUnlock()
	return namesLocked()
}

func namesLocked() []string {
	names := make([]string, 0, len(strategies))
	for n := range strategies {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Inspector is the optional capability of a Manager to show its memory at
// quiescence, for the consistency checker to compare with the store. Calls
// are only meaningful when no operation is in flight.
type Inspector interface {
	// Contexts returns a copy of every state in memory, by id.
	Contexts() map[string]ctxsys.State
	// RecoveryPointSeqs returns the sequence numbers of the recovery
	// points in memory, by id.
	RecoveryPointSeqs() map[string][]uint64
}

// AdapterInspector is the optional capability of an Adapter to show its map
// at quiescence.
type AdapterInspector interface {
	AdapterContexts() map[string]ctxsys.AdapterContext
}
