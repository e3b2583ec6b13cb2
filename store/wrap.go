package store

import (
	"context"

	"lockbench/lock"
)

// Traced wraps s so that every call is bracketed by lock.BeginIO/EndIO: the
// locks the caller holds (per the lock.Trace in its context) are charged
// held_io for the call's duration. The runner wraps every store it gives a
// strategy, so a strategy cannot under-report the I/O it does under a lock.
func Traced(s Store) Store { return &traced{s} }

type traced struct{ s Store }

func (t *traced) Put(ctx context.Context, key string, value []byte) error {
	lock.BeginIO(ctx)
	defer lock.EndIO(ctx)
	return t.s.Put(ctx, key, value)
}

func (t *traced) Get(ctx context.Context, key string) ([]byte, error) {
	lock.BeginIO(ctx)
	defer lock.EndIO(ctx)
	return t.s.Get(ctx, key)
}

func (t *traced) Delete(ctx context.Context, key string) error {
	lock.BeginIO(ctx)
	defer lock.EndIO(ctx)
	return t.s.Delete(ctx, key)
}

func (t *traced) List(ctx context.Context, prefix string) ([]string, error) {
	lock.BeginIO(ctx)
	defer lock.EndIO(ctx)
	return t.s.List(ctx, prefix)
}

func (t *traced) Close() error { return t.s.Close() }

// Stats forwards to the wrapped store when it reports stats.
func (t *traced) Stats() Stats {
	if r, ok := t.s.(StatsReporter); ok {
		return r.Stats()
	}
	return Stats{}
}

// ResetStats forwards to the wrapped store when it can reset stats.
func (t *traced) ResetStats() { resetStats(t.s) }

// Unwrap returns the wrapped store.
func (t *traced) Unwrap() Store { return t.s }

// Hooked wraps s so that before(ctx, op, key) runs before every call and
// after(ctx, op, key) after it; either may be nil. op is "put", "get",
// "delete" or "list" (key is the prefix for list). Tests block inside a hook
// to force an interleaving.
func Hooked(s Store, before, after Hook) Store { return &hooked{s: s, before: before, after: after} }

type hooked struct {
	s             Store
	before, after Hook
}

func (h *hooked) call(ctx context.Context, op, key string, f func() error) error {
	if h.before != nil {
		h.before(ctx, op, key)
	}
	err := f()
	if h.after != nil {
		h.after(ctx, op, key)
	}
	return err
}

func (h *hooked) Put(ctx context.Context, key string, value []byte) error {
	return h.call(ctx, "put", key, func() error { return h.s.Put(ctx, key, value) })
}

func (h *hooked) Get(ctx context.Context, key string) (v []byte, err error) {
	err = h.call(ctx, "get", key, func() error { v, err = h.s.Get(ctx, key); return err })
	return v, err
}

func (h *hooked) Delete(ctx context.Context, key string) error {
	return h.call(ctx, "delete", key, func() error { return h.s.Delete(ctx, key) })
}

func (h *hooked) List(ctx context.Context, prefix string) (keys []string, err error) {
	err = h.call(ctx, "list", prefix, func() error { keys, err = h.s.List(ctx, prefix); return err })
	return keys, err
}

func (h *hooked) Close() error { return h.s.Close() }

// Stats forwards to the wrapped store when it reports stats.
func (h *hooked) Stats() Stats {
	if r, ok := h.s.(StatsReporter); ok {
		return r.Stats()
	}
	return Stats{}
}

// ResetStats forwards to the wrapped store when it can reset stats.
func (h *hooked) ResetStats() { resetStats(h.s) }

// Unwrap returns the wrapped store.
func (h *hooked) Unwrap() Store { return h.s }

func resetStats(s Store) {
	if r, ok := s.(StatsResetter); ok {
		r.ResetStats()
	}
}
