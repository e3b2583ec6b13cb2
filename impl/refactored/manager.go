package refactored

import (
	"context"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/impl/internal/ctxstate"
	"lockbench/lock"
	"lockbench/store"
)

// Manager is the refactored ctxsys.Manager.
type Manager struct {
	store store.Store
	clock ctxsys.Clock
	cfg   ctxsys.Config

	// contextsMu ("manager.contexts") guards contexts, held only for map
	// operations, never across the store call that follows them.
	contextsMu *lock.RWMutex
	contexts   map[string]ctxsys.State

	// recoveryMu ("manager.recovery") guards points: recovery points got
	// their own lock in the refactoring so that snapshots do not contend
	// with reads of the context map.
	recoveryMu *lock.RWMutex
	points     map[string]*ctxstate.Points

	gap gapHook // tests only
}

var (
	_ ctxsys.Manager = (*Manager)(nil)
	_ impl.Inspector = (*Manager)(nil)
)

func newManager(s ctxstate.Setup, locks *lock.Set) *Manager {
	return &Manager{
		store:      s.Store,
		clock:      s.Clock,
		cfg:        s.Config,
		contextsMu: locks.RWMutex("manager.contexts"),
		contexts:   make(map[string]ctxsys.State),
		recoveryMu: locks.RWMutex("manager.recovery"),
		points:     make(map[string]*ctxstate.Points),
	}
}

// Get implements ctxsys.Manager.
func (m *Manager) Get(ctx context.Context, id string) (ctxsys.State, error) {
	m.contextsMu.RLock(ctx)
	defer m.contextsMu.RUnlock(ctx)
	s, ok := m.contexts[id]
	if !ok {
		return ctxsys.State{}, ctxsys.ErrNotFound
	}
	return s.Clone(), nil
}

// exists reports whether id is in the map, under the read lock alone: the
// "check" scope of every check-then-act step below.
func (m *Manager) exists(ctx context.Context, id string) (ok bool, n int) {
	m.contextsMu.RLock(ctx)
	defer m.contextsMu.RUnlock(ctx)
	_, ok = m.contexts[id]
	return ok, len(m.contexts)
}

// Create implements ctxsys.Manager: check under the read lock, insert under
// the write lock, Put with no lock.
func (m *Manager) Create(ctx context.Context, id string, state ctxsys.State) error {
	if err := ctxstate.CheckID(id); err != nil {
		return err
	}
	state = state.Clone()
	state.ID = id

	// Check: a read lock, so creates of different ids check in parallel.
	exists, n := m.exists(ctx, id)
	if exists {
		return ctxsys.ErrExists
	}
	if n >= m.cfg.MaxContexts {
		return ctxsys.ErrLimit
	}

	// GAP duplicate_create, capacity_overshoot: the read lock is released
	// before the write lock is taken, and the insert does not re-check, so
	// two creates of one id both pass the check and both succeed (the later
	// overwrites), and creates of distinct ids at the cap all pass it. Kept:
	// it is the seed's "separate read and write operations".
	m.gap.at(ctx, "manager.create")

	// Change: the write lock for the map operation only.
	m.contextsMu.Lock(ctx)
	m.contexts[id] = state
	m.contextsMu.Unlock(ctx)

	// Blocking call with no lock held (the point of the refactoring). On
	// failure memory already has the context: the order of steps implies
	// it (zombie).
	return ctxstate.PutState(ctx, m.store, state)
}

// Update implements ctxsys.Manager: check under the read lock, replace under
// the write lock, Put with no lock.
func (m *Manager) Update(ctx context.Context, id string, state ctxsys.State) error {
	state = state.Clone()
	state.ID = id

	if exists, _ := m.exists(ctx, id); !exists {
		return ctxsys.ErrNotFound
	}

	// GAP zombie: no re-check under the write lock, so an update racing a
	// delete puts the id back in memory (and in the store) after the
	// delete removed it. Kept as the seed left it.
	m.contextsMu.Lock(ctx)
	m.contexts[id] = state
	m.contextsMu.Unlock(ctx)

	// GAP store_divergence: the Put happens after the write lock is
	// released, so two updates of one id can reach the store in the
	// opposite order to the one they reached memory, leaving the store with
	// the older version at quiescence. Kept: no lock across I/O.
	return ctxstate.PutState(ctx, m.store, state)
}

