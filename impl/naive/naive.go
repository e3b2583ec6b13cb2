// Package naive is the lock strategy from before the seed's refactoring,
// registered as "naive": every operation is one critical section that spans
// its check, its change and its blocking call (store write, or call into the
// Manager), and the Manager additionally serialises every store write behind
// one persistence mutex.
//
// It is linearizable — every operation appears to happen at one instant inside
// its lock — and slow: with a store of latency D, store writes run one at a
// time, so write throughput is at most 1/D whatever the concurrency, and
// readers wait behind writers for the whole store call. held_io is large on
// its map-wide locks by design; that is the anti-pattern the refactoring
// removed. See ../STRATEGIES.md for the per-operation table.
//
// Lock order (outer first): tracker.state, or adapter.contexts (then
// adapter.config), before manager.contexts, before manager.persist.
// Components call inwards only (tracker and adapter into the manager, never
// back), so the order has no cycle.
package naive

import (
	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/impl/internal/ctxstate"
)

func init() {
	impl.MustRegister(impl.Strategy{
		Name:        "naive",
		Description: "one critical section spans check, change and store I/O; store writes serialised; linearizable, slow",
		New:         New,
	})
}

// New builds a naive system from d.
func New(d impl.Deps) (*impl.System, error) {
	s, err := ctxstate.Prepare("naive", d)
	if err != nil {
		return nil, err
	}
	m := newManager(s, d.Locks)
	return &impl.System{
		Manager:    m,
		NewTracker: func() ctxsys.Tracker { return newTracker(m, s, d.Locks) },
		Adapter:    newAdapter(m, s, d.Locks),
	}, nil
}
