package benchmarks

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"golang.org/x/sync/errgroup"

	"lockbench/ctxsys"
	"lockbench/gobench"
	"lockbench/impl"
	_ "lockbench/impl/all" // every built-in strategy
	"lockbench/lock"
	"lockbench/store"
	"lockbench/workload"
)

// system is one freshly built context system, assembled as the runner
// assembles it: the store opened from its spec and wrapped by store.Instrument,
// the strategy's locks in one lock.Set.
type system struct {
	*impl.System
	raw   store.Store // as opened and wrapped, for its Stats
	locks *lock.Set
}

// newSystem builds strategy with configuration cfg over a store opened from
// storeSpec, with lock instrumentation on or off. The caller closes raw.
func newSystem(strategy, storeSpec string, instrument bool, cfg ctxsys.Config) (*system, error) {
	s, err := impl.Lookup(strategy)
	if err != nil {
		return nil, err
	}
	opened, err := store.Open(storeSpec)
	if err != nil {
		return nil, err
	}
	raw := store.Instrument(opened, store.Hooks{})
	locks := lock.NewSet(instrument)
	sys, err := s.New(impl.Deps{Store: raw, Locks: locks, Config: cfg.WithDefaults()})
	if err != nil {
		raw.Close()
		return nil, fmt.Errorf("build %s: %w", strategy, err)
	}
	return &system{System: sys, raw: raw, locks: locks}, nil
}

// via says which component preloaded contexts are created through: the
// adapter's operations need them in both maps.
type via int

const (
	viaManager via = iota
	viaAdapter
)

// payload is the data of every state the benchmarks write; strategies copy
// what they are given, so one slice serves every client.
var payload = []byte("lockbench benchmark payload, 48 bytes of data..")

// preloadWorkers matches the runner's preload parallelism.
const preloadWorkers = 32

// preload creates the contexts workload.ContextID(from) …
// ContextID(to-1), version 1, from preloadWorkers goroutines.
func (s *system) preload(ctx context.Context, through via, from, to int) error {
	var next atomic.Int64
	next.Store(int64(from))
	g, ctx := errgroup.WithContext(ctx)
	for range min(preloadWorkers, max(to-from, 0)) {
		g.Go(func() error {
			for i := int(next.Add(1) - 1); i < to; i = int(next.Add(1) - 1) {
				id := workload.ContextID(i)
				var err error
				if through == viaAdapter {
					_, err = s.Adapter.Create(ctx, id, payload)
				} else {
					err = s.Manager.Create(ctx, id, ctxsys.State{ID: id, Version: 1, Data: payload})
				}
				if err != nil {
					return fmt.Errorf("preload %s: %w", id, err)
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// resetFigures zeroes the lock and store figures, so that what is reported
// covers the timed part only.
func (s *system) resetFigures() {
	s.locks.Reset()
	if r, ok := s.raw.(store.StatsResetter); ok {
		r.ResetStats()
	}
}

// Units of the custom metrics. Lock wait and held_io are often exactly 0
// (refactored never holds a lock across I/O; one client never waits), and
// benchstat files a 0 in a unit containing the token "ns" under the unit as
// written but every other value under the unit tidied to seconds, which
// splits one metric into two tables (golang.org/x/perf/benchfmt keeps the
// untidied unit whenever the tidied value equals the original). "nsec" is
// not tidied, so those two stay in one table; CPU time and latency are
// never 0 and get benchstat's seconds.
// They are package gobench's, which runs a user's target the same way.
const (
	unitCPU      = gobench.UnitCPU
	unitLockWait = gobench.UnitLockWait
	unitHeldIO   = gobench.UnitHeldIO
	unitP99      = gobench.UnitP99
	unitInflight = gobench.UnitInflight
)

// reportFigures reports the lock and store figures of n operations.
func (s *system) reportFigures(b *testing.B, n int) {
	var wait, heldIO int64
	for _, l := range s.locks.Snapshot() {
		wait += l.WaitTotalNs
		heldIO += l.HeldIONs
	}
	reportLocks(b, wait, heldIO, float64(n))
	if r, ok := s.raw.(store.StatsReporter); ok {
		b.ReportMetric(float64(r.Stats().InflightMax), unitInflight)
	}
}

// reportLocks reports lock wait and held_io, totals over every lock, per
// operation.
func reportLocks(b *testing.B, wait, heldIO int64, n float64) {
	b.ReportMetric(float64(wait)/n, unitLockWait)
	b.ReportMetric(float64(heldIO)/n, unitHeldIO)
}

// errUnexpected marks an operation failing where the benchmark's set-up
// rules failure out: a benchmark of the failure path would measure
// something else.
var errUnexpected = errors.New("benchmarks: unexpected error")
