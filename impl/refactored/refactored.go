// Package refactored is the lock strategy as the seed's async-mutex
// refactoring left it, registered as "refactored": each operation checks
// under a read lock, releases it, makes its change under a write lock,
// releases that, and only then does its blocking call (store I/O, or a call
// into the Manager) with no lock held. Scopes are small and explicit, reads
// and writes take separate locks, and no lock is ever held across I/O, so
// held_io is zero and nothing waits behind a slow store.
//
// It is free of data races (every field is read and written under its
// lock) but not linearizable: the state a check saw may be gone by the time
// the change is made, and memory and store are changed in separate steps
// that other operations can interleave. These check-then-act gaps are kept
// on purpose — the harness exists to expose them — and each is marked in the
// code with the anomaly it allows: duplicate_create, capacity_overshoot,
// store_divergence, zombie, version_regression, lost_refresh and
// recovery_overflow (go doc lockbench/consistency defines each). See
// ../STRATEGIES.md for the per-operation table.
//
// Lock order when two are held at once (outer first): manager.contexts →
// manager.recovery, tracker.state → tracker.active. No lock is held across a
// call into another component.
package refactored

import (
	"context"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/impl/internal/ctxstate"
)

func init() {
	impl.MustRegister(impl.Strategy{
		Name:        "refactored",
		Description: "the seed's refactoring: check, change and I/O in separate lock scopes; no lock across I/O; check-then-act gaps kept",
		New:         New,
	})
}

// New builds a refactored system from d.
func New(d impl.Deps) (*impl.System, error) {
	s, err := ctxstate.Prepare("refactored", d)
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

// gapHook is nil in production. This package's tests set it to park a
// goroutine inside a check-then-act gap that has no store call a store hook
// could block on (between a check's read lock and the change's write lock),
// to force the interleavings the gaps allow without sleeping. It runs with
// no lock held. A hook carried by the operation's context (WithGapHook) runs
// too.
type gapHook func(ctx context.Context, gap string)

func (h gapHook) at(ctx context.Context, gap string) {
	if h != nil {
		h(ctx, gap)
	}
	if h, ok := ctx.Value(gapKey{}).(gapHook); ok {
		h(ctx, gap)
	}
}

type gapKey struct{}

// WithGapHook returns ctx carrying hook, which an operation called with it
// runs inside each check-then-act gap that holds no store call — "manager.create"
// (the gap of duplicate_create and capacity_overshoot) and
// "tracker.update_state" (version_regression) — with no lock held. It is
// the seam for tests outside this package (the consistency checker's) that
// force those interleavings without sleeping: a store hook cannot park a
// goroutine where no store call is made. Without it the cost is one
// context lookup on those two operations.
func WithGapHook(ctx context.Context, hook func(ctx context.Context, gap string)) context.Context {
	return context.WithValue(ctx, gapKey{}, gapHook(hook))
}
