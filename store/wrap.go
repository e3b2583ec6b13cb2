package store

import (
	"context"
	"errors"
	"sync/atomic"
	"unsafe"

	"lockbench/internal/loghist"
	"lockbench/lock"
)

// Hooks run around every call of an Instrumented store: Before before the
// call reaches the wrapped store, After once it has returned; either may be
// nil. op is "put", "get", "delete" or "list" (key is the prefix for
// list). Tests block inside a hook to force an interleaving without
// sleeping.
type Hooks struct {
	Before, After Hook
}

// Instrumented is the wrapper every store a strategy uses goes through (the
// runner wraps the store it opens, tests wrap theirs), so that every
// backend — memory, sim, file, bolt or a user's — is measured the same way:
//
//   - each call is bracketed as lock I/O (lock.BeginIO), so the locks the caller
//     holds (per the lock.Trace in its context) are charged held_io for the
//     call's duration, and a strategy cannot under-report the I/O it does
//     under a lock;
//   - Stats counts the calls, the failed ones (ErrNotFound is an answer,
//     not a failure), the peak number in flight at once, and the realised
//     latency of each call as its caller saw it (for the sim store: pool
//     queueing, the injected delay and the map operation);
//   - Hooks, when given, run around each call.
//
// Stats adds what the wrapped store reports of itself (the sim store's
// injected failures and configured latency).
type Instrumented struct {
	s     Store
	hooks Hooks

	// Each figure on its own cache line: every call updates them.
	shards      [statShards]statShard
	inflight    paddedInt64
	inflightMax paddedInt64
}

var (
	_ Store         = (*Instrumented)(nil)
	_ StatsReporter = (*Instrumented)(nil)
	_ StatsResetter = (*Instrumented)(nil)
	_ Injector      = (*Instrumented)(nil)
)

// statShards spreads the latency histogram over a few shards, picked by
// the caller's stack address: with a fixed latency a thousand callers
// record into the same few buckets, and one set of counters would bounce
// between CPUs.
const statShards = 4

type statShard struct {
	latency loghist.Histogram // loghist.Fine, in ticks of lock.Ticks
	sum     atomic.Int64      // ticks
	errors  atomic.Int64
	_       [64 - 8 - 8]byte
}

type paddedInt64 struct {
	atomic.Int64
	_ [56]byte
}

// Instrument wraps s. Close closes s.
func Instrument(s Store, hooks Hooks) *Instrumented {
	w := &Instrumented{s: s, hooks: hooks}
	for i := range w.shards {
		w.shards[i].latency.Init(loghist.Fine)
	}
	return w
}

func (w *Instrumented) call(ctx context.Context, op, key string, f func() error) error {
	// The lock clock (RDTSC where the kernel trusts it) costs a third of
	// time.Since; a call reads it twice, and the I/O bracket shares those
	// readings rather than taking two of its own. Hooks, when given, stay
	// inside the bracket but outside the call's latency.
	start := lock.Ticks()
	io := lock.BeginIOAt(ctx, start)
	if w.hooks.Before != nil {
		w.hooks.Before(ctx, op, key)
		start = lock.Ticks()
	}
	in := w.inflight.Add(1)
	for peak := w.inflightMax.Load(); in > peak && !w.inflightMax.CompareAndSwap(peak, in); peak = w.inflightMax.Load() {
	}
	err := f()
	end := lock.Ticks()
	took := end - start
	w.inflight.Add(-1)
	var anchor byte // goroutine stacks lie apart: spreads callers over shards
	sh := &w.shards[int(uintptr(unsafe.Pointer(&anchor))>>12)%statShards]
	sh.latency.Record(took)
	sh.sum.Add(took)
	if err != nil && !errors.Is(err, ErrNotFound) {
		sh.errors.Add(1)
	}
	if w.hooks.After != nil {
		w.hooks.After(ctx, op, key)
		end = lock.Ticks()
	}
	io.EndAt(end)
	return err
}

// Put implements Store.
func (w *Instrumented) Put(ctx context.Context, key string, value []byte) error {
	return w.call(ctx, "put", key, func() error { return w.s.Put(ctx, key, value) })
}

// Get implements Store.
func (w *Instrumented) Get(ctx context.Context, key string) (v []byte, err error) {
	err = w.call(ctx, "get", key, func() error { v, err = w.s.Get(ctx, key); return err })
	return v, err
}

// Delete implements Store.
func (w *Instrumented) Delete(ctx context.Context, key string) error {
	return w.call(ctx, "delete", key, func() error { return w.s.Delete(ctx, key) })
}

// List implements Store.
func (w *Instrumented) List(ctx context.Context, prefix string) (keys []string, err error) {
	err = w.call(ctx, "list", prefix, func() error { keys, err = w.s.List(ctx, prefix); return err })
	return keys, err
}

// Close implements Store: it closes the wrapped store.
func (w *Instrumented) Close() error { return w.s.Close() }

// Unwrap returns the wrapped store.
func (w *Instrumented) Unwrap() Store { return w.s }

// Stats implements StatsReporter: the wrapper's figures since it was made
// or last reset, with the wrapped store's own (ErrorsInjected,
// ConfiguredLatencyNs) when it reports them.
func (w *Instrumented) Stats() Stats {
	var st Stats
	if r, ok := w.s.(StatsReporter); ok {
		own := r.Stats()
		st.ErrorsInjected, st.ConfiguredLatencyNs = own.ErrorsInjected, own.ConfiguredLatencyNs
	}
	counts := loghist.NewCounts(loghist.Fine)
	var sum int64
	for i := range w.shards {
		sh := &w.shards[i]
		sh.latency.AddTo(&counts)
		sum += sh.sum.Load()
		st.Errors += sh.errors.Load()
	}
	st.Ops = counts.Count()
	st.InflightMax = w.inflightMax.Load()
	if st.Ops > 0 {
		ns := func(ticks float64) int64 { return int64(ticks * lock.NsPerTick()) }
		st.LatencyMeanNs = ns(float64(sum) / float64(st.Ops))
		st.LatencyStddevNs = ns(counts.Stddev())
		st.LatencyP50Ns = ns(float64(counts.Quantile(0.50)))
		st.LatencyP99Ns = ns(float64(counts.Quantile(0.99)))
	}
	return st
}

// ResetStats implements StatsResetter: the runner zeroes the figures after
// warm-up. Calls in flight during the reset may be counted on either side.
func (w *Instrumented) ResetStats() {
	for i := range w.shards {
		sh := &w.shards[i]
		sh.latency.Reset()
		sh.sum.Store(0)
		sh.errors.Store(0)
	}
	w.inflightMax.Store(w.inflight.Load())
	if r, ok := w.s.(StatsResetter); ok {
		r.ResetStats()
	}
}

// SetInjection implements Injector: it switches the wrapped store's
// injection, if it has any.
func (w *Instrumented) SetInjection(on bool) {
	if inj, ok := w.s.(Injector); ok {
		inj.SetInjection(on)
	}
}
