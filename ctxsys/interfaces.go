package ctxsys

import "context"

// Manager is the map of context states by id plus recovery points per id.
// Create, Update, Delete and CreateRecoveryPoint write to the store; Get,
// List and RecoveryPoints are served from memory.
//
// Store layout (shared by all strategies, so the consistency checker can
// compare memory with the store key by key):
//
//	ctx/<id>          JSON of State
//	rp/<id>/<seq>     JSON of RecoveryPoint, seq as 20 zero-padded digits
type Manager interface {
	// Get returns a copy of the state of id, or ErrNotFound.
	Get(ctx context.Context, id string) (State, error)
	// Create adds id with the given state (state.ID is set to id).
	// ErrExists if id exists, ErrLimit if MaxContexts contexts exist.
	Create(ctx context.Context, id string, state State) error
	// Update replaces the state of an existing id (ErrNotFound otherwise).
	// The Manager does not enforce the version rule; Trackers do.
	Update(ctx context.Context, id string, state State) error
	// Delete removes id, its stored state and its recovery points.
	// ErrNotFound if absent.
	Delete(ctx context.Context, id string) error
	// List returns the ids in memory, sorted.
	List(ctx context.Context) ([]string, error)
	// CreateRecoveryPoint snapshots the current state of id. When the id
	// then has more than MaxRecoveryPoints points, the oldest are removed
	// (from memory and from the store).
	CreateRecoveryPoint(ctx context.Context, id string) (RecoveryPoint, error)
	// RecoveryPoints returns the points of id, oldest first (ErrNotFound if
	// the id does not exist).
	RecoveryPoints(ctx context.Context, id string) ([]RecoveryPoint, error)
}

// Tracker is one client's view: a current state with a version, the active
// context id, and the time of the last sync. Several clients may share one
// Tracker, and many Trackers may share one Manager.
type Tracker interface {
	// State returns a copy of the current state (zero State, version 0,
	// before any update or activation).
	State(ctx context.Context) (State, error)
	// UpdateState replaces the current state if state.Version is higher
	// than the current version; otherwise ErrStaleVersion. With
	// Config.AutoRecovery and an active context, it then asks the Manager
	// for a recovery point of the active context.
	UpdateState(ctx context.Context, state State) error
	// Activate loads id from the Manager, makes it the current state and
	// the active context. ErrNotFound if the Manager has no such id.
	Activate(ctx context.Context, id string) error
	// Deactivate clears the active context (the state is kept).
	Deactivate(ctx context.Context) error
	// ActiveID returns the active context id, "" when none.
	ActiveID(ctx context.Context) (string, error)
	// Sync pushes the current state to the Manager under the active id
	// (ErrNoActiveContext when none), marks it synchronized and records
	// the time of the sync.
	Sync(ctx context.Context) error
	// SyncNeeded reports whether the state is unsynchronized or the last
	// sync is older than Config.SyncInterval.
	SyncNeeded(ctx context.Context) (bool, error)
	// CreateRecoveryPoint asks the Manager for a recovery point of the
	// active context (ErrNoActiveContext when none).
	CreateRecoveryPoint(ctx context.Context) (RecoveryPoint, error)
}

// Adapter is the boundary towards protocol clients: its own map of adapter
// contexts with created/updated times, a config, and a bridge to the
// Manager.
type Adapter interface {
	// Create creates id here and in the Manager (the Manager state gets
	// version 1 and the data). ErrExists, ErrLimit as the Manager's.
	Create(ctx context.Context, id string, data []byte) (AdapterContext, error)
	// Get returns a copy of the adapter context, or ErrNotFound.
	Get(ctx context.Context, id string) (AdapterContext, error)
	// Update replaces the data, increments the version, refreshes
	// UpdatedAt and updates the Manager with the new state.
	Update(ctx context.Context, id string, data []byte) (AdapterContext, error)
	// Delete removes id here and in the Manager.
	Delete(ctx context.Context, id string) error
	// List returns the adapter contexts, sorted by id.
	List(ctx context.Context) ([]AdapterContext, error)
	// UpdateConfig replaces the config; zero fields keep their value.
	UpdateConfig(ctx context.Context, cfg AdapterConfig) error
	// Config returns the current config.
	Config(ctx context.Context) (AdapterConfig, error)
	// CleanupExpired removes every context idle longer than the ttl
	// (now - UpdatedAt > ttl), here and in the Manager, and returns the ids
	// it removed, sorted.
	CleanupExpired(ctx context.Context) ([]string, error)
}
