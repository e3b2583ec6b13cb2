package runner

import "lockbench/store"

// openStore opens a run's store, fresh (store.OpenFresh: a store at a
// user's path gets a directory of its own, removed on Close), inside the
// wrapper every store goes through: it charges held_io to the locks held
// across each call and measures the store figures of every backend alike.
func openStore(s store.Spec, runName string) (store.Store, error) {
	st, err := store.OpenFresh(s, runName)
	if err != nil {
		return nil, err
	}
	return store.Instrument(st, store.Hooks{}), nil
}
