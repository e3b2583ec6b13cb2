package kv

import (
	"context"
	"maps"
	"slices"
	"sort"
	"sync/atomic"

	"lockbench/lock"
	"lockbench/store"
)

// COW publishes an immutable snapshot of the whole cache behind an atomic
// pointer: gets and scans load it and take no lock, ever, and a scan is a
// true snapshot. Writers pay for that: one at a time (kv.writer, held
// across the store write so store order = memory order, like Mutex), and
// each copies the whole map — O(size) time and garbage per write, and the
// write's I/O under the one writer lock caps writes at 1/store latency.
type COW struct {
	cur    atomic.Pointer[snapshot]
	writer *lock.Mutex
	store  store.Store
}

// snapshot is never modified once published. keys is sorted, for scans.
type snapshot struct {
	m    map[string]string
	keys []string
}

// NewCOW builds a COW cache.
func NewCOW(d Deps) (Cache, error) {
	c := &COW{writer: d.Locks.Mutex("kv.writer"), store: d.Store}
	c.cur.Store(&snapshot{m: map[string]string{}})
	return c, nil
}

// Get implements Cache without a lock.
func (c *COW) Get(_ context.Context, key string) (string, bool, error) {
	v, ok := c.cur.Load().m[key]
	return v, ok, nil
}

// with returns a copy of s with key set to value (del: removed).
func (s *snapshot) with(key, value string, del bool) *snapshot {
	n := &snapshot{m: maps.Clone(s.m), keys: s.keys}
	_, had := s.m[key]
	switch {
	case del:
		delete(n.m, key)
		i := sort.SearchStrings(s.keys, key)
		n.keys = slices.Delete(slices.Clone(s.keys), i, i+1)
	case !had:
		n.m[key] = value
		i := sort.SearchStrings(s.keys, key)
		n.keys = slices.Insert(slices.Clone(s.keys), i, key)
	default:
		n.m[key] = value // the key set is unchanged: share keys
	}
	return n
}

// write publishes the snapshot with key changed, after the store has it.
// The caller holds kv.writer, so nobody else publishes in between.
func (c *COW) write(ctx context.Context, key, value string, del bool) error {
	if err := persist(ctx, c.store, key, value, del); err != nil {
		return err
	}
	c.cur.Store(c.cur.Load().with(key, value, del))
	return nil
}

// Put implements Cache.
func (c *COW) Put(ctx context.Context, key, value string) error {
	c.writer.Lock(ctx)
	defer c.writer.Unlock(ctx)
	return c.write(ctx, key, value, false)
}

// PutIfAbsent implements Cache. A hit is answered from the current
// snapshot without a lock; a miss checks again under kv.writer, since
// another writer may have published the key in between.
func (c *COW) PutIfAbsent(ctx context.Context, key, value string) (string, bool, error) {
	if v, ok := c.cur.Load().m[key]; ok {
		return v, true, nil
	}
	c.writer.Lock(ctx)
	defer c.writer.Unlock(ctx)
	if v, ok := c.cur.Load().m[key]; ok {
		return v, true, nil
	}
	if err := c.write(ctx, key, value, false); err != nil {
		return "", false, err
	}
	return value, false, nil
}

// Delete implements Cache with PutIfAbsent's shape.
func (c *COW) Delete(ctx context.Context, key string) (bool, error) {
	if _, ok := c.cur.Load().m[key]; !ok {
		return false, nil
	}
	c.writer.Lock(ctx)
	defer c.writer.Unlock(ctx)
	if _, ok := c.cur.Load().m[key]; !ok {
		return false, nil
	}
	if err := c.write(ctx, key, "", true); err != nil {
		return false, err
	}
	return true, nil
}

// Scan implements Cache: a binary search in the snapshot's sorted keys,
// O(log size + n), no lock.
func (c *COW) Scan(_ context.Context, from string, n int) ([]Entry, error) {
	s := c.cur.Load()
	i := sort.SearchStrings(s.keys, from)
	out := make([]Entry, 0, min(n, len(s.keys)-i))
	for _, k := range s.keys[i:min(i+n, len(s.keys))] {
		out = append(out, Entry{Key: k, Value: s.m[k]})
	}
	return out, nil
}

// Contents implements Cache.
func (c *COW) Contents() map[string]string { return maps.Clone(c.cur.Load().m) }
