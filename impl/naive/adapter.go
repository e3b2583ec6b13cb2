package naive

import (
	"context"
	"errors"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/impl/internal/ctxstate"
	"lockbench/lock"
)

// Adapter is the naive ctxsys.Adapter.
type Adapter struct {
	manager ctxsys.Manager
	clock   ctxsys.Clock

	// mu ("adapter.contexts") guards contexts and is held across every call
	// into the manager: the adapter's map and the manager change together,
	// and a cleanup's expiry check holds until the context is gone.
	mu       *lock.RWMutex
	contexts map[string]ctxsys.AdapterContext

	// configMu ("adapter.config") guards config; taken inside mu when both
	// are needed, never the other way round.
	configMu *lock.RWMutex
	config   ctxsys.AdapterConfig
}

var (
	_ ctxsys.Adapter        = (*Adapter)(nil)
	_ impl.AdapterInspector = (*Adapter)(nil)
)

func newAdapter(m ctxsys.Manager, s ctxstate.Setup, locks *lock.Set) *Adapter {
	return &Adapter{
		manager:  m,
		clock:    s.Clock,
		mu:       locks.RWMutex("adapter.contexts"),
		contexts: make(map[string]ctxsys.AdapterContext),
		configMu: locks.RWMutex("adapter.config"),
		config:   ctxstate.InitialAdapterConfig(s.Config),
	}
}

// Create implements ctxsys.Adapter. mu is held from the checks to the
// insert, across manager.Create: two creates of one id, or creates beyond
// the cap, cannot both pass the checks.
func (a *Adapter) Create(ctx context.Context, id string, data []byte) (ctxsys.AdapterContext, error) {
	if err := ctxstate.CheckID(id); err != nil {
		return ctxsys.AdapterContext{}, err
	}
	a.mu.Lock(ctx)
	defer a.mu.Unlock(ctx)
	if _, ok := a.contexts[id]; ok {
		return ctxsys.AdapterContext{}, ctxsys.ErrExists
	}
	if len(a.contexts) >= a.currentConfig(ctx).MaxContexts {
		return ctxsys.AdapterContext{}, ctxsys.ErrLimit
	}
	ac := ctxstate.NewAdapterContext(id, data, a.clock.Now())
	if err := a.manager.Create(ctx, id, ctxstate.ManagerState(ac)); err != nil {
		return ctxsys.AdapterContext{}, err
	}
	a.contexts[id] = ac
	return ctxstate.CloneAdapterContext(ac), nil
}

// Get implements ctxsys.Adapter.
func (a *Adapter) Get(ctx context.Context, id string) (ctxsys.AdapterContext, error) {
	a.mu.RLock(ctx)
	defer a.mu.RUnlock(ctx)
	ac, ok := a.contexts[id]
	if !ok {
		return ctxsys.AdapterContext{}, ctxsys.ErrNotFound
	}
	return ctxstate.CloneAdapterContext(ac), nil
}

// Update implements ctxsys.Adapter. mu is held across manager.Update: the
// version read is the version replaced, and a cleanup cannot remove the
// context between its refresh here and in the manager.
func (a *Adapter) Update(ctx context.Context, id string, data []byte) (ctxsys.AdapterContext, error) {
	a.mu.Lock(ctx)
	defer a.mu.Unlock(ctx)
	cur, ok := a.contexts[id]
	if !ok {
		return ctxsys.AdapterContext{}, ctxsys.ErrNotFound
	}
	next := ctxstate.Refreshed(cur, data, a.clock.Now())
	if err := a.manager.Update(ctx, id, ctxstate.ManagerState(next)); err != nil {
		return ctxsys.AdapterContext{}, err
	}
	a.contexts[id] = next
	return ctxstate.CloneAdapterContext(next), nil
}

// Delete implements ctxsys.Adapter. mu is held across manager.Delete so the
// id leaves both maps together. An id the manager no longer has (deleted
// there directly) is removed here all the same.
func (a *Adapter) Delete(ctx context.Context, id string) error {
	a.mu.Lock(ctx)
	defer a.mu.Unlock(ctx)
	if _, ok := a.contexts[id]; !ok {
		return ctxsys.ErrNotFound
	}
	if err := ctxstate.IgnoreNotFound(a.manager.Delete(ctx, id)); err != nil {
		return err
	}
	delete(a.contexts, id)
	return nil
}

// List implements ctxsys.Adapter.
func (a *Adapter) List(ctx context.Context) ([]ctxsys.AdapterContext, error) {
	a.mu.RLock(ctx)
	defer a.mu.RUnlock(ctx)
	return ctxstate.SortedAdapterContexts(a.contexts), nil
}

// UpdateConfig implements ctxsys.Adapter.
func (a *Adapter) UpdateConfig(ctx context.Context, cfg ctxsys.AdapterConfig) error {
	a.configMu.Lock(ctx)
	defer a.configMu.Unlock(ctx)
	merged, err := ctxstate.MergeAdapterConfig(a.config, cfg)
	if err != nil {
		return err
	}
	a.config = merged
	return nil
}

// Config implements ctxsys.Adapter.
func (a *Adapter) Config(ctx context.Context) (ctxsys.AdapterConfig, error) {
	return a.currentConfig(ctx), nil
}

// currentConfig returns a copy of the config under configMu.
func (a *Adapter) currentConfig(ctx context.Context) ctxsys.AdapterConfig {
	a.configMu.RLock(ctx)
	defer a.configMu.RUnlock(ctx)
	return a.config
}

// CleanupExpired implements ctxsys.Adapter. mu is held from the scan to the
// last removal, across every manager.Delete: a context found expired stays
// untouched until it is gone, so a refresh either lands before the scan (and
// the context is kept) or after the removal (and fails with ErrNotFound). A
// failed manager.Delete keeps that context and the others go on; the error
// comes back with the ids removed.
func (a *Adapter) CleanupExpired(ctx context.Context) ([]string, error) {
	a.mu.Lock(ctx)
	defer a.mu.Unlock(ctx)
	ttl := a.currentConfig(ctx).TTL
	var removed []string
	var errs []error
	for _, id := range ctxstate.ExpiredIDs(a.contexts, a.clock.Now(), ttl) {
		if err := ctxstate.IgnoreNotFound(a.manager.Delete(ctx, id)); err != nil {
			errs = append(errs, err)
			continue
		}
		delete(a.contexts, id)
		removed = append(removed, id)
	}
	return removed, errors.Join(errs...)
}

// AdapterContexts implements impl.AdapterInspector.
func (a *Adapter) AdapterContexts() map[string]ctxsys.AdapterContext {
	ctx := context.Background()
	a.mu.RLock(ctx)
	defer a.mu.RUnlock(ctx)
	return ctxstate.CloneAdapterContexts(a.contexts)
}
