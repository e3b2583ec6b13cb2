package runner

import (
	"context"
	"errors"
	"sync"

	"lockbench/store"
)

// checkView is the store as the consistency check reads it at quiescence.
// The sim store delays and fails every call, the check's own reads
// included, and the check reads key by key:
//
//   - a key the check cannot read would be compared as missing and billed
//     to the strategy as an anomaly, so injected failures of reads are
//     retried;
//   - 10,000 keys at 1ms each would add ten seconds to every run, so the
//     first Get of a key that a List returned fetches every key of that
//     listing in parallel. Nothing runs at quiescence: the values are the
//     same as read one by one.
//
// Writes pass through (the check makes none).
type checkView struct {
	store.Store
	mu      sync.Mutex
	listed  map[string]bool // keys of the last List, not fetched yet
	fetched map[string]fetchedValue
}

type fetchedValue struct {
	v   []byte
	err error
}

// Bounds of the check's reads.
const (
	checkReadAttempts = 20
	checkReadParallel = 64
)

var _ store.Store = (*checkView)(nil)

func newCheckView(s store.Store) *checkView { return &checkView{Store: s} }

func (s *checkView) List(ctx context.Context, prefix string) (keys []string, err error) {
	for range checkReadAttempts {
		if keys, err = s.Store.List(ctx, prefix); !errors.Is(err, store.ErrInjected) {
			break
		}
	}
	if err == nil {
		s.mu.Lock()
		s.listed = make(map[string]bool, len(keys))
		for _, k := range keys {
			s.listed[k] = true
		}
		s.mu.Unlock()
	}
	return keys, err
}

func (s *checkView) Get(ctx context.Context, key string) ([]byte, error) {
	s.mu.Lock()
	if s.listed[key] {
		s.prefetchLocked(ctx)
	}
	f, ok := s.fetched[key]
	delete(s.fetched, key)
	s.mu.Unlock()
	if ok {
		return f.v, f.err
	}
	return s.get(ctx, key)
}

// prefetchLocked reads every listed key, checkReadParallel at a time.
func (s *checkView) prefetchLocked(ctx context.Context) {
	keys := make([]string, 0, len(s.listed))
	for k := range s.listed {
		keys = append(keys, k)
	}
	s.listed = nil
	values := make([]fetchedValue, len(keys))
	var wg sync.WaitGroup
	sem := make(chan struct{}, checkReadParallel)
	for i, k := range keys {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			values[i].v, values[i].err = s.get(ctx, k)
			<-sem
		}()
	}
	wg.Wait()
	s.fetched = make(map[string]fetchedValue, len(keys))
	for i, k := range keys {
		s.fetched[k] = values[i]
	}
}

func (s *checkView) get(ctx context.Context, key string) (v []byte, err error) {
	for range checkReadAttempts {
		if v, err = s.Store.Get(ctx, key); !errors.Is(err, store.ErrInjected) {
			break
		}
	}
	return v, err
}
