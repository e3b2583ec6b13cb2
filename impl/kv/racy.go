package kv

import (
	"context"
	"maps"

	"lockbench/lock"
	"lockbench/store"
)

// Racy is deliberately wrong, so that the checker has something to find. It
// is free of data races (the race detector is silent) and does no I/O under
// a lock — the "keep I/O out of critical sections" advice followed without
// thought — which opens two gaps:
//
//   - PutIfAbsent and Delete check under the read lock, release it, write
//     to the store, then change memory under the write lock without
//     checking again: two callers can both find a key absent and both
//     insert it (duplicate_insert), or both delete it.
//   - Put writes the store first and memory after, with no lock ordering
//     the two: two puts of one key can reach the store in one order and
//     memory in the other (store_divergence at quiescence).
type Racy struct {
	mu    *lock.RWMutex
	m     map[string]string
	store store.Store
}

// NewRacy builds a Racy cache.
func NewRacy(d Deps) (Cache, error) {
	return &Racy{mu: d.Locks.RWMutex("kv.map"), m: make(map[string]string), store: d.Store}, nil
}

// Get implements Cache under the read lock (correct on its own).
func (c *Racy) Get(ctx context.Context, key string) (string, bool, error) {
	c.mu.RLock(ctx)
	v, ok := c.m[key]
	c.mu.RUnlock(ctx)
	return v, ok, nil
}

// Put implements Cache: store, then memory, nothing ordering the two.
func (c *Racy) Put(ctx context.Context, key, value string) error {
	if err := persist(ctx, c.store, key, value, false); err != nil {
		return err
	}
	c.mu.Lock(ctx)
	c.m[key] = value
	c.mu.Unlock(ctx)
	return nil
}

// PutIfAbsent implements Cache with a check-then-act gap (the bug).
func (c *Racy) PutIfAbsent(ctx context.Context, key, value string) (string, bool, error) {
	c.mu.RLock(ctx)
	v, ok := c.m[key]
	c.mu.RUnlock(ctx)
	if ok {
		return v, true, nil
	}
	if err := persist(ctx, c.store, key, value, false); err != nil {
		return "", false, err
	}
	c.mu.Lock(ctx)
	c.m[key] = value // no re-check: another caller may have inserted meanwhile
	c.mu.Unlock(ctx)
	return value, false, nil
}

// Delete implements Cache with the same gap as PutIfAbsent.
func (c *Racy) Delete(ctx context.Context, key string) (bool, error) {
	c.mu.RLock(ctx)
	_, ok := c.m[key]
	c.mu.RUnlock(ctx)
	if !ok {
		return false, nil
	}
	if err := persist(ctx, c.store, key, "", true); err != nil {
		return false, err
	}
	c.mu.Lock(ctx)
	delete(c.m, key)
	c.mu.Unlock(ctx)
	return true, nil
}

// Scan implements Cache under the read lock (correct on its own).
func (c *Racy) Scan(ctx context.Context, from string, n int) ([]Entry, error) {
	t := newTopN(from, n)
	c.mu.RLock(ctx)
	for k, v := range c.m {
		t.add(k, v)
	}
	c.mu.RUnlock(ctx)
	return t.entries, nil
}

// Contents implements Cache.
func (c *Racy) Contents() map[string]string { return maps.Clone(c.m) }
