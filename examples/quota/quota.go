package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"lockbench/lock"
	"lockbench/store"
)

// Quota hands out tokens per key — a per-user request quota, say. Take
// spends one token if the key has any left; Refill sets the key back to
// Capacity tokens. Every change is written through to a store before it is
// acknowledged, so the store always says how many tokens each key has.
//
// This is the user's own type: nothing in it knows lockbench, except that
// its locks come from a lock.Set and every lock and store call gets the
// operation's context.Context, which is how lockbench measures lock wait,
// hold time and the time locks are held across store I/O.
type Quota interface {
	Take(ctx context.Context, key string) (ok bool, err error)
	Refill(ctx context.Context, key string) error
	Tokens(ctx context.Context, key string) (int, error)
	// Snapshot returns every key's tokens in memory; call it only when no
	// operation runs.
	Snapshot() map[string]int
}

// Capacity is the number of tokens Refill gives a key.
const Capacity = 3

// storeKey is where a key's token count lives in the store.
func storeKey(key string) string { return "quota/" + key }

func put(ctx context.Context, st store.Store, key string, tokens int) error {
	return st.Put(ctx, storeKey(key), strconv.AppendInt(nil, int64(tokens), 10))
}

// mutexQuota holds one lock around check, change and the store write: the
// store's order is memory's order and no token is spent twice, but every
// operation on every key waits for every store write in front of it.
type mutexQuota struct {
	mu     *lock.Mutex
	st     store.Store
	tokens map[string]int
}

func newMutex(locks *lock.Set, st store.Store) Quota {
	return &mutexQuota{mu: locks.Mutex("quota.map"), st: st, tokens: map[string]int{}}
}

func (q *mutexQuota) Take(ctx context.Context, key string) (bool, error) {
	q.mu.Lock(ctx)
	defer q.mu.Unlock(ctx)
	n := q.tokens[key]
	if n == 0 {
		return false, nil
	}
	if err := put(ctx, q.st, key, n-1); err != nil {
		return false, err
	}
	q.tokens[key] = n - 1
	return true, nil
}

func (q *mutexQuota) Refill(ctx context.Context, key string) error {
	q.mu.Lock(ctx)
	defer q.mu.Unlock(ctx)
	if err := put(ctx, q.st, key, Capacity); err != nil {
		return err
	}
	q.tokens[key] = Capacity
	return nil
}

func (q *mutexQuota) Tokens(ctx context.Context, key string) (int, error) {
	q.mu.Lock(ctx)
	defer q.mu.Unlock(ctx)
	return q.tokens[key], nil
}

func (q *mutexQuota) Snapshot() map[string]int { return clone(q.tokens) }

// unlockedIOQuota is the tempting "fix": never hold the lock across I/O.
// Check under the read lock, release, write the store with no lock held,
// then set memory under the write lock. Fast — and wrong: two Takes of a
// key's last token both see 1, both write 0 and both succeed (a token spent
// twice), and a Refill racing a Take can leave the store and memory with
// different counts. The gap is as wide as the store call.
type unlockedIOQuota struct {
	mu     *lock.RWMutex
	st     store.Store
	tokens map[string]int
}

func newUnlockedIO(locks *lock.Set, st store.Store) Quota {
	return &unlockedIOQuota{mu: locks.RWMutex("quota.map"), st: st, tokens: map[string]int{}}
}

func (q *unlockedIOQuota) Take(ctx context.Context, key string) (bool, error) {
	q.mu.RLock(ctx)
	n := q.tokens[key]
	q.mu.RUnlock(ctx)
	if n == 0 {
		return false, nil
	}
	if err := put(ctx, q.st, key, n-1); err != nil {
		return false, err
	}
	q.mu.Lock(ctx)
	q.tokens[key] = n - 1
	q.mu.Unlock(ctx)
	return true, nil
}

func (q *unlockedIOQuota) Refill(ctx context.Context, key string) error {
	if err := put(ctx, q.st, key, Capacity); err != nil {
		return err
	}
	q.mu.Lock(ctx)
	q.tokens[key] = Capacity
	q.mu.Unlock(ctx)
	return nil
}

func (q *unlockedIOQuota) Tokens(ctx context.Context, key string) (int, error) {
	q.mu.RLock(ctx)
	defer q.mu.RUnlock(ctx)
	return q.tokens[key], nil
}

func (q *unlockedIOQuota) Snapshot() map[string]int { return clone(q.tokens) }

func clone(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// storedTokens reads every key's count from the store.
func storedTokens(ctx context.Context, st store.Store) (map[string]int, error) {
	keys, err := st.List(ctx, "quota/")
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, k := range keys {
		b, err := st.Get(ctx, k)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		n, err := strconv.Atoi(string(b))
		if err != nil {
			return nil, fmt.Errorf("quota: store key %q holds %q", k, b)
		}
		out[strings.TrimPrefix(k, "quota/")] = n
	}
	return out, nil
}

// stripedQuota locks per key: a stripe of "quota.keys" is held across the
// key's check, store write and change, so the key's store order is its
// memory order and no token is spent twice, while keys on other stripes go
// on. The map itself is guarded by "quota.map", held only for the map
// access, never across I/O.
type stripedQuota struct {
	keys   []*lock.Mutex
	mu     *lock.RWMutex
	st     store.Store
	tokens map[string]int
}

func newStriped(locks *lock.Set, st store.Store) Quota {
	return &stripedQuota{keys: locks.Stripes("quota.keys", 64), mu: locks.RWMutex("quota.map"), st: st, tokens: map[string]int{}}
}

func (q *stripedQuota) stripe(key string) *lock.Mutex {
	h := uint32(2166136261) // FNV-1a
	for i := 0; i < len(key); i++ {
		h = (h ^ uint32(key[i])) * 16777619
	}
	return q.keys[h%uint32(len(q.keys))]
}

func (q *stripedQuota) get(ctx context.Context, key string) int {
	q.mu.RLock(ctx)
	defer q.mu.RUnlock(ctx)
	return q.tokens[key]
}

func (q *stripedQuota) set(ctx context.Context, key string, n int) {
	q.mu.Lock(ctx)
	q.tokens[key] = n
	q.mu.Unlock(ctx)
}

func (q *stripedQuota) Take(ctx context.Context, key string) (bool, error) {
	k := q.stripe(key)
	k.Lock(ctx)
	defer k.Unlock(ctx)
	n := q.get(ctx, key)
	if n == 0 {
		return false, nil
	}
	if err := put(ctx, q.st, key, n-1); err != nil {
		return false, err
	}
	q.set(ctx, key, n-1)
	return true, nil
}

func (q *stripedQuota) Refill(ctx context.Context, key string) error {
	k := q.stripe(key)
	k.Lock(ctx)
	defer k.Unlock(ctx)
	if err := put(ctx, q.st, key, Capacity); err != nil {
		return err
	}
	q.set(ctx, key, Capacity)
	return nil
}

func (q *stripedQuota) Tokens(ctx context.Context, key string) (int, error) {
	return q.get(ctx, key), nil
}

func (q *stripedQuota) Snapshot() map[string]int { return clone(q.tokens) }
