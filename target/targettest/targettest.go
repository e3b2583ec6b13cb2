// Package targettest checks the strategies of any target (see
// lockbench/target) for consistency under concurrency, the way
// lockbench/impl/impltest checks the context system's contract — but with
// operations racing each other, so a strategy with a check-then-act gap is
// caught by a test and not only by a sweep.
//
// It needs the target's systems to be target.Checkers (a porcupine model
// through lockbench/target/history makes one in a few lines). For every
// strategy it runs:
//
//   - interleavings, deterministic: for every pair of operations (A, B) of
//     the mix where A writes, both on one key, with and without the key
//     preloaded, A is stopped at its n-th stop — just before or just after
//     one of its store calls (see Park), for every stop A reaches — B runs,
//     then A goes on; then the system is
//     checked. A strategy that holds its lock across the store call makes B
//     wait (B is given Options.Patience to finish, then A is released); one
//     that checks, releases and writes lets B run in the gap. Then every
//     read-only operation of the mix reads the key back, so that a lost
//     update shows in the history, and the system is checked.
//   - a stress run: Options.Workers goroutines issue random operations on
//     Options.Keys, yielding the processor before every store call, then
//     the system is checked. It can only add findings; the interleavings
//     are what make a verdict reproducible.
//
// A finding is a non-zero anomaly count or an "illegal" linearizability
// verdict. Use Run in a test; Violations returns the findings as values,
// to assert that a deliberately racy strategy is caught.
package targettest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lockbench/lock"
	"lockbench/results"
	"lockbench/store"
	"lockbench/target"
)

// Options configure the checks. Zero fields mean their defaults.
type Options struct {
	// Strategies to check; nil means every strategy of the target.
	Strategies []string
	// Mix is the operations to combine; nil means all of the target's.
	Mix []target.Op
	// Config is passed to every system as Deps.Config.
	Config any
	// Workers and OpsPerWorker size the stress run (8 and 200).
	Workers, OpsPerWorker int
	// Keys of the stress run (default "k0", "k1": hot, so operations
	// collide). Interleavings use the first.
	Keys []string
	// Patience is how long B may take in an interleaving before it is
	// taken to be blocked by A's lock and A is released (default 50ms).
	// It bounds the test's time, not its verdict: a B that does not
	// finish in time is left waiting and still completes after A.
	Patience time.Duration
	// NewStore makes each system's store (default store.NewMemory).
	NewStore func() store.Store
	// Seed of the stress run's random choices (default 1).
	Seed uint64
}

func (o Options) withDefaults(tg *target.Target) Options {
	if o.Strategies == nil {
		o.Strategies = tg.StrategyNames()
	}
	if o.Mix == nil {
		o.Mix = tg.AllOps()
	}
	if o.Workers <= 0 {
		o.Workers = 8
	}
	if o.OpsPerWorker <= 0 {
		o.OpsPerWorker = 200
	}
	if len(o.Keys) == 0 {
		o.Keys = []string{"k0", "k1"}
	}
	if o.Patience <= 0 {
		o.Patience = 50 * time.Millisecond
	}
	if o.NewStore == nil {
		o.NewStore = func() store.Store { return store.NewMemory() }
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	return o
}

// Violation is one finding: the scenario and what the check returned.
type Violation struct {
	Strategy    string
	Scenario    string
	Consistency results.Consistency
}

func (v Violation) String() string {
	var parts []string
	for kind, n := range v.Consistency.Anomalies {
		if n != 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", kind, n))
		}
	}
	sort.Strings(parts)
	if v.Consistency.Linearizable == results.LinIllegal {
		parts = append(parts, "linearizability illegal")
	}
	return fmt.Sprintf("%s: %s: %v", v.Strategy, v.Scenario, parts)
}

// Run checks every strategy in a subtest "strategy=NAME" and reports each
// violation as an error.
func Run(t *testing.T, tg *target.Target, opt Options) {
	t.Helper()
	opt = opt.withDefaults(tg)
	for _, name := range opt.Strategies {
		t.Run("strategy="+name, func(t *testing.T) {
			vs, err := Violations(tg, name, opt)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				t.Error(v)
			}
		})
	}
}

