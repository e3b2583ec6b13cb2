package runner

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"lockbench/lock"
	"lockbench/results"
	"lockbench/store"
	"lockbench/target"
	"lockbench/workload"
)

// run is one run: its parameters, the system under test, and the state its
// goroutines share. RunOne takes it through its phases; each phase is a
// method, and what one phase leaves for the next is a field.
type run struct {
	p    Params
	spec *workload.Spec
	res  results.Run

	// Built by build.
	clock       clock
	tgt         *target.Target
	raw         store.Store
	locks       *lock.Set
	sys         target.System
	workers     []*worker       // made by warmUp, after the preload
	opNames     []string        // by target.Op
	answers     map[string]bool // error kinds that are answers, not failures
	rec         *recorder
	prof        *profiler
	openLoop    bool
	target      int64 // ops mode: window completions that end the phase
	targetBatch int64 // see countTowardsTarget

	// Shared with the workers while they run.
	t0      atomic.Int64 // measured window start (run clock); 0 = warm-up
	t1      atomic.Int64 // measured window end; 0 = still measuring
	stop    atomic.Bool
	epoch   atomic.Int64 // the controller's tick count, which workers echo in their heartbeats
	windowN atomic.Int64
	sched   chan int64 // open loop: intended start times

	// Worker lifetime: started by warmUp, ended by drain or release.
	cancelWorkers context.CancelFunc
	allDone       chan struct{} // closed when every worker and the pacer left
	ctl           *controller

	// The measured window, for collect.
	phase            string // the phase running, for an interrupt's reason
	interrupted      bool   // a signal cut the measured phase
	quiescent        bool   // every operation returned before the drain bound
	start, end       int64
	windowLocks      map[string]lock.Snapshot // lock figures at the window's end
	ru0, ru1         rusage
	rt0, rt1         runtimeSnap
	tl               *timeline
	goroutinesBefore int
	err              error // the error that cut the run short
}

// Phase names, as an interrupt's reason says them.
const (
	phaseBuild   = "build"
	phasePreload = "preload"
	phaseWarmUp  = "warm-up"
	phaseMeasure = "measured phase"
)

// RunOne performs one run and returns its figures. A run that fails is
// returned with Status "failed" and a reason, and a non-nil error; an
// interrupted one (ctx cancelled) with Status "interrupted" and
// context.Canceled.
func RunOne(ctx context.Context, p Params) (results.Run, error) {
	r := newRun(p)
	defer r.release()
	for _, phase := range []struct {
		name string
		do   func(context.Context) error
	}{
		{phaseBuild, r.build},
		{phasePreload, r.preload},
		{phaseWarmUp, r.warmUp},
		{phaseMeasure, r.measure},
	} {
		r.phase = phase.name
		if err := phase.do(ctx); err != nil {
			return r.abort(ctx, err)
		}
	}
	r.drain()
	r.collect()
	r.check(ctx)
	return r.result()
}

func newRun(p Params) *run {
	spec := p.Spec
	return &run{
		p:        p,
		spec:     spec,
		openLoop: spec.Arrival == "open",
		target:   spec.Ops,
		res: results.Run{
			Target:      spec.Target,
			Strategy:    p.Strategy,
			Workload:    spec.Name,
			Concurrency: p.Concurrency,
			Repetition:  p.Repetition,
			Arrival:     spec.Arrival,
			TargetRate:  spec.Rate,
			Status:      results.StatusOK,
			Errors:      map[string]int64{},
			Store:       results.StoreFigures{Spec: spec.Store.String()},
			Consistency: results.Consistency{Anomalies: map[string]int64{}, Linearizable: results.LinSkipped},
		},
		prof:             newProfiler(p),
		goroutinesBefore: runtime.NumGoroutine(),
	}
}

// build opens the store and builds the strategy's system over it.
func (r *run) build(context.Context) error {
	p := r.p
	var err error
	if r.tgt, err = r.spec.System(); err != nil {
		return err
	}
	strategy, err := r.tgt.Strategy(p.Strategy)
	if err != nil {
		return err
	}
	r.clock = newClock()
	if r.raw, err = openStore(r.spec.Store, p.Name()); err != nil {
		return err
	}
	r.locks = lock.NewSet(p.Instrument)
	r.sys, err = strategy.New(target.Deps{
		Store:        r.raw, // wrapped by openStore: held_io and store figures
		Locks:        r.locks,
		Config:       r.spec.Config.System().WithDefaults(),
		Clients:      p.Concurrency,
		SharedClient: r.spec.Trackers == workload.Shared,
		History:      p.History,
		Now:          r.clock.now,
	})
	if err != nil {
		return fmt.Errorf("runner: build %s: %w", p.Strategy, err)
	}
	r.opNames = r.tgt.OpNames()
	r.answers = map[string]bool{}
	for _, kind := range r.tgt.Answers {
		r.answers[kind] = true
	}
	r.rec = newRecorder(p.Concurrency, r.tgt.NumOps(), r.openLoop)
	r.targetBatch = targetBatch(r.target, p.Concurrency)
	return nil
}

