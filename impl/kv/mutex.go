package kv

import (
	"context"
	"maps"

	"lockbench/lock"
	"lockbench/store"
)

// Mutex is the textbook cache: one mutex around a map. Every operation,
// reads included, takes kv.map, and writes keep it across the store write:
// that keeps the store's order of writes equal to memory's and makes every
// operation linearizable, at the price of one store write at a time for
// the whole cache (write throughput at most 1/store latency) and of reads
// queueing behind a write's I/O.
type Mutex struct {
	mu    *lock.Mutex
	m     map[string]string
	store store.Store
}

// NewMutex builds a Mutex cache.
func NewMutex(d Deps) (Cache, error) {
	return &Mutex{mu: d.Locks.Mutex("kv.map"), m: make(map[string]string), store: d.Store}, nil
}

// Get implements Cache.
func (c *Mutex) Get(ctx context.Context, key string) (string, bool, error) {
	c.mu.Lock(ctx)
	v, ok := c.m[key]
	c.mu.Unlock(ctx)
	return v, ok, nil
}

// Put implements Cache. The store write happens under kv.map so that two
// puts of one key reach the store in the order they reach memory; memory
// changes only once the store has the value, so a failed write leaves
// memory as it was.
func (c *Mutex) Put(ctx context.Context, key, value string) error {
	c.mu.Lock(ctx)
	defer c.mu.Unlock(ctx)
	if err := persist(ctx, c.store, key, value, false); err != nil {
		return err
	}
	c.m[key] = value
	return nil
}

// PutIfAbsent implements Cache: check and write under one hold of kv.map,
// so two callers cannot both find the key absent.
func (c *Mutex) PutIfAbsent(ctx context.Context, key, value string) (string, bool, error) {
	c.mu.Lock(ctx)
	defer c.mu.Unlock(ctx)
	if v, ok := c.m[key]; ok {
		return v, true, nil
	}
	if err := persist(ctx, c.store, key, value, false); err != nil {
		return "", false, err
	}
	c.m[key] = value
	return value, false, nil
}

// Delete implements Cache, under one hold of kv.map like PutIfAbsent.
func (c *Mutex) Delete(ctx context.Context, key string) (bool, error) {
	c.mu.Lock(ctx)
	defer c.mu.Unlock(ctx)
	if _, ok := c.m[key]; !ok {
		return false, nil
	}
	if err := persist(ctx, c.store, key, "", true); err != nil {
		return false, err
	}
	delete(c.m, key)
	return true, nil
}

// Scan implements Cache: a walk of the whole map under kv.map, O(size),
// so a scan holds the lock far longer than a get.
func (c *Mutex) Scan(ctx context.Context, from string, n int) ([]Entry, error) {
	t := newTopN(from, n)
	c.mu.Lock(ctx)
	for k, v := range c.m {
		t.add(k, v)
	}
	c.mu.Unlock(ctx)
	return t.entries, nil
}

// Contents implements Cache.
func (c *Mutex) Contents() map[string]string { return maps.Clone(c.m) }