// Violations runs the interleavings and the stress run against one
// strategy and returns what the checks found. The error reports a system
// that could not be built or checked, not a finding.
func Violations(tg *target.Target, strategy string, opt Options) ([]Violation, error) {
	opt = opt.withDefaults(tg)
	s, err := tg.Strategy(strategy)
	if err != nil {
		return nil, err
	}
	var out []Violation
	note := func(scenario string, c results.Consistency) {
		if bad(c) {
			out = append(out, Violation{Strategy: strategy, Scenario: scenario, Consistency: c})
		}
	}
	key := opt.Keys[0]
	for _, a := range opt.Mix {
		if !tg.Spec(a).Writes {
			continue
		}
		for _, b := range opt.Mix {
			for _, preload := range []bool{true, false} {
				for n := 1; ; n++ {
					c, reached, err := Interleave(tg, s, opt, a, b, key, preload, n)
					if err != nil {
						return out, err
					}
					if !reached {
						break // A has fewer than n stops
					}
					note(fmt.Sprintf("%s stopped %s, %s runs (key %s, preloaded %v)",
						tg.OpName(a), stopName(n), tg.OpName(b), key, preload), c)
				}
			}
		}
	}
	c, err := Stress(tg, s, opt)
	if err != nil {
		return out, err
	}
	note(fmt.Sprintf("stress: %d workers × %d operations on %d keys", opt.Workers, opt.OpsPerWorker, len(opt.Keys)), c)
	return out, nil
}

// stopName says where stop n is.
func stopName(n int) string {
	where := "before"
	if n%2 == 0 {
		where = "after"
	}
	return fmt.Sprintf("%s its store call %d", where, (n+1)/2)
}

func bad(c results.Consistency) bool {
	if c.Linearizable == results.LinIllegal {
		return true
	}
	for _, n := range c.Anomalies {
		if n != 0 {
			return true
		}
	}
	return false
}

// harness is one system under test with a clock for its history.
type harness struct {
	sys   target.System
	raw   store.Store
	clock atomic.Int64
}

func (h *harness) now() int64 { return h.clock.Add(1) }

func build(s target.Strategy, opt Options, raw store.Store, wrapped store.Store, clients int) (*harness, error) {
	h := &harness{raw: raw}
	sys, err := s.New(target.Deps{
		Store: wrapped, Locks: lock.NewSet(true), Config: opt.Config,
		Clients: clients, History: true, Now: h.now,
	})
	if err != nil {
		return nil, fmt.Errorf("targettest: build %s: %w", s.Name, err)
	}
	if _, ok := sys.(target.Checker); !ok {
		return nil, fmt.Errorf("targettest: strategy %s builds a %T, which is no target.Checker: nothing to check", s.Name, sys)
	}
	h.sys = sys
	return h, nil
}

func (h *harness) preload(ctx context.Context, keys []string, mix []target.Op) error {
	if pl, ok := h.sys.(target.Preloader); ok {
		return pl.Preload(ctx, keys, mix)
	}
	return nil
}

func (h *harness) check(ctx context.Context) results.Consistency {
	return h.sys.(target.Checker).Check(ctx, target.CheckInput{Store: h.raw})
}

// do runs op on c and reports it to c's Observer, if it has one.
func (h *harness) do(ctx context.Context, c target.Client, op target.Op, key string) {
	call := h.now()
	err := c.Do(ctx, op, key)
	if o, ok := c.(target.Observer); ok {
		o.Observe(call, h.now(), err)
	}
}

// keyFor is the key an operation gets: none when it takes none.
func keyFor(tg *target.Target, op target.Op, key string) string {
	if tg.Spec(op).Keyed {
		return key
	}
	return ""
}