// preload lets the system create the workload's starting state, when it
// preloads. Preload is set-up: it runs without the store's injected latency
// and failures (when the store can switch them off), so it costs no
// measured time and naive's serialised writes do not make it the longest
// part of a run. A cancelled ctx ends it with ctx's error.
func (r *run) preload(ctx context.Context) error {
	if pl, ok := r.sys.(target.Preloader); ok && r.spec.Preload > 0 {
		keys := make([]string, r.spec.Preload)
		for i := range keys {
			keys[i] = workload.ContextID(i)
		}
		setInjection(r.raw, false)
		err := pl.Preload(ctx, keys, r.spec.OpKinds())
		setInjection(r.raw, true)
		if err != nil {
			return err
		}
	}
	return ctx.Err()
}

// setInjection switches the store's injected latency and failures, when it
// has any.
func setInjection(s store.Store, on bool) {
	if inj, ok := s.(store.Injector); ok {
		inj.SetInjection(on)
	}
}

// warmUp starts the workers (and the open loop's pacer) and lets them run
// for the warm-up, recording nothing. The mutex and block profiles start
// here.
func (r *run) warmUp(ctx context.Context) error {
	// Generators know the worker count, so a sequential key walk is split
	// between the workers (w, w+n, …) instead of repeated by each.
	gens := r.spec.Generators(r.p.Concurrency, r.spec.Seed)
	r.workers = make([]*worker, r.p.Concurrency)
	for i := range r.workers {
		w := &worker{id: i, client: r.sys.Client(i), gen: gens[i], errors: map[string]int64{}, windowErrors: map[string]int64{}}
		w.observer, _ = w.client.(target.Observer)
		r.workers[i] = w
	}
	r.prof.startRates()
	runCtx, cancel := context.WithCancel(ctx)
	r.cancelWorkers = cancel
	var wg sync.WaitGroup
	if r.openLoop {
		r.sched = make(chan int64, 1<<16)
		pacer := newPacer(r.spec.Interarrival, r.spec.Rate, r.spec.Seed, r.p.Repetition)
		wg.Go(func() { r.pace(runCtx, pacer) })
	}
	for _, w := range r.workers {
		// The worker's context carries its lock trace over runCtx.
		w.ctx = lock.WithTrace(runCtx, &w.trace)
		wg.Go(func() { r.work(runCtx, w) })
	}
	r.allDone = make(chan struct{})
	go func() { wg.Wait(); close(r.allDone) }()
	r.ctl = &controller{r: r, workers: r.workers, stall: stallThreshold(r.p.stallTimeout(), r.spec.Store), allDone: r.allDone}

	if r.spec.Warmup <= 0 {
		return nil
	}
	if err := r.ctl.wait(ctx, time.Now().Add(r.spec.Warmup), nil); err != nil {
		return err
	}
	if !r.openLoop && !r.ctl.everyWorkerCycled(ctx, maxWarmupExtension) {
		r.res.Warnings = append(r.res.Warnings, fmt.Sprintf("warm-up ended %s past its time with workers that had not completed an operation: the queues may not have formed, and Little's law may read low", maxWarmupExtension))
	}
	return nil
}

// measure opens the window, waits for its end (duration, ops target, or a
// signal) and closes it. An interrupt ends the window early but keeps what
// was measured; a stall abandons the run.
func (r *run) measure(ctx context.Context) error {
	r.locks.Reset()
	if rs, ok := r.raw.(store.StatsResetter); ok {
		rs.ResetStats()
	}
	if err := r.prof.start(); err != nil {
		return err
	}
	r.ru0, r.rt0 = readRusage(), readRuntime()
	r.start = r.clock.now()
	r.t0.Store(r.start)
	r.tl = newTimeline(r, r.ru0)
	var deadline time.Time
	if r.spec.Duration > 0 {
		deadline = time.Now().Add(r.spec.Duration)
	}
	err := r.ctl.wait(ctx, deadline, r.tl)
	r.end = r.clock.now()
	r.t1.Store(r.end)
	r.stop.Store(true)
	r.ru1, r.rt1 = readRusage(), readRuntime()
	// Lock figures over the window itself, like throughput and CPU: the
	// operations drained after it are mostly the slow ones that queued,
	// and counting their holds would overstate the locks' utilization.
	r.windowLocks = r.locks.Snapshot()
	r.res.Profiles = r.prof.stop()
	if errors.Is(err, errInterrupted) {
		r.interrupted = true
		return nil
	}
	return err
}

