package sharded

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync/atomic"
	"time"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/impl/internal/ctxstate"
	"lockbench/lock"
)

// Adapter is the sharded ctxsys.Adapter. Like the Manager, an id's record is
// written only by a holder of its stripe of keys and of contexts for writing.
// Lock order: adapter keys, then (inside the Manager call) manager keys and
// manager contexts; adapter contexts and config are never held across a call.
type Adapter struct {
	manager ctxsys.Manager
	clock   ctxsys.Clock

	// keys serialises the operations on one id and is held across their
	// call into the Manager, so the Manager sees one id's changes in the
	// order the adapter applies them, and cleanup's expiry re-check stays
	// true until its delete is done.
	keys *keyLocks
	// contexts guards entries; held for map reads and assignments only.
	contexts *lock.RWMutex
	entries  map[string]ctxsys.AdapterContext
	// reserved counts entries plus creates in flight holding a slot.
	reserved atomic.Int64

	// config guards cfg; short holds only.
	config *lock.RWMutex
	cfg    ctxsys.AdapterConfig
}

var (
	_ ctxsys.Adapter        = (*Adapter)(nil)
	_ impl.AdapterInspector = (*Adapter)(nil)
)

func newAdapter(m ctxsys.Manager, locks *lock.Set, clock ctxsys.Clock, cfg ctxsys.Config) *Adapter {
	return &Adapter{
		manager:  m,
		clock:    clock,
		keys:     newKeyLocks(locks, "adapter.keys"),
		contexts: locks.RWMutex("adapter.contexts"),
		entries:  make(map[string]ctxsys.AdapterContext),
		config:   locks.RWMutex("adapter.config"),
		cfg:      ctxsys.AdapterConfig{MaxContexts: cfg.MaxContexts, TTL: cfg.TTL},
	}
}

func (a *Adapter) lookup(ctx context.Context, id string) (ctxsys.AdapterContext, bool) {
	a.contexts.RLock(ctx)
	ac, ok := a.entries[id]
	a.contexts.RUnlock(ctx)
	return ac, ok
}

func (a *Adapter) set(ctx context.Context, ac ctxsys.AdapterContext) {
	a.contexts.Lock(ctx)
	a.entries[ac.ID] = ac
	a.contexts.Unlock(ctx)
}

func (a *Adapter) remove(ctx context.Context, id string) {
	a.contexts.Lock(ctx)
	delete(a.entries, id)
	a.contexts.Unlock(ctx)
	a.reserved.Add(-1)
}

// reserve claims a capacity slot under the current MaxContexts.
func (a *Adapter) reserve(ctx context.Context) (bool, int) {
	limit := a.currentConfig(ctx).MaxContexts
	for {
		n := a.reserved.Load()
		if n >= int64(limit) {
			return false, limit
		}
		if a.reserved.CompareAndSwap(n, n+1) {
			return true, limit
		}
	}
}

func (a *Adapter) currentConfig(ctx context.Context) ctxsys.AdapterConfig {
	a.config.RLock(ctx)
	defer a.config.RUnlock(ctx)
	return a.cfg
}

// Create implements ctxsys.Adapter.
func (a *Adapter) Create(ctx context.Context, id string, data []byte) (ctxsys.AdapterContext, error) {
	if id == "" {
		return ctxsys.AdapterContext{}, fmt.Errorf("%w: empty context id", ctxsys.ErrInvalid)
	}
	// The stripe keeps the existence check true until the insert, across
	// the Manager call.
	key := a.keys.of(id)
	key.Lock(ctx)
	defer key.Unlock(ctx)
	if _, ok := a.lookup(ctx, id); ok {
		return ctxsys.AdapterContext{}, fmt.Errorf("%w: %q", ctxsys.ErrExists, id)
	}
	if ok, limit := a.reserve(ctx); !ok {
		return ctxsys.AdapterContext{}, fmt.Errorf("%w: %d adapter contexts", ctxsys.ErrLimit, limit)
	}
	now := a.clock.Now()
	ac := ctxsys.AdapterContext{ID: id, Version: 1, Data: ctxstate.CloneBytes(data), CreatedAt: now, UpdatedAt: now}
	if err := a.manager.Create(ctx, id, ctxstate.ManagerState(ac)); err != nil {
		a.reserved.Add(-1)
		return ctxsys.AdapterContext{}, err
	}
	a.set(ctx, ac)
	return ctxstate.CloneAdapterContext(ac), nil
}

// Get implements ctxsys.Adapter.
func (a *Adapter) Get(ctx context.Context, id string) (ctxsys.AdapterContext, error) {
	ac, ok := a.lookup(ctx, id)
	if !ok {
		return ctxsys.AdapterContext{}, fmt.Errorf("%w: %q", ctxsys.ErrNotFound, id)
	}
	return ctxstate.CloneAdapterContext(ac), nil
}

