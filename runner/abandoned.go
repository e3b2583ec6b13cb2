package runner

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"lockbench/store"
)

// ErrStoreLeft: the store of an abandoned run could not be closed in time;
// its data may be left behind at the path the error names.
var ErrStoreLeft = errors.New("runner: store left open")

// abandonedStore is the store of a run whose workers had not all left when
// the run ended (a stalled run): closing it under workers still inside it
// is unsafe, so it is closed when they leave — or, at the latest, by
// CloseAbandoned before the process exits.
type abandonedStore struct {
	run    string
	path   string
	closed chan struct{}
	once   sync.Once
	s      store.Store
}

func (a *abandonedStore) close() { a.once.Do(func() { a.s.Close(); close(a.closed) }) }

var abandoned struct {
	mu     sync.Mutex
	stores []*abandonedStore
}

// leaveOpen hands s to the abandoned list; it is closed once allDone is.
func leaveOpen(s store.Store, allDone <-chan struct{}, runName string) {
	a := &abandonedStore{run: runName, path: storePath(s), closed: make(chan struct{}), s: s}
	abandoned.mu.Lock()
	abandoned.stores = append(abandoned.stores, a)
	abandoned.mu.Unlock()
	go func() { <-allDone; a.close() }()
}

// storePath names where a store keeps its data, for a message.
// It looks through the wrappers (store.Instrument, the run's own
// directory of store.OpenFresh) for the first that knows.
func storePath(s store.Store) string {
	for s != nil {
		switch v := s.(type) {
		case interface{ Dir() string }:
			return v.Dir()
		case interface{ Path() string }:
			return v.Path()
		}
		u, ok := s.(interface{ Unwrap() store.Store })
		if !ok {
			break
		}
		s = u.Unwrap()
	}
	return "(in memory)"
}

// CloseAbandoned closes the stores of abandoned runs before the process
// exits, so their data does not outlive it. It waits up to timeout for
// each run's workers to leave; then it closes the store under them, and
// waits up to timeout again for that. A store still not closed is named,
// with its path, in an ErrStoreLeft error.
func CloseAbandoned(timeout time.Duration) error {
	abandoned.mu.Lock()
	stores := abandoned.stores
	abandoned.stores = nil
	abandoned.mu.Unlock()
	if len(stores) == 0 {
		return nil
	}
	deadline := time.Now().Add(timeout)
	for _, a := range stores {
		if !waitClosed(a.closed, time.Until(deadline)) {
			go a.close() // workers still inside: close it under them
		}
	}
	deadline = time.Now().Add(timeout)
	var left []string
	for _, a := range stores {
		if !waitClosed(a.closed, time.Until(deadline)) {
			left = append(left, fmt.Sprintf("run %s: data left at %q", a.run, a.path))
		}
	}
	if len(left) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrStoreLeft, strings.Join(left, "; "))
}

func waitClosed(closed <-chan struct{}, d time.Duration) bool {
	t := time.NewTimer(max(d, 0))
	defer t.Stop()
	select {
	case <-closed:
		return true
	case <-t.C:
		select {
		case <-closed:
			return true
		default:
			return false
		}
	}
}
