package naive

import (
	"context"
	"time"

	"lockbench/ctxsys"
	"lockbench/impl/internal/ctxstate"
	"lockbench/lock"
)

// Tracker is the naive ctxsys.Tracker.
type Tracker struct {
	manager ctxsys.Manager
	clock   ctxsys.Clock
	cfg     ctxsys.Config

	// mu ("tracker.state") guards state, activeID and lastSync together,
	// and is held across every call into the manager: a tracker operation
	// is one step, so no update can land between a sync's read and its
	// "synchronized" mark, nor between an update and its recovery point.
	mu       *lock.Mutex
	state    ctxsys.State
	activeID string
	lastSync time.Time
}

var _ ctxsys.Tracker = (*Tracker)(nil)

func newTracker(m ctxsys.Manager, s ctxstate.Setup, locks *lock.Set) *Tracker {
	return &Tracker{manager: m, clock: s.Clock, cfg: s.Config, mu: locks.Mutex("tracker.state")}
}

// State implements ctxsys.Tracker.
func (t *Tracker) State(ctx context.Context) (ctxsys.State, error) {
	t.mu.Lock(ctx)
	defer t.mu.Unlock(ctx)
	return t.state.Clone(), nil
}

// UpdateState implements ctxsys.Tracker. The version check and the set are
// under one hold of mu, so versions only go up; the auto recovery point is
// taken before mu is released, so it snapshots this update.
func (t *Tracker) UpdateState(ctx context.Context, state ctxsys.State) error {
	state = state.Clone()
	t.mu.Lock(ctx)
	defer t.mu.Unlock(ctx)
	if ctxstate.StaleVersion(t.state, state) {
		return ctxsys.ErrStaleVersion
	}
	t.state = state
	if t.cfg.AutoRecovery && t.activeID != "" {
		// Held across the manager call: the blocking call inside the
		// critical section is what makes this strategy naive.
		_, err := t.manager.CreateRecoveryPoint(ctx, t.activeID)
		return err
	}
	return nil
}

// Activate implements ctxsys.Tracker. mu is held across manager.Get so that
// the loaded state and the active id are set together.
func (t *Tracker) Activate(ctx context.Context, id string) error {
	t.mu.Lock(ctx)
	defer t.mu.Unlock(ctx)
	s, err := t.manager.Get(ctx, id)
	if err != nil {
		return err
	}
	t.state = s
	t.activeID = id
	return nil
}

// Deactivate implements ctxsys.Tracker.
func (t *Tracker) Deactivate(ctx context.Context) error {
	t.mu.Lock(ctx)
	t.activeID = ""
	t.mu.Unlock(ctx)
	return nil
}

// ActiveID implements ctxsys.Tracker.
func (t *Tracker) ActiveID(ctx context.Context) (string, error) {
	t.mu.Lock(ctx)
	defer t.mu.Unlock(ctx)
	return t.activeID, nil
}

// Sync implements ctxsys.Tracker. mu is held across manager.Update, so the
// state marked synchronized is exactly the state the manager received.
func (t *Tracker) Sync(ctx context.Context) error {
	t.mu.Lock(ctx)
	defer t.mu.Unlock(ctx)
	if t.activeID == "" {
		return ctxsys.ErrNoActiveContext
	}
	if err := t.manager.Update(ctx, t.activeID, t.state.Clone()); err != nil {
		return err
	}
	t.state.Synchronized = true
	t.lastSync = t.clock.Now()
	return nil
}

// SyncNeeded implements ctxsys.Tracker.
func (t *Tracker) SyncNeeded(ctx context.Context) (bool, error) {
	t.mu.Lock(ctx)
	defer t.mu.Unlock(ctx)
	return ctxstate.SyncNeeded(t.state.Synchronized, t.lastSync, t.clock.Now(), t.cfg.SyncInterval), nil
}

// CreateRecoveryPoint implements ctxsys.Tracker. mu is held across the
// manager call so the active id cannot change under it.
func (t *Tracker) CreateRecoveryPoint(ctx context.Context) (ctxsys.RecoveryPoint, error) {
	t.mu.Lock(ctx)
	defer t.mu.Unlock(ctx)
	if t.activeID == "" {
		return ctxsys.RecoveryPoint{}, ctxsys.ErrNoActiveContext
	}
	return t.manager.CreateRecoveryPoint(ctx, t.activeID)
}
