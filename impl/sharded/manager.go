package sharded

import (
	"context"
	"fmt"
	"sort"
	"sync/atomic"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/impl/internal/ctxstate"
	"lockbench/lock"
	"lockbench/store"
)

// Manager is the sharded ctxsys.Manager.
//
// Locking: an entry's fields are written only by a goroutine holding both
// the id's stripe of keys and contexts for writing, so a stripe holder may
// read its own entry without contexts, and readers need only contexts held
// for reading. Lock order: keys, then contexts.
type Manager struct {
	store             store.Store
	clock             ctxsys.Clock
	maxContexts       int64
	maxRecoveryPoints int

	// keys serialises the writers of one id (create, update, delete,
	// recovery point) and is held across their store I/O, so the store sees
	// one key's writes in the order memory does.
	keys *keyLocks
	// contexts guards the entries map; held only for map reads and
	// assignments, never across I/O, so readers never wait for the store.
	contexts *lock.RWMutex
	entries  map[string]*entry

	// reserved counts contexts present plus creates in flight that have
	// claimed a slot; a create claims one before its store write, so
	// concurrent creates cannot overshoot maxContexts.
	reserved atomic.Int64
}

type entry struct {
	state   ctxsys.State
	points  []ctxsys.RecoveryPoint // oldest first
	nextSeq uint64
}

var (
	_ ctxsys.Manager = (*Manager)(nil)
	_ impl.Inspector = (*Manager)(nil)
)

func newManager(s store.Store, locks *lock.Set, clock ctxsys.Clock, cfg ctxsys.Config) *Manager {
	return &Manager{
		store:             s,
		clock:             clock,
		maxContexts:       int64(cfg.MaxContexts),
		maxRecoveryPoints: cfg.MaxRecoveryPoints,
		keys:              newKeyLocks(locks, "manager.keys"),
		contexts:          locks.RWMutex("manager.contexts"),
		entries:           make(map[string]*entry),
	}
}

// lookup returns the entry of id, or nil.
func (m *Manager) lookup(ctx context.Context, id string) *entry {
	m.contexts.RLock(ctx)
	e := m.entries[id]
	m.contexts.RUnlock(ctx)
	return e
}