// Update implements ctxsys.Adapter.
func (a *Adapter) Update(ctx context.Context, id string, data []byte) (ctxsys.AdapterContext, error) {
	// The stripe makes read-increment-write of the version one step, and
	// keeps cleanup from deleting id between this refresh's Manager call
	// and its map write.
	key := a.keys.of(id)
	key.Lock(ctx)
	defer key.Unlock(ctx)
	ac, ok := a.lookup(ctx, id)
	if !ok {
		return ctxsys.AdapterContext{}, fmt.Errorf("%w: %q", ctxsys.ErrNotFound, id)
	}
	ac.Version++
	ac.Data = ctxstate.CloneBytes(data)
	ac.UpdatedAt = a.clock.Now()
	if err := a.manager.Update(ctx, id, ctxstate.ManagerState(ac)); err != nil {
		return ctxsys.AdapterContext{}, err
	}
	a.set(ctx, ac)
	return ctxstate.CloneAdapterContext(ac), nil
}

// Delete implements ctxsys.Adapter. A context already gone from the Manager
// (deleted there directly) is still removed here.
func (a *Adapter) Delete(ctx context.Context, id string) error {
	// The stripe keeps a concurrent update of id from re-creating its
	// record between the Manager delete and the map removal.
	key := a.keys.of(id)
	key.Lock(ctx)
	defer key.Unlock(ctx)
	if _, ok := a.lookup(ctx, id); !ok {
		return fmt.Errorf("%w: %q", ctxsys.ErrNotFound, id)
	}
	if err := a.manager.Delete(ctx, id); err != nil && !errors.Is(err, ctxsys.ErrNotFound) {
		return err
	}
	a.remove(ctx, id)
	return nil
}

// List implements ctxsys.Adapter.
func (a *Adapter) List(ctx context.Context) ([]ctxsys.AdapterContext, error) {
	a.contexts.RLock(ctx)
	out := make([]ctxsys.AdapterContext, 0, len(a.entries))
	for _, ac := range a.entries {
		out = append(out, ctxstate.CloneAdapterContext(ac))
	}
	a.contexts.RUnlock(ctx)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// UpdateConfig implements ctxsys.Adapter. Negative values are ErrInvalid.
func (a *Adapter) UpdateConfig(ctx context.Context, cfg ctxsys.AdapterConfig) error {
	if cfg.MaxContexts < 0 || cfg.TTL < 0 {
		return fmt.Errorf("%w: adapter config %+v", ctxsys.ErrInvalid, cfg)
	}
	a.config.Lock(ctx)
	defer a.config.Unlock(ctx)
	if cfg.MaxContexts != 0 {
		a.cfg.MaxContexts = cfg.MaxContexts
	}
	if cfg.TTL != 0 {
		a.cfg.TTL = cfg.TTL
	}
	return nil
}

// Config implements ctxsys.Adapter.
func (a *Adapter) Config(ctx context.Context) (ctxsys.AdapterConfig, error) {
	return a.currentConfig(ctx), nil
}

// CleanupExpired implements ctxsys.Adapter. It scans under a read lock,
// then removes each candidate under its stripe after re-checking, at the
// time of removal, that it is still present and still expired: a refresh
// acknowledged after the scan keeps its context. A failed Manager delete
// leaves that context in place; the errors are joined and returned with the
// ids that were removed.
func (a *Adapter) CleanupExpired(ctx context.Context) ([]string, error) {
	ttl := a.currentConfig(ctx).TTL
	now := a.clock.Now()
	var candidates []string
	a.contexts.RLock(ctx)
	for id, ac := range a.entries {
		if ctxstate.Expired(ac, now, ttl) {
			candidates = append(candidates, id)
		}
	}
	a.contexts.RUnlock(ctx)
	sort.Strings(candidates)

	var removed []string
	var errs []error
	for _, id := range candidates {
		ok, err := a.removeIfExpired(ctx, id, ttl)
		if err != nil {
			errs = append(errs, err)
		}
		if ok {
			removed = append(removed, id)
		}
	}
	return removed, errors.Join(errs...)
}

func (a *Adapter) removeIfExpired(ctx context.Context, id string, ttl time.Duration) (bool, error) {
	// The stripe holds off refreshes of id from the re-check to the
	// removal, so no acknowledged refresh is lost.
	key := a.keys.of(id)
	key.Lock(ctx)
	defer key.Unlock(ctx)
	ac, ok := a.lookup(ctx, id)
	if !ok || !ctxstate.Expired(ac, a.clock.Now(), ttl) {
		return false, nil
	}
	if err := a.manager.Delete(ctx, id); err != nil && !errors.Is(err, ctxsys.ErrNotFound) {
		return false, err
	}
	a.remove(ctx, id)
	return true, nil
}

// AdapterContexts implements impl.AdapterInspector.
func (a *Adapter) AdapterContexts() map[string]ctxsys.AdapterContext {
	ctx := context.Background()
	a.contexts.RLock(ctx)
	defer a.contexts.RUnlock(ctx)
	out := make(map[string]ctxsys.AdapterContext, len(a.entries))
	for id, ac := range a.entries {
		out[id] = ctxstate.CloneAdapterContext(ac)
	}
	return out
}