// Delete implements ctxsys.Manager: check under the read lock, remove from
// memory under both write locks, delete the keys with no lock.
func (m *Manager) Delete(ctx context.Context, id string) error {
	if exists, _ := m.exists(ctx, id); !exists {
		return ctxsys.ErrNotFound
	}

	// Change: map and recovery points leave memory together (contexts then
	// recovery, the package's lock order), so no snapshot sees one without
	// the other.
	m.contextsMu.Lock(ctx)
	m.recoveryMu.Lock(ctx)
	delete(m.contexts, id)
	seqs := m.points[id].Seqs()
	delete(m.points, id)
	m.recoveryMu.Unlock(ctx)
	m.contextsMu.Unlock(ctx)

	// GAP zombie: the store keys are deleted after the locks are released,
	// so a create, update or recovery point of id that runs in between
	// writes keys this delete then removes (memory has the id, the store
	// not), or writes after it (the store keeps keys memory forgot). A
	// second concurrent delete also passes the check. Kept: no lock across
	// I/O.
	_, err := ctxstate.DeleteKeys(ctx, m.store, ctxstate.ContextKeys(id, seqs))
	return err
}

// List implements ctxsys.Manager.
func (m *Manager) List(ctx context.Context) ([]string, error) {
	m.contextsMu.RLock(ctx)
	defer m.contextsMu.RUnlock(ctx)
	return ctxstate.SortedKeys(m.contexts), nil
}

// CreateRecoveryPoint implements ctxsys.Manager: snapshot and decide the
// trim under read locks, allocate the seq under the write lock, Put with no
// lock, append and trim under the write lock, delete the trimmed keys with
// no lock.
func (m *Manager) CreateRecoveryPoint(ctx context.Context, id string) (ctxsys.RecoveryPoint, error) {
	// Check: read locks only, so snapshots of different ids, and reads of
	// the map, run in parallel.
	m.contextsMu.RLock(ctx)
	state, ok := m.contexts[id]
	state = state.Clone()
	m.recoveryMu.RLock(ctx)
	trimmed := m.points[id].Oldest(ctxstate.TrimCount(m.points[id].Len()+1, m.cfg.MaxRecoveryPoints))
	m.recoveryMu.RUnlock(ctx)
	m.contextsMu.RUnlock(ctx)
	if !ok {
		return ctxsys.RecoveryPoint{}, ctxsys.ErrNotFound
	}

	// The seq is allocated under the write lock before the Put, so seqs
	// stay unique per id even though everything else here races.
	m.recoveryMu.Lock(ctx)
	seq := m.pointsOf(id).NextSeq()
	m.recoveryMu.Unlock(ctx)

	rp := ctxsys.RecoveryPoint{ContextID: id, Seq: seq, State: state, CreatedAt: m.clock.Now()}
	if err := ctxstate.PutRecoveryPoint(ctx, m.store, rp); err != nil {
		return ctxsys.RecoveryPoint{}, err
	}

	// GAP recovery_overflow: the trim was decided on the count read before
	// the Put and is not re-decided now, so concurrent snapshots of one id
	// each add a point but all remove the same oldest ones, and the id
	// keeps more than MaxRecoveryPoints. Zombie too: the append does not
	// check that id still exists. Kept as the seed left it.
	m.recoveryMu.Lock(ctx)
	pts := m.pointsOf(id)
	pts.Append(ctxstate.CloneRecoveryPoint(rp))
	pts.Remove(trimmed)
	m.recoveryMu.Unlock(ctx)

	_, err := ctxstate.DeleteKeys(ctx, m.store, ctxstate.RecoveryPointKeys(id, trimmed))
	return rp, err
}

// pointsOf returns the points of id, adding an empty entry if there is none.
// The caller holds recoveryMu for writing.
func (m *Manager) pointsOf(id string) *ctxstate.Points {
	p := m.points[id]
	if p == nil {
		p = &ctxstate.Points{}
		m.points[id] = p
	}
	return p
}

// RecoveryPoints implements ctxsys.Manager: existence under the contexts
// read lock, the copy under the recovery read lock, in separate scopes.
func (m *Manager) RecoveryPoints(ctx context.Context, id string) ([]ctxsys.RecoveryPoint, error) {
	if exists, _ := m.exists(ctx, id); !exists {
		return nil, ctxsys.ErrNotFound
	}
	m.recoveryMu.RLock(ctx)
	defer m.recoveryMu.RUnlock(ctx)
	return m.points[id].Clone(), nil
}

// Contexts implements impl.Inspector.
func (m *Manager) Contexts() map[string]ctxsys.State {
	ctx := context.Background()
	m.contextsMu.RLock(ctx)
	defer m.contextsMu.RUnlock(ctx)
	return ctxstate.CloneStates(m.contexts)
}

// RecoveryPointSeqs implements impl.Inspector.
func (m *Manager) RecoveryPointSeqs() map[string][]uint64 {
	ctx := context.Background()
	m.recoveryMu.RLock(ctx)
	defer m.recoveryMu.RUnlock(ctx)
	return ctxstate.SeqsByID(m.points)
}
