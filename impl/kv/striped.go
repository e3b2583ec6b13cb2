package kv

import (
	"context"

	"lockbench/lock"
	"lockbench/store"
)

// Striped splits the map into stripes, each a map behind its own RWMutex;
// every stripe's lock records under the one name kv.stripe. A writer holds
// its key's stripe exclusively across the store write (store order = memory
// order for every key), so writers of keys on different stripes write to
// the store in parallel, and only readers of the writer's own stripe wait
// for its I/O.
type Striped struct {
	stripes []stripe
	mask    uint32
	store   store.Store
}

type stripe struct {
	mu *lock.RWMutex
	m  map[string]string
}

// NewStriped builds a Striped cache.
func NewStriped(d Deps) (Cache, error) {
	cfg := d.Config.WithDefaults()
	c := &Striped{stripes: make([]stripe, cfg.Stripes), mask: uint32(cfg.Stripes - 1), store: d.Store}
	for i := range c.stripes {
		c.stripes[i] = stripe{mu: d.Locks.RWMutex("kv.stripe"), m: make(map[string]string)}
	}
	return c, nil
}

func (c *Striped) of(key string) *stripe { return &c.stripes[stripeOf(key, c.mask)] }

// Get implements Cache under the stripe's read lock.
func (c *Striped) Get(ctx context.Context, key string) (string, bool, error) {
	s := c.of(key)
	s.mu.RLock(ctx)
	v, ok := s.m[key]
	s.mu.RUnlock(ctx)
	return v, ok, nil
}

// Put implements Cache under the stripe's write lock, across the store
// write.
func (c *Striped) Put(ctx context.Context, key, value string) error {
	s := c.of(key)
	s.mu.Lock(ctx)
	defer s.mu.Unlock(ctx)
	if err := persist(ctx, c.store, key, value, false); err != nil {
		return err
	}
	s.m[key] = value
	return nil
}

// PutIfAbsent implements Cache: check and write under one hold of the
// stripe's write lock. (A read-locked fast path for hits, as in rwmutex,
// buys little here: a stripe's lock is rarely contended.)
func (c *Striped) PutIfAbsent(ctx context.Context, key, value string) (string, bool, error) {
	s := c.of(key)
	s.mu.Lock(ctx)
	defer s.mu.Unlock(ctx)
	if v, ok := s.m[key]; ok {
		return v, true, nil
	}
	if err := persist(ctx, c.store, key, value, false); err != nil {
		return "", false, err
	}
	s.m[key] = value
	return value, false, nil
}

// Delete implements Cache under one hold of the stripe's write lock.
func (c *Striped) Delete(ctx context.Context, key string) (bool, error) {
	s := c.of(key)
	s.mu.Lock(ctx)
	defer s.mu.Unlock(ctx)
	if _, ok := s.m[key]; !ok {
		return false, nil
	}
	if err := persist(ctx, c.store, key, "", true); err != nil {
		return false, err
	}
	delete(s.m, key)
	return true, nil
}

// Scan implements Cache one stripe at a time, each under its read lock:
// holding them all at once would make the scan a snapshot but stop every
// writer of the cache for its duration, and keys are hashed to stripes, so
// a range of keys touches them all anyway.
func (c *Striped) Scan(ctx context.Context, from string, n int) ([]Entry, error) {
	t := newTopN(from, n)
	for i := range c.stripes {
		s := &c.stripes[i]
		s.mu.RLock(ctx)
		for k, v := range s.m {
			t.add(k, v)
		}
		s.mu.RUnlock(ctx)
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
