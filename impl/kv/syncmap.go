package kv

import (
	"context"
	"sync"

	"lockbench/store"
)

// SyncMap keeps values in a sync.Map, so gets and scans take no lock at all
// and never wait for a writer or its I/O. sync.Map alone would let two
// writers of one key reach the store in one order and the map in the other,
// so each key's writers are ordered by a per-key lock (kv.key, striped),
// held across the store write: writers of different keys run in parallel,
// writers of one key one at a time, store order = memory order.
type SyncMap struct {
	m     sync.Map // key → string
	keys  keyLocks
	store store.Store
}

// NewSyncMap builds a SyncMap cache.
func NewSyncMap(d Deps) (Cache, error) {
	cfg := d.Config.WithDefaults()
	return &SyncMap{keys: newKeyLocks(d.Locks, "kv.key", cfg.Stripes), store: d.Store}, nil
}

// Get implements Cache without a lock.
func (c *SyncMap) Get(_ context.Context, key string) (string, bool, error) {
	v, ok := c.m.Load(key)
	if !ok {
		return "", false, nil
	}
	return v.(string), true, nil
}

// Put implements Cache under key's lock; the map changes only once the
// store has the value.
func (c *SyncMap) Put(ctx context.Context, key, value string) error {
	mu := c.keys.of(key)
	mu.Lock(ctx)
	defer mu.Unlock(ctx)
	if err := persist(ctx, c.store, key, value, false); err != nil {
		return err
	}
	c.m.Store(key, value)
	return nil
}

// PutIfAbsent implements Cache. A hit needs no lock; a miss checks again
// under key's lock, which every writer of key holds, so no other writer
// can insert between the check and the store write.
func (c *SyncMap) PutIfAbsent(ctx context.Context, key, value string) (string, bool, error) {
	if v, ok := c.m.Load(key); ok {
		return v.(string), true, nil
	}
	mu := c.keys.of(key)
	mu.Lock(ctx)
	defer mu.Unlock(ctx)
	if v, ok := c.m.Load(key); ok {
		return v.(string), true, nil
	}
	if err := persist(ctx, c.store, key, value, false); err != nil {
		return "", false, err
	}
	c.m.Store(key, value)
	return value, false, nil
}

// Delete implements Cache with PutIfAbsent's shape: a miss needs no lock.
func (c *SyncMap) Delete(ctx context.Context, key string) (bool, error) {
	if _, ok := c.m.Load(key); !ok {
		return false, nil
	}
	mu := c.keys.of(key)
	mu.Lock(ctx)
	defer mu.Unlock(ctx)
	if _, ok := c.m.Load(key); !ok {
		return false, nil
	}
	if err := persist(ctx, c.store, key, "", true); err != nil {
		return false, err
	}
	c.m.Delete(key)
	return true, nil
}

// Scan implements Cache by a Range over the whole map, without a lock:
// each key's value is one it held during the scan.
func (c *SyncMap) Scan(_ context.Context, from string, n int) ([]Entry, error) {
	t := newTopN(from, n)
	c.m.Range(func(k, v any) bool {
		t.add(k.(string), v.(string))
		return true
	})
	return t.entries, nil
}

// Contents implements Cache.
func (c *SyncMap) Contents() map[string]string {
	out := map[string]string{}
	c.m.Range(func(k, v any) bool {
		out[k.(string)] = v.(string)
		return true
	})
	return out
}
