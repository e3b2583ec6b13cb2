package sharded

import (
	"context"
	"fmt"
	"time"

	"lockbench/ctxsys"
	"lockbench/impl/internal/ctxstate"
	"lockbench/lock"
)

// Tracker is the sharded ctxsys.Tracker.
type Tracker struct {
	manager      ctxsys.Manager
	clock        ctxsys.Clock
	autoRecovery bool
	syncInterval time.Duration

	// state guards current, activeID and lastSync. Every check and the set
	// it guards happen in one hold (the version compare-and-set), and it is
	// never held across a call into the Manager, so a slow store cannot
	// stall readers of the tracker.
	state    *lock.Mutex
	current  ctxsys.State
	activeID string
	lastSync time.Time

	// sync is held across Sync's call into the Manager so that two syncs of
	// one tracker reach the Manager in the order they read the state: a
	// later sync can never be overwritten by an earlier, older one.
	sync *lock.Mutex
}

var _ ctxsys.Tracker = (*Tracker)(nil)

func newTracker(m ctxsys.Manager, locks *lock.Set, clock ctxsys.Clock, cfg ctxsys.Config) *Tracker {
	return &Tracker{
		manager:      m,
		clock:        clock,
		autoRecovery: cfg.AutoRecovery,
		syncInterval: cfg.SyncInterval,
		state:        locks.Mutex("tracker.state"),
		sync:         locks.Mutex("tracker.sync"),
	}
}

// State implements ctxsys.Tracker.
func (t *Tracker) State(ctx context.Context) (ctxsys.State, error) {
	t.state.Lock(ctx)
	defer t.state.Unlock(ctx)
	return t.current.Clone(), nil
}

// UpdateState implements ctxsys.Tracker. The new state is unsynchronized
// until the next Sync.
func (t *Tracker) UpdateState(ctx context.Context, state ctxsys.State) error {
	state = state.Clone()
	state.Synchronized = false

	// Compare and set in one hold: no update can pass the check against a
	// version that another update is about to replace.
	t.state.Lock(ctx)
	if state.Version <= t.current.Version {
		current := t.current.Version
		t.state.Unlock(ctx)
		return staleVersion(state.Version, current)
	}
	t.current = state
	active := t.activeID
	t.state.Unlock(ctx)

	if !t.autoRecovery || active == "" {
		return nil
	}
	_, err := t.manager.CreateRecoveryPoint(ctx, active)
	return err
}

// Activate implements ctxsys.Tracker.
func (t *Tracker) Activate(ctx context.Context, id string) error {
	loaded, err := t.manager.Get(ctx, id)
	if err != nil {
		return err
	}
	// Manager I/O is done; the hold only decides and sets. A newer local
	// state of the same context (updated while Get ran) is kept.
	t.state.Lock(ctx)
	if id != t.activeID || loaded.Version > t.current.Version {
		t.current = loaded
	}
	t.activeID = id
	t.state.Unlock(ctx)
	return nil
}

// Deactivate implements ctxsys.Tracker.
func (t *Tracker) Deactivate(ctx context.Context) error {
	t.state.Lock(ctx)
	t.activeID = ""
	t.state.Unlock(ctx)
	return nil
}

// ActiveID implements ctxsys.Tracker.
func (t *Tracker) ActiveID(ctx context.Context) (string, error) {
	t.state.Lock(ctx)
	defer t.state.Unlock(ctx)
	return t.activeID, nil
}

// Sync implements ctxsys.Tracker.
func (t *Tracker) Sync(ctx context.Context) error {
	t.sync.Lock(ctx)
	defer t.sync.Unlock(ctx)

	t.state.Lock(ctx)
	id, pushed := t.activeID, t.current.Clone()
	t.state.Unlock(ctx)
	if id == "" {
		return ctxsys.ErrNoActiveContext
	}
	if err := t.manager.Update(ctx, id, pushed); err != nil {
		return err
	}
	// Only the version that reached the Manager is marked synchronized: an
	// update accepted while Update ran still needs a sync.
	t.state.Lock(ctx)
	if t.current.Version == pushed.Version {
		t.current.Synchronized = true
	}
	t.lastSync = t.clock.Now()
	t.state.Unlock(ctx)
	return nil
}

// SyncNeeded implements ctxsys.Tracker.
func (t *Tracker) SyncNeeded(ctx context.Context) (bool, error) {
	now := t.clock.Now()
	t.state.Lock(ctx)
	defer t.state.Unlock(ctx)
	return ctxstate.SyncNeeded(t.current.Synchronized, t.lastSync, now, t.syncInterval), nil
}

// CreateRecoveryPoint implements ctxsys.Tracker.
func (t *Tracker) CreateRecoveryPoint(ctx context.Context) (ctxsys.RecoveryPoint, error) {
	t.state.Lock(ctx)
	id := t.activeID
	t.state.Unlock(ctx)
	if id == "" {
		return ctxsys.RecoveryPoint{}, ctxsys.ErrNoActiveContext
	}
	return t.manager.CreateRecoveryPoint(ctx, id)
}

func staleVersion(version, current uint64) error {
	return fmt.Errorf("%w: version %d, current %d", ctxsys.ErrStaleVersion, version, current)
}
