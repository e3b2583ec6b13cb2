// Package ctxstate holds the context system's state handling that every lock
// strategy shares and that takes no lock: set-up from impl.Deps, the store
// codecs and key lists, recovery-point bookkeeping, deep copies, the
// adapter's derived values and the tracker's rules. Each strategy's lock
// choreography — what it does under which lock — stays in its own package;
// nothing here takes a lock, so nothing here can change a strategy's
// contention.
package ctxstate

import (
	"errors"
	"fmt"
	"slices"
	"sort"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/store"
)

// Setup is what every strategy derives from impl.Deps before building its
// components.
type Setup struct {
	Store  store.Store
	Clock  ctxsys.Clock
	Config ctxsys.Config
}

// Prepare validates d and fills its defaults: the config is defaulted again
// (a caller may have skipped it) and a nil clock becomes the system clock.
// name is the strategy's, for the error message.
func Prepare(name string, d impl.Deps) (Setup, error) {
	if d.Store == nil {
		return Setup{}, fmt.Errorf("%w: %s: nil store", ctxsys.ErrInvalid, name)
	}
	cfg := d.Config.WithDefaults()
	if cfg.MaxContexts < 0 || cfg.MaxRecoveryPoints < 0 || cfg.TTL < 0 || cfg.SyncInterval < 0 {
		return Setup{}, fmt.Errorf("%w: %s: negative config value in %+v", ctxsys.ErrInvalid, name, cfg)
	}
	clock := d.Clock
	if clock == nil {
		clock = ctxsys.SystemClock{}
	}
	return Setup{Store: d.Store, Clock: clock, Config: cfg}, nil
}

// CheckID rejects an id that cannot name a context: the empty one.
func CheckID(id string) error {
	if id == "" {
		return fmt.Errorf("%w: empty context id", ctxsys.ErrInvalid)
	}
	return nil
}

// IgnoreNotFound returns nil for ErrNotFound and err otherwise. The adapter
// uses it on manager.Delete: an id already gone from the manager (deleted
// there directly) is the outcome the adapter wanted.
func IgnoreNotFound(err error) error {
	if errors.Is(err, ctxsys.ErrNotFound) {
		return nil
	}
	return err
}

// SortedKeys returns the keys of m, sorted.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// CloneStates returns a deep copy of m.
func CloneStates(m map[string]ctxsys.State) map[string]ctxsys.State {
	out := make(map[string]ctxsys.State, len(m))
	for id, s := range m {
		out[id] = s.Clone()
	}
	return out
}

// CloneBytes copies b, keeping nil as nil.
func CloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return slices.Clone(b)
}