// drain waits, within a bound, for the operations in flight when the
// window closed; those still running at the bound are censored.
func (r *run) drain() {
	bound := r.p.drainTimeout()
	if r.interrupted {
		bound = min(bound, time.Second)
	}
	r.quiescent = r.waitWorkers(bound)
	if !r.quiescent {
		r.cancelWorkers()
	}
	for _, w := range r.workers {
		if w.inFlight() {
			r.res.CensoredOps++
		}
	}
	if r.openLoop {
		r.res.CensoredOps += int64(len(r.sched)) // scheduled in the window, never started
	}
	r.tl.finish()
}

// waitWorkers waits up to bound for every worker to leave.
func (r *run) waitWorkers(bound time.Duration) bool {
	if r.allDone == nil {
		return true
	}
	if bound <= 0 {
		select {
		case <-r.allDone:
			return true
		default:
			return false
		}
	}
	t := time.NewTimer(bound)
	defer t.Stop()
	select {
	case <-r.allDone:
		return true
	case <-t.C:
		return false
	}
}

// check runs the consistency check and the held-lock check at quiescence.
func (r *run) check(ctx context.Context) {
	res := &r.res
	switch {
	case !r.quiescent:
		res.Consistency.Notes = append(res.Consistency.Notes, "not checked: operations still in flight after the drain bound")
		return
	case r.interrupted:
		// The user asked to stop now, and the check would read the
		// store with a cancelled context: skip it.
		res.Consistency.Notes = append(res.Consistency.Notes, "not checked: run interrupted")
	default:
		chk, ok := r.sys.(target.Checker)
		if !ok {
			res.Consistency.Notes = append(res.Consistency.Notes, fmt.Sprintf("not checked: target %q has no consistency check", r.tgt.Name))
			break
		}
		// The check inspects the store; it is not a client of it.
		setInjection(r.raw, false)
		res.Consistency = chk.Check(ctx, target.CheckInput{Store: newCheckView(r.raw), OutDir: r.p.OutDir, RunName: r.p.Name()})
	}
	if held := r.locks.Held(); len(held) > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("locks still held at quiescence: %s", joinNames(held)))
	}
}

// result ends a run that went through every phase: the store is closed
// (its goroutines and files go with it) before the leak check.
func (r *run) result() (results.Run, error) {
	res := &r.res
	if r.quiescent {
		r.release()
		if grown := settledGrowth(r.goroutinesBefore, goroutineSlack); grown > goroutineSlack {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%d more goroutines after the run than before it (leak?)", grown))
		}
	}
	switch {
	case r.interrupted:
		res.Status, res.Reason = results.StatusInterrupted, "interrupted by signal during the measured phase"
		return *res, context.Canceled
	case res.Ops > 0 && res.FailedOps == res.Ops:
		res.Status, res.Reason = results.StatusFailed, "every operation failed: "+failuresByKind(res)
		return *res, fmt.Errorf("%w: %s", ErrAllFailed, res.Reason)
	}
	return *res, nil
}

// ErrAllFailed: every operation of a run's measured window failed.
var ErrAllFailed = errors.New("runner: every operation failed")

// abort ends a run cut short in a phase: by an interrupt, a stall or an
// error.
func (r *run) abort(ctx context.Context, err error) (results.Run, error) {
	res := &r.res
	r.err = err
	r.stop.Store(true)
	r.prof.abort()
	switch {
	case errors.Is(err, ErrStalled):
		res.Status, res.Reason = results.StatusFailed, err.Error()
		if name := dumpGoroutines(r.p); name != "" {
			res.Profiles = map[string]string{"goroutines": name}
			res.Reason += "; goroutine dump in " + name
		}
		return *res, err
	case ctx.Err() != nil:
		// Cut short by the interrupt (a store call or preload step may
		// have returned the cancellation): not a failure of the system.
		res.Status = results.StatusInterrupted
		res.Reason = fmt.Sprintf("interrupted by signal during %s, before the measured phase", r.phase)
		return *res, context.Canceled
	}
	res.Status, res.Reason = results.StatusFailed, err.Error()
	return *res, err
}

// release stops the workers and closes the store, once. When workers are
// still inside the system (a stalled run, or one whose drain timed out),
// closing the store under them is unsafe: the store is handed to the
// abandoned-store list, closed when they leave or by CloseAbandoned.
func (r *run) release() {
	r.stop.Store(true)
	r.prof.abort()
	if r.raw == nil {
		return
	}
	raw := r.raw
	r.raw = nil
	if r.cancelWorkers == nil { // no worker started
		raw.Close()
		return
	}
	r.cancelWorkers()
	wait := time.Second // an interrupted run's workers leave at once
	if errors.Is(r.err, ErrStalled) {
		wait = 0 // a stalled run's may never leave
	}
	if r.waitWorkers(wait) {
		raw.Close()
		return
	}
	leaveOpen(raw, r.allDone, r.p.Name())
}
