package refactored

import (
	"context"
	"time"

	"lockbench/ctxsys"
	"lockbench/impl/internal/ctxstate"
	"lockbench/lock"
)

// Tracker is the refactored ctxsys.Tracker.
type Tracker struct {
	manager ctxsys.Manager
	clock   ctxsys.Clock
	cfg     ctxsys.Config

	// stateMu ("tracker.state") guards state. Split from activeMu in the
	// refactoring so that reading the active id never waits for a state
	// update, and held only for copies and assignments.
	stateMu *lock.RWMutex
	state   ctxsys.State

	// activeMu ("tracker.active") guards activeID and lastSync. Taken
	// inside stateMu when both are needed, never the other way round.
	activeMu *lock.RWMutex
	activeID string
	lastSync time.Time

	gap gapHook // tests only
}

var _ ctxsys.Tracker = (*Tracker)(nil)

func newTracker(m ctxsys.Manager, s ctxstate.Setup, locks *lock.Set) *Tracker {
	return &Tracker{
		manager:  m,
		clock:    s.Clock,
		cfg:      s.Config,
		stateMu:  locks.RWMutex("tracker.state"),
		activeMu: locks.RWMutex("tracker.active"),
	}
}

// State implements ctxsys.Tracker.
func (t *Tracker) State(ctx context.Context) (ctxsys.State, error) {
	t.stateMu.RLock(ctx)
	defer t.stateMu.RUnlock(ctx)
	return t.state.Clone(), nil
}

// active returns the active id under the active read lock alone.
func (t *Tracker) active(ctx context.Context) string {
	t.activeMu.RLock(ctx)
	defer t.activeMu.RUnlock(ctx)
	return t.activeID
}

// UpdateState implements ctxsys.Tracker: version check under the read lock,
// set under the write lock, the auto recovery point with no lock.
func (t *Tracker) UpdateState(ctx context.Context, state ctxsys.State) error {
	state = state.Clone()

	t.stateMu.RLock(ctx)
	stale := ctxstate.StaleVersion(t.state, state)
	t.stateMu.RUnlock(ctx)
	if stale {
		return ctxsys.ErrStaleVersion
	}

	// GAP version_regression: the version is not re-checked under the
	// write lock, so of two updates that both passed the check (v3 and v2
	// over v1) the later set wins even when it is the lower version. Kept:
	// it is the seed's "separate read and write operations".
	t.gap.at(ctx, "tracker.update_state")

	t.stateMu.Lock(ctx)
	t.state = state
	t.stateMu.Unlock(ctx)

	if !t.cfg.AutoRecovery {
		return nil
	}
	// Blocking call with no lock held: the point snapshots whatever the
	// manager has for the active id by then, not necessarily this update.
	id := t.active(ctx)
	if id == "" {
		return nil
	}
	_, err := t.manager.CreateRecoveryPoint(ctx, id)
	return err
}

// Activate implements ctxsys.Tracker: manager.Get with no lock, then state
// and active id set together under both write locks.
func (t *Tracker) Activate(ctx context.Context, id string) error {
	s, err := t.manager.Get(ctx, id)
	if err != nil {
		return err
	}
	// Both locks so that no reader sees the new id with the old state.
	// Kept as the seed left it: a state loaded before a concurrent
	// UpdateState can overwrite it here with a lower version.
	t.stateMu.Lock(ctx)
	t.activeMu.Lock(ctx)
	t.state = s
	t.activeID = id
	t.activeMu.Unlock(ctx)
	t.stateMu.Unlock(ctx)
	return nil
}

// Deactivate implements ctxsys.Tracker.
func (t *Tracker) Deactivate(ctx context.Context) error {
	t.activeMu.Lock(ctx)
	t.activeID = ""
	t.activeMu.Unlock(ctx)
	return nil
}

// ActiveID implements ctxsys.Tracker.
func (t *Tracker) ActiveID(ctx context.Context) (string, error) {
	return t.active(ctx), nil
}

// Sync implements ctxsys.Tracker: read the id and copy the state under
// read locks (one after the other, not nested, so Sync cannot deadlock with
// Activate, which nests them the other way), push with no lock, then mark
// under both write locks.
func (t *Tracker) Sync(ctx context.Context) error {
	id := t.active(ctx)
	if id == "" {
		return ctxsys.ErrNoActiveContext
	}
	s, _ := t.State(ctx)

	if err := t.manager.Update(ctx, id, s); err != nil {
		return err
	}

	// GAP: an UpdateState that landed during the push is marked
	// synchronized although the manager never received it, and the id may
	// have been deactivated meanwhile. Kept: the mark is not conditioned on
	// what was pushed.
	now := t.clock.Now()
	t.stateMu.Lock(ctx)
	t.activeMu.Lock(ctx)
	t.state.Synchronized = true
	t.lastSync = now
	t.activeMu.Unlock(ctx)
	t.stateMu.Unlock(ctx)
	return nil
}

// SyncNeeded implements ctxsys.Tracker. The two fields are read in separate
// scopes; the answer is advisory anyway.
func (t *Tracker) SyncNeeded(ctx context.Context) (bool, error) {
	t.stateMu.RLock(ctx)
	synchronized := t.state.Synchronized
	t.stateMu.RUnlock(ctx)
	t.activeMu.RLock(ctx)
	lastSync := t.lastSync
	t.activeMu.RUnlock(ctx)
	return ctxstate.SyncNeeded(synchronized, lastSync, t.clock.Now(), t.cfg.SyncInterval), nil
}

// CreateRecoveryPoint implements ctxsys.Tracker: read the active id under
// the read lock, then call the manager with no lock.
func (t *Tracker) CreateRecoveryPoint(ctx context.Context) (ctxsys.RecoveryPoint, error) {
	id := t.active(ctx)
	if id == "" {
		return ctxsys.RecoveryPoint{}, ctxsys.ErrNoActiveContext
	}
	return t.manager.CreateRecoveryPoint(ctx, id)
}
