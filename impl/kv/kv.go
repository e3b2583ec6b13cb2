package kv

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"lockbench/lock"
	"lockbench/store"
)

// Cache is a concurrent key/value cache with write-through to a store. All
// methods are safe for concurrent use; an error means the store call
// failed (wrapped, so errors.Is(err, ErrStore) holds), and the write may or
// may not have reached the store.
type Cache interface {
	// Get returns the value of key and whether it is present.
	Get(ctx context.Context, key string) (value string, ok bool, err error)
	// Put sets key to value.
	Put(ctx context.Context, key, value string) error
	// PutIfAbsent sets key to value only if key is absent. Like
	// sync.Map.LoadOrStore it returns the value key holds afterwards and
	// whether it was already there (loaded: nothing was written).
	PutIfAbsent(ctx context.Context, key, value string) (actual string, loaded bool, err error)
	// Delete removes key and reports whether it was present.
	Delete(ctx context.Context, key string) (deleted bool, err error)
	// Scan returns the first n entries with key >= from, in key order.
	Scan(ctx context.Context, from string, n int) ([]Entry, error)
	// Contents returns what memory holds, for the checks at quiescence.
	// Call it only when no operation is running.
	Contents() map[string]string
}

// Entry is one key and its value.
type Entry struct {
	Key, Value string
}

// Deps is what a strategy builds a cache from.
type Deps struct {
	// Store is the persistence layer (the runner wraps it so store I/O is
	// traced).
	Store store.Store
	// Locks names and instruments the cache's locks ("kv.map", "kv.key",
	// "kv.stripe", "kv.writer").
	Locks *lock.Set
	// Config sizes the cache; zero fields take their defaults.
	Config Config
}

// Config sizes a cache.
type Config struct {
	// Stripes is the number of stripes of striped and of syncmap's per-key
	// locks, rounded up to a power of two. 0 means DefaultStripes.
	Stripes int
}

// DefaultStripes is Config.Stripes' default: 1,024 keys spread over 256
// stripes put 4 keys on a stripe on average, each sharing it with 3 others.
const DefaultStripes = 256

// WithDefaults returns c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	if c.Stripes <= 0 {
		c.Stripes = DefaultStripes
	}
	p := 1
	for p < c.Stripes {
		p <<= 1
	}
	c.Stripes = p
	return c
}

// ErrStore wraps every store failure a cache returns.
var ErrStore = errors.New("kv: store call failed")

// StoreKey is where the value of key is persisted.
func StoreKey(key string) string { return storePrefix + key }

const storePrefix = "kv/"

func storeErr(op, key string, err error) error {
	return fmt.Errorf("%w: %s %q: %w", ErrStore, op, key, err)
}

// persist writes key's value (or deletes it, del) to the store.
func persist(ctx context.Context, s store.Store, key, value string, del bool) error {
	if del {
		if err := s.Delete(ctx, StoreKey(key)); err != nil {
			return storeErr("delete", key, err)
		}
		return nil
	}
	if err := s.Put(ctx, StoreKey(key), []byte(value)); err != nil {
		return storeErr("put", key, err)
	}
	return nil
}

// ReadStore returns every key/value the cache persisted in s.
func ReadStore(ctx context.Context, s store.Store) (map[string]string, error) {
	keys, err := s.List(ctx, storePrefix)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		v, err := s.Get(ctx, k)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[strings.TrimPrefix(k, storePrefix)] = string(v)
	}
	return out, nil
}

// topN keeps the n smallest keys >= from seen so far, for scans over
// unordered maps: a bounded insertion into a sorted slice, O(n) per key
// kept, and most keys of a large map are rejected by one comparison with
// the largest kept.
type topN struct {
	from    string
	n       int
	entries []Entry
}

func newTopN(from string, n int) *topN {
	return &topN{from: from, n: n, entries: make([]Entry, 0, min(n, 64))}
}

func (t *topN) add(key, value string) {
	if key < t.from || t.n <= 0 {
		return
	}
	if len(t.entries) == t.n && key >= t.entries[t.n-1].Key {
		return
	}
	i := sort.Search(len(t.entries), func(i int) bool { return t.entries[i].Key >= key })
	if len(t.entries) == t.n {
		t.entries = t.entries[:t.n-1]
	}
	t.entries = slices.Insert(t.entries, i, Entry{Key: key, Value: value})
}

// stripeOf returns key's stripe among mask+1: FNV-1a, inlined because
// hash/fnv would allocate on every operation.
func stripeOf(key string, mask uint32) uint32 {
	const (
		offset32 = 2166136261
		prime32  = 16777619
	)
	h := uint32(offset32)
	for i := 0; i < len(key); i++ {
		h ^= uint32(key[i])
		h *= prime32
	}
	return h & mask
}

// keyLocks are per-key locks, striped: two keys share a stripe with
// probability 1/stripes, which serialises them needlessly but never
// incorrectly. They are one lock.Set striped family: one name in reports,
// marked per-key so the bottleneck analysis looks at the hottest stripe.
type keyLocks struct {
	locks []*lock.Mutex
	mask  uint32
}

func newKeyLocks(set *lock.Set, name string, stripes int) keyLocks {
	return keyLocks{locks: set.Stripes(name, stripes), mask: uint32(stripes - 1)}
}

func (k keyLocks) of(key string) *lock.Mutex { return k.locks[stripeOf(key, k.mask)] }
