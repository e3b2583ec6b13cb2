package kv

import (
	"context"

	"lockbench/lock"
	"lockbench/store"
)

// Striped splits the map into stripes, each a map behind its own mutex (a
// lock.Set striped family, kv.stripe). A writer holds its key's stripe
// across the store write (store order = memory order for every key), so
// writers of keys on different stripes write to the store in parallel, and
// only operations on the writer's own stripe wait for its I/O. The stripes
// are plain mutexes, not RWMutexes: with 256 of them a stripe is rarely
// contended, and then a reader/writer lock only costs more per acquisition.
type Striped struct {
	stripes []stripe
	keys    keyLocks
	store   store.Store
}

type stripe struct{ m map[string]string }

// NewStriped builds a Striped cache.
func NewStriped(d Deps) (Cache, error) {
	cfg := d.Config.WithDefaults()
	c := &Striped{stripes: make([]stripe, cfg.Stripes), keys: newKeyLocks(d.Locks, "kv.stripe", cfg.Stripes), store: d.Store}
	for i := range c.stripes {
		c.stripes[i].m = make(map[string]string)
	}
	return c, nil
}

// of returns key's stripe and its lock.
func (c *Striped) of(key string) (*stripe, *lock.Mutex) {
	i := stripeOf(key, c.keys.mask)
	return &c.stripes[i], c.keys.locks[i]
}

// Get implements Cache under the stripe's lock.
func (c *Striped) Get(ctx context.Context, key string) (string, bool, error) {
	s, mu := c.of(key)
	mu.Lock(ctx)
	v, ok := s.m[key]
	mu.Unlock(ctx)
	return v, ok, nil
}

// Put implements Cache under the stripe's lock, across the store write.
func (c *Striped) Put(ctx context.Context, key, value string) error {
	s, mu := c.of(key)
	mu.Lock(ctx)
	defer mu.Unlock(ctx)
	if err := persist(ctx, c.store, key, value, false); err != nil {
		return err
	}
	s.m[key] = value
	return nil
}

// PutIfAbsent implements Cache: check and write under one hold of the
// stripe's lock.
func (c *Striped) PutIfAbsent(ctx context.Context, key, value string) (string, bool, error) {
	s, mu := c.of(key)
	mu.Lock(ctx)
	defer mu.Unlock(ctx)
	if v, ok := s.m[key]; ok {
		return v, true, nil
	}
	if err := persist(ctx, c.store, key, value, false); err != nil {
		return "", false, err
	}
	s.m[key] = value
	return value, false, nil
}

// Delete implements Cache under one hold of the stripe's lock.
func (c *Striped) Delete(ctx context.Context, key string) (bool, error) {
	s, mu := c.of(key)
	mu.Lock(ctx)
	defer mu.Unlock(ctx)
	if _, ok := s.m[key]; !ok {
		return false, nil
	}
	if err := persist(ctx, c.store, key, "", true); err != nil {
		return false, err
	}
	delete(s.m, key)
	return true, nil
}

// Scan implements Cache one stripe at a time, each under its lock: holding
// them all at once would make the scan a snapshot but stop every writer of
// the cache for its duration, and keys are hashed to stripes, so a range of
// keys touches them all anyway (256 acquisitions per scan).
func (c *Striped) Scan(ctx context.Context, from string, n int) ([]Entry, error) {
	t := newTopN(from, n)
	for i := range c.stripes {
		mu := c.keys.locks[i]
		mu.Lock(ctx)
		for k, v := range c.stripes[i].m {
			t.add(k, v)
		}
		mu.Unlock(ctx)
	}
	return t.entries, nil
}

// Contents implements Cache.
func (c *Striped) Contents() map[string]string {
	out := map[string]string{}
	for i := range c.stripes {
		for k, v := range c.stripes[i].m {
			out[k] = v
		}
	}
	return out
}