// Interleave runs one interleaving on a fresh system of tg's strategy s: a is
// stopped at its n-th stop (see Park), b runs (for up to opt.Patience), a goes
// on; both on key, which is preloaded first if preload. It returns the
// check's result, and whether a reached its n-th stop (if not, a ran
// to its end undisturbed and the result is of a plain sequence a, b).
func Interleave(tg *target.Target, s target.Strategy, opt Options, a, b target.Op, key string, preload bool, n int) (results.Consistency, bool, error) {
	opt = opt.withDefaults(tg)
	ctx := context.Background()
	raw := opt.NewStore()
	defer raw.Close()
	h, err := build(s, opt, raw, NewGate(raw), 2)
	if err != nil {
		return results.Consistency{}, false, err
	}
	if preload {
		if err := h.preload(ctx, []string{key}, opt.Mix); err != nil {
			return results.Consistency{}, false, fmt.Errorf("targettest: preload: %w", err)
		}
	}
	ca, cb := h.sys.Client(0), h.sys.Client(1)
	parkedCtx, p := Park(lock.WithTrace(ctx, &lock.Trace{}), n)
	aDone := make(chan struct{})
	go func() {
		defer close(aDone)
		h.do(parkedCtx, ca, a, keyFor(tg, a, key))
	}()
	select {
	case <-p.Arrived():
	case <-aDone:
		p.Release()
		return h.check(ctx), false, nil
	}
	bDone := make(chan struct{})
	go func() {
		defer close(bDone)
		h.do(lock.WithTrace(ctx, &lock.Trace{}), cb, b, keyFor(tg, b, key))
	}()
	select {
	case <-bDone:
	case <-time.After(opt.Patience): // b waits for a lock a holds
	}
	p.Release()
	<-aDone
	<-bDone
	h.readBack(ctx, tg, ca, opt.Mix, []string{key})
	return h.check(ctx), true, nil
}

// readBack runs every read-only operation of mix on every key, one after
// the other, so that the history shows the state the racing operations
// left: two writes that both succeeded but left the effect of one (a lost
// update) are only illegal once a read sees it.
func (h *harness) readBack(ctx context.Context, tg *target.Target, c target.Client, mix []target.Op, keys []string) {
	for _, op := range mix {
		if tg.Spec(op).Writes {
			continue
		}
		for _, key := range keys {
			h.do(ctx, c, op, keyFor(tg, op, key))
		}
	}
}

// Stress runs opt.Workers clients issuing opt.OpsPerWorker random
// operations of opt.Mix each on opt.Keys, every store call preceded by a
// yield of the processor so that operations overlap inside their gaps, and
// returns the check's result.
func Stress(tg *target.Target, s target.Strategy, opt Options) (results.Consistency, error) {
	opt = opt.withDefaults(tg)
	ctx := context.Background()
	raw := opt.NewStore()
	defer raw.Close()
	yield := func(context.Context, string, string) { runtime.Gosched() }
	h, err := build(s, opt, raw, store.Instrument(raw, store.Hooks{Before: yield}), opt.Workers)
	if err != nil {
		return results.Consistency{}, err
	}
	if err := h.preload(ctx, opt.Keys, opt.Mix); err != nil {
		return results.Consistency{}, fmt.Errorf("targettest: preload: %w", err)
	}
	// One client per worker, asked for once (target.System's contract);
	// worker 0's reads the keys back at the end.
	clients := make([]target.Client, opt.Workers)
	for w := range clients {
		clients[w] = h.sys.Client(w)
	}
	var wg sync.WaitGroup
	for w, c := range clients {
		rng := rand.New(rand.NewPCG(opt.Seed, uint64(w)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			wctx := lock.WithTrace(ctx, &lock.Trace{})
			for range opt.OpsPerWorker {
				op := opt.Mix[rng.IntN(len(opt.Mix))]
				h.do(wctx, c, op, keyFor(tg, op, opt.Keys[rng.IntN(len(opt.Keys))]))
			}
		}()
	}
	wg.Wait()
	h.readBack(ctx, tg, clients[0], opt.Mix, opt.Keys)
	return h.check(ctx), nil
}