// reserve claims a capacity slot; false when every slot is taken.
func (m *Manager) reserve() bool {
	for {
		n := m.reserved.Load()
		if n >= m.maxContexts {
			return false
		}
		if m.reserved.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

func (m *Manager) release() { m.reserved.Add(-1) }

// Get implements ctxsys.Manager.
func (m *Manager) Get(ctx context.Context, id string) (ctxsys.State, error) {
	m.contexts.RLock(ctx)
	defer m.contexts.RUnlock(ctx)
	e := m.entries[id]
	if e == nil {
		return ctxsys.State{}, fmt.Errorf("%w: %q", ctxsys.ErrNotFound, id)
	}
	return e.state.Clone(), nil
}

// Create implements ctxsys.Manager.
func (m *Manager) Create(ctx context.Context, id string, state ctxsys.State) error {
	if id == "" {
		return fmt.Errorf("%w: empty context id", ctxsys.ErrInvalid)
	}
	state = state.Clone()
	state.ID = id
	value, err := ctxsys.EncodeState(state)
	if err != nil {
		return fmt.Errorf("sharded: encode state %q: %w", id, err)
	}

	// The stripe keeps the existence check true until the insert: no other
	// create or delete of id can run in between.
	key := m.keys.of(id)
	key.Lock(ctx)
	defer key.Unlock(ctx)
	if m.lookup(ctx, id) != nil {
		return fmt.Errorf("%w: %q", ctxsys.ErrExists, id)
	}
	if !m.reserve() {
		return fmt.Errorf("%w: %d contexts", ctxsys.ErrLimit, m.maxContexts)
	}
	k := ctxsys.StateKey(id)
	if err := m.store.Put(ctx, k, value); err != nil {
		m.release()
		return ctxsys.StoreError("put", k, err)
	}
	m.contexts.Lock(ctx)
	m.entries[id] = &entry{state: state, nextSeq: 1}
	m.contexts.Unlock(ctx)
	return nil
}

// Update implements ctxsys.Manager.
func (m *Manager) Update(ctx context.Context, id string, state ctxsys.State) error {
	state = state.Clone()
	state.ID = id
	value, err := ctxsys.EncodeState(state)
	if err != nil {
		return fmt.Errorf("sharded: encode state %q: %w", id, err)
	}

	// The stripe orders this update's store write and memory write with
	// every other writer of id, so the store ends with the version memory
	// holds, and no delete can slip in between the check and the write.
	key := m.keys.of(id)
	key.Lock(ctx)
	defer key.Unlock(ctx)
	e := m.lookup(ctx, id)
	if e == nil {
		return fmt.Errorf("%w: %q", ctxsys.ErrNotFound, id)
	}
	k := ctxsys.StateKey(id)
	if err := m.store.Put(ctx, k, value); err != nil {
		return ctxsys.StoreError("put", k, err)
	}
	m.contexts.Lock(ctx)
	e.state = state
	m.contexts.Unlock(ctx)
	return nil
}

// Delete implements ctxsys.Manager. The recovery point keys go first and the
// state key last; if a store delete fails, memory drops exactly what the
// store dropped (possibly some recovery points), so the two stay equal.
func (m *Manager) Delete(ctx context.Context, id string) error {
	// The stripe keeps a concurrent create or update of id from writing
	// the store between this delete's store calls and its map removal.
	key := m.keys.of(id)
	key.Lock(ctx)
	defer key.Unlock(ctx)
	e := m.lookup(ctx, id)
	if e == nil {
		return fmt.Errorf("%w: %q", ctxsys.ErrNotFound, id)
	}
	deleted, err := m.deletePoints(ctx, e.points)
	if err == nil {
		k := ctxsys.StateKey(id)
		if err = m.store.Delete(ctx, k); err != nil {
			err = ctxsys.StoreError("delete", k, err)
		}
	}
	m.contexts.Lock(ctx)
	if err != nil {
		e.points = append([]ctxsys.RecoveryPoint(nil), e.points[deleted:]...)
	} else {
		delete(m.entries, id)
	}
	m.contexts.Unlock(ctx)
	if err != nil {
		return err
	}
	m.release()
	return nil
}

// deletePoints deletes the store keys of points in order and returns how
// many it deleted before the first failure.
func (m *Manager) deletePoints(ctx context.Context, points []ctxsys.RecoveryPoint) (int, error) {
	keys := make([]string, len(points))
	for i, p := range points {
		keys[i] = ctxsys.RecoveryPointKey(p.ContextID, p.Seq)
	}
	return ctxstate.DeleteKeys(ctx, m.store, keys)
}

// List implements ctxsys.Manager.
func (m *Manager) List(ctx context.Context) ([]string, error) {
	m.contexts.RLock(ctx)
	ids := make([]string, 0, len(m.entries))
	for id := range m.entries {
		ids = append(ids, id)
	}
	m.contexts.RUnlock(ctx)
	sort.Strings(ids)
	return ids, nil
}

// CreateRecoveryPoint implements ctxsys.Manager. The new point is written
// first, then the oldest beyond MaxRecoveryPoints are deleted; if one of
// those deletes fails, the points the store still holds stay in memory too
// (to be trimmed by the next recovery point) and the error is returned with
// the new point.
func (m *Manager) CreateRecoveryPoint(ctx context.Context, id string) (ctxsys.RecoveryPoint, error) {
	// The stripe makes snapshot, sequence number, store writes and trim one
	// step for id: points get unique increasing seqs, and trimming decides
	// on the count it is about to change.
	key := m.keys.of(id)
	key.Lock(ctx)
	defer key.Unlock(ctx)
	e := m.lookup(ctx, id)
	if e == nil {
		return ctxsys.RecoveryPoint{}, fmt.Errorf("%w: %q", ctxsys.ErrNotFound, id)
	}
	// e's fields are only written under this stripe, so reading them
	// without contexts is safe here.
	rp := ctxsys.RecoveryPoint{ContextID: id, Seq: e.nextSeq, State: e.state.Clone(), CreatedAt: m.clock.Now()}
	if err := ctxstate.PutRecoveryPoint(ctx, m.store, rp); err != nil {
		return ctxsys.RecoveryPoint{}, err
	}
	var trimmed []ctxsys.RecoveryPoint
	if excess := len(e.points) + 1 - m.maxRecoveryPoints; excess > 0 {
		trimmed = e.points[:excess]
	}
	deleted, err := m.deletePoints(ctx, trimmed)

	points := make([]ctxsys.RecoveryPoint, 0, len(e.points)-deleted+1)
	points = append(points, e.points[deleted:]...)
	points = append(points, rp)
	m.contexts.Lock(ctx)
	e.points = points
	e.nextSeq++
	m.contexts.Unlock(ctx)
	return ctxstate.CloneRecoveryPoint(rp), err
}

// RecoveryPoints implements ctxsys.Manager.
func (m *Manager) RecoveryPoints(ctx context.Context, id string) ([]ctxsys.RecoveryPoint, error) {
	m.contexts.RLock(ctx)
	defer m.contexts.RUnlock(ctx)
	e := m.entries[id]
	if e == nil {
		return nil, fmt.Errorf("%w: %q", ctxsys.ErrNotFound, id)
	}
	points := make([]ctxsys.RecoveryPoint, len(e.points))
	for i, p := range e.points {
		points[i] = ctxstate.CloneRecoveryPoint(p)
	}
	return points, nil
}

// Contexts implements impl.Inspector.
func (m *Manager) Contexts() map[string]ctxsys.State {
	ctx := context.Background()
	m.contexts.RLock(ctx)
	defer m.contexts.RUnlock(ctx)
	out := make(map[string]ctxsys.State, len(m.entries))
	for id, e := range m.entries {
		out[id] = e.state.Clone()
	}
	return out
}

// RecoveryPointSeqs implements impl.Inspector.
func (m *Manager) RecoveryPointSeqs() map[string][]uint64 {
	ctx := context.Background()
	m.contexts.RLock(ctx)
	defer m.contexts.RUnlock(ctx)
	out := make(map[string][]uint64, len(m.entries))
	for id, e := range m.entries {
		seqs := make([]uint64, len(e.points))
		for i, p := range e.points {
			seqs[i] = p.Seq
		}
		out[id] = seqs
	}
	return out
}
