package kv

import (
	"context"
	"maps"

	"lockbench/lock"
	"lockbench/store"
)

// RWMutex is Mutex with a reader/writer lock: gets and scans share kv.map,
// writes hold it exclusively across the store write (for the same reasons
// as Mutex). Readers run together only between writes: a writer waiting for
// kv.map stops new readers (sync.RWMutex prefers writers), so with store
// latency every read still queues behind the write in progress and its
// I/O. Without latency, a read-lock costs an atomic add on one shared
// counter that every reader's core must own in turn, more than
// sync.Mutex's uncontended CAS.
type RWMutex struct {
	mu    *lock.RWMutex
	m     map[string]string
	store store.Store
}

// NewRWMutex builds an RWMutex cache.
func NewRWMutex(d Deps) (Cache, error) {
	return &RWMutex{mu: d.Locks.RWMutex("kv.map"), m: make(map[string]string), store: d.Store}, nil
}

// Get implements Cache under the read lock.
func (c *RWMutex) Get(ctx context.Context, key string) (string, bool, error) {
	c.mu.RLock(ctx)
	v, ok := c.m[key]
	c.mu.RUnlock(ctx)
	return v, ok, nil
}

// Put implements Cache. The write lock is held across the store write so
// store order = memory order; a read lock for the check would not help a
// blind write.
func (c *RWMutex) Put(ctx context.Context, key, value string) error {
	c.mu.Lock(ctx)
	defer c.mu.Unlock(ctx)
	if err := persist(ctx, c.store, key, value, false); err != nil {
		return err
	}
	c.m[key] = value
	return nil
}

// PutIfAbsent implements Cache. A hit is answered under the read lock; a
// miss takes the write lock and checks again, since another writer may
// have inserted the key between the two holds (that re-check is what racy
// leaves out).
func (c *RWMutex) PutIfAbsent(ctx context.Context, key, value string) (string, bool, error) {
	c.mu.RLock(ctx)
	v, ok := c.m[key]
	c.mu.RUnlock(ctx)
	if ok {
		return v, true, nil
	}
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

// Delete implements Cache with the same read-then-write-and-recheck shape
// as PutIfAbsent: deleting an absent key costs only a read lock.
func (c *RWMutex) Delete(ctx context.Context, key string) (bool, error) {
	c.mu.RLock(ctx)
	_, ok := c.m[key]
	c.mu.RUnlock(ctx)
	if !ok {
		return false, nil
	}
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

// Scan implements Cache: the whole-map walk under the read lock, so scans
// run beside each other and beside gets, not beside writes.
func (c *RWMutex) Scan(ctx context.Context, from string, n int) ([]Entry, error) {
	t := newTopN(from, n)
	c.mu.RLock(ctx)
	for k, v := range c.m {
		t.add(k, v)
	}
	c.mu.RUnlock(ctx)
	return t.entries, nil
}

// Contents implements Cache.
func (c *RWMutex) Contents() map[string]string { return maps.Clone(c.m) }
