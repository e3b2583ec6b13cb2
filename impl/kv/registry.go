package kv

// Strategy is a named way to build a Cache.
type Strategy struct {
	Name        string
	Description string
	// Linearizable says whether the strategy promises linearizable
	// operations and memory = store at quiescence (false for racy only).
	Linearizable bool
	New          func(Deps) (Cache, error)
}

// Strategies returns the built-in strategies, in the order reports list
// them: the one-lock baselines first, the deliberately broken one last.
func Strategies() []Strategy {
	return []Strategy{
		{Name: "mutex", Linearizable: true, New: NewMutex,
			Description: "one mutex around the map, store writes under it"},
		{Name: "rwmutex", Linearizable: true, New: NewRWMutex,
			Description: "one RWMutex: reads share it, writes hold it across the store write"},
		{Name: "syncmap", Linearizable: true, New: NewSyncMap,
			Description: "sync.Map for lock-free reads, per-key locks order each key's writes"},
		{Name: "striped", Linearizable: true, New: NewStriped,
			Description: "lock striping: 256 map shards, each behind its own mutex"},
		{Name: "cow", Linearizable: true, New: NewCOW,
			Description: "copy-on-write snapshot behind an atomic pointer, writers serialised"},
		{Name: "racy", Linearizable: false, New: NewRacy,
			Description: "deliberately racy: check-then-act put_if_absent/delete, unordered store writes"},
	}
}

var (
	_ Cache = (*Mutex)(nil)
	_ Cache = (*RWMutex)(nil)
	_ Cache = (*SyncMap)(nil)
	_ Cache = (*Striped)(nil)
	_ Cache = (*COW)(nil)
	_ Cache = (*Racy)(nil)
)
