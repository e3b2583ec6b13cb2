package naive

import (
	"context"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/impl/internal/ctxstate"
	"lockbench/lock"
	"lockbench/store"
)

// Manager is the naive ctxsys.Manager.
type Manager struct {
	store store.Store
	clock ctxsys.Clock
	cfg   ctxsys.Config

	// mu ("manager.contexts") guards contexts and points together, and a
	// writer holds it across its store calls: the check, the store write and
	// the change in memory are one step, so no other operation can see or
	// act on the state in between.
	mu       *lock.RWMutex
	contexts map[string]ctxsys.State
	points   map[string]*ctxstate.Points

	// persist ("manager.persist") serialises every store write of the
	// manager, as the original's persistence mutex did. Under mu it is
	// redundant for correctness; it is kept because it is what "before the
	// refactoring" looked like, and it makes "one store write in flight" a
	// property of this lock alone.
	persist *lock.Mutex
}

var (
	_ ctxsys.Manager = (*Manager)(nil)
	_ impl.Inspector = (*Manager)(nil)
)

func newManager(s ctxstate.Setup, locks *lock.Set) *Manager {
	return &Manager{
		store:    s.Store,
		clock:    s.Clock,
		cfg:      s.Config,
		mu:       locks.RWMutex("manager.contexts"),
		contexts: make(map[string]ctxsys.State),
		points:   make(map[string]*ctxstate.Points),
		persist:  locks.Mutex("manager.persist"),
	}
}

// Get implements ctxsys.Manager. Readers share mu, but wait for any writer,
// who holds it across its store call.
func (m *Manager) Get(ctx context.Context, id string) (ctxsys.State, error) {
	m.mu.RLock(ctx)
	defer m.mu.RUnlock(ctx)
	s, ok := m.contexts[id]
	if !ok {
		return ctxsys.State{}, ctxsys.ErrNotFound
	}
	return s.Clone(), nil
}

// Create implements ctxsys.Manager. mu is held from the checks to the
// insert, across the Put: no other create can pass the same checks
// meanwhile, and memory changes only once the store has the state.
func (m *Manager) Create(ctx context.Context, id string, state ctxsys.State) error {
	if err := ctxstate.CheckID(id); err != nil {
		return err
	}
	state = state.Clone()
	state.ID = id
	m.mu.Lock(ctx)
	defer m.mu.Unlock(ctx)
	if _, ok := m.contexts[id]; ok {
		return ctxsys.ErrExists
	}
	if len(m.contexts) >= m.cfg.MaxContexts {
		return ctxsys.ErrLimit
	}
	m.persist.Lock(ctx)
	err := ctxstate.PutState(ctx, m.store, state)
	m.persist.Unlock(ctx)
	if err != nil {
		return err
	}
	m.contexts[id] = state
	return nil
}

// Update implements ctxsys.Manager. mu is held across the Put so that two
// updates of one id reach the store in the order they reach memory, and a
// delete cannot slip in between the existence check and the write.
func (m *Manager) Update(ctx context.Context, id string, state ctxsys.State) error {
	state = state.Clone()
	state.ID = id
	m.mu.Lock(ctx)
	defer m.mu.Unlock(ctx)
	if _, ok := m.contexts[id]; !ok {
		return ctxsys.ErrNotFound
	}
	m.persist.Lock(ctx)
	err := ctxstate.PutState(ctx, m.store, state)
	m.persist.Unlock(ctx)
	if err != nil {
		return err
	}
	m.contexts[id] = state
	return nil
}

// Delete implements ctxsys.Manager. mu is held across the store deletes so
// that no update or recovery point of id can be written after them. On a
// failure part-way, memory keeps exactly what the store still has (see
// ctxstate.ContextKeys for the order).
func (m *Manager) Delete(ctx context.Context, id string) error {
	m.mu.Lock(ctx)
	defer m.mu.Unlock(ctx)
	if _, ok := m.contexts[id]; !ok {
		return ctxsys.ErrNotFound
	}
	pts := m.points[id]
	seqs := pts.Seqs()
	keys := ctxstate.ContextKeys(id, seqs)
	m.persist.Lock(ctx)
	deleted, err := ctxstate.DeleteKeys(ctx, m.store, keys)
	m.persist.Unlock(ctx)
	if deleted == len(keys) {
		delete(m.contexts, id)
		delete(m.points, id)
		return nil
	}
	if pts != nil {
		pts.DropOldest(deleted) // the rp keys go first, oldest first
	}
	return err
}

// List implements ctxsys.Manager.
func (m *Manager) List(ctx context.Context) ([]string, error) {
	m.mu.RLock(ctx)
	defer m.mu.RUnlock(ctx)
	return ctxstate.SortedKeys(m.contexts), nil
}

// CreateRecoveryPoint implements ctxsys.Manager. mu is held from the snapshot
// to the trim, across the Put and the deletes: the count that decides the
// trim is the count the new point is added to, so an id never keeps more
// than MaxRecoveryPoints points. If deleting a trimmed point fails, memory
// keeps the points the store still has and the error is returned with the
// new point.
func (m *Manager) CreateRecoveryPoint(ctx context.Context, id string) (ctxsys.RecoveryPoint, error) {
	m.mu.Lock(ctx)
	defer m.mu.Unlock(ctx)
	state, ok := m.contexts[id]
	if !ok {
		return ctxsys.RecoveryPoint{}, ctxsys.ErrNotFound
	}
	pts := m.points[id]
	if pts == nil {
		pts = &ctxstate.Points{}
	}
	rp := ctxsys.RecoveryPoint{
		ContextID: id,
		Seq:       pts.LastSeq + 1, // allocated for real only once the Put succeeded
		State:     state.Clone(),
		CreatedAt: m.clock.Now(),
	}
	trimmed := pts.Oldest(ctxstate.TrimCount(pts.Len()+1, m.cfg.MaxRecoveryPoints))

	m.persist.Lock(ctx)
	putErr := ctxstate.PutRecoveryPoint(ctx, m.store, rp)
	deleted, deleteErr := 0, error(nil)
	if putErr == nil {
		deleted, deleteErr = ctxstate.DeleteKeys(ctx, m.store, ctxstate.RecoveryPointKeys(id, trimmed))
	}
	m.persist.Unlock(ctx)
	if putErr != nil {
		return ctxsys.RecoveryPoint{}, putErr
	}
	pts.Append(rp)
	pts.DropOldest(deleted)
	m.points[id] = pts
	return ctxstate.CloneRecoveryPoint(rp), deleteErr
}

// RecoveryPoints implements ctxsys.Manager.
func (m *Manager) RecoveryPoints(ctx context.Context, id string) ([]ctxsys.RecoveryPoint, error) {
	m.mu.RLock(ctx)
	defer m.mu.RUnlock(ctx)
	if _, ok := m.contexts[id]; !ok {
		return nil, ctxsys.ErrNotFound
	}
	return m.points[id].Clone(), nil
}

// Contexts implements impl.Inspector.
func (m *Manager) Contexts() map[string]ctxsys.State {
	ctx := context.Background()
	m.mu.RLock(ctx)
	defer m.mu.RUnlock(ctx)
	return ctxstate.CloneStates(m.contexts)
}

// RecoveryPointSeqs implements impl.Inspector.
func (m *Manager) RecoveryPointSeqs() map[string][]uint64 {
	ctx := context.Background()
	m.mu.RLock(ctx)
	defer m.mu.RUnlock(ctx)
	return ctxstate.SeqsByID(m.points)
}
