package runner

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"lockbench/analysis"
	"lockbench/lock"
	"lockbench/results"
	"lockbench/store"
	"lockbench/target"
	"lockbench/timing"
	"lockbench/workload"
)

// Params describe one run.
type Params struct {
	Strategy    string
	Spec        *workload.Spec // concurrency, duration etc. as the run uses them
	Concurrency int
	Repetition  int
	// Instrument turns lock instrumentation on (the default in the CLI);
	// off, locks are plain sync locks and lock figures are empty.
	Instrument bool
	// History records every operation for the linearizability check.
	History bool
	// OutDir receives per-run files (profiles, goroutine dumps,
	// linearizability visualisations); "" writes none.
	OutDir   string
	Profiles Profiles
	// StallTimeout: a run with no completed operation for this long is
	// abandoned as stalled (0: DefaultStallTimeout).
	StallTimeout time.Duration
	// DrainTimeout bounds the wait for in-flight operations after the
	// measured phase (0: DefaultDrainTimeout).
	DrainTimeout time.Duration
}

// Profiles selects per-run profiles written into OutDir.
type Profiles struct{ CPU, Mutex, Block, Trace bool }

// Defaults for Params.
const (
	DefaultStallTimeout = 5 * time.Second
	DefaultDrainTimeout = 5 * time.Second
	timelineInterval    = 100 * time.Millisecond
)

// Name is the stem of a run's files.
func (p Params) Name() string {
	return fmt.Sprintf("%s-%s-c%d-r%d", p.Spec.Name, p.Strategy, p.Concurrency, p.Repetition)
}

// worker is one client goroutine's state. It is owned by its goroutine;
// the few fields the controller reads while it runs are atomics.
type worker struct {
	id       int
	client   target.Client
	observer target.Observer // client's, when it records a history; else nil
	gen      *workload.Generator
	trace    lock.Trace
	ctx      context.Context

	completions atomic.Int64 // every completed op, for the stall watchdog
	busySince   atomic.Int64 // start of the op in flight, 0 when idle

	// Counted by the worker, read after it stopped.
	windowOps    int64
	windowLatSum int64
	drained      int64
	recorded     int64
	errors       map[string]int64
	lateness     []int64 // open loop: pacer lateness samples
	_            [64]byte
}

// run is the state shared by a run's goroutines.
type run struct {
	p        Params
	spec     *workload.Spec
	tgt      *target.Target
	opNames  []string // by target.Op
	rec      *recorder
	epoch    time.Time
	t0       atomic.Int64 // measured window start (ns since epoch); 0 = warm-up
	t1       atomic.Int64 // measured window end; 0 = still measuring
	stop     atomic.Bool
	target   int64 // ops mode: window completions that end the phase
	windowN  atomic.Int64
	openLoop bool
	sched    chan int64 // open loop: intended start times
}

func (r *run) now() int64 { return int64(time.Since(r.epoch)) }

// ErrStalled: the watchdog abandoned a run.
var ErrStalled = errors.New("runner: run stalled")

// RunOne performs one run and returns its figures. A run that fails is
// returned with Status "failed" and a reason, and a non-nil error; an
// interrupted one (ctx cancelled) with Status "interrupted".
func RunOne(ctx context.Context, p Params) (res results.Run, err error) {
	spec := p.Spec
	res = results.Run{
		Target:      spec.Target,
		Strategy:    p.Strategy,
		Workload:    spec.Name,
		Concurrency: p.Concurrency,
		Repetition:  p.Repetition,
		Arrival:     spec.Arrival,
		TargetRate:  spec.Rate,
		Status:      results.StatusOK,
		Errors:      map[string]int64{},
		Store:       results.StoreFigures{Spec: spec.Store},
		Consistency: results.Consistency{Anomalies: map[string]int64{}, Linearizable: results.LinSkipped},
	}
	fail := func(err error) (results.Run, error) {
		if ctx.Err() != nil {
			// Cut short by the interrupt (a store call or preload step
			// returned the cancellation): not a failure of the system.
			res.Status, res.Reason = results.StatusInterrupted, "interrupted by signal before the measured phase"
			return res, context.Canceled
		}
		res.Status, res.Reason = results.StatusFailed, err.Error()
		return res, err
	}
	tgt, err := spec.System()
	if err != nil {
		return fail(err)
	}
	strategy, err := tgt.Strategy(p.Strategy)
	if err != nil {
		return fail(err)
	}
	goroutinesBefore := runtime.NumGoroutine()

	raw, err := openStore(spec.Store, p.Name())
	if err != nil {
		return fail(err)
	}
	closeStore := true
	defer func() {
		if closeStore {
			raw.Close()
		}
	}()
	r := &run{
		p:        p,
		spec:     spec,
		tgt:      tgt,
		opNames:  tgt.OpNames(),
		epoch:    time.Now(),
		openLoop: spec.Arrival == "open",
		target:   spec.Ops,
	}
	r.rec = newRecorder(p.Concurrency, tgt.NumOps(), r.openLoop)
	locks := lock.NewSet(p.Instrument)
	sys, err := strategy.New(target.Deps{
		Store:        store.Traced(raw),
		Locks:        locks,
		Config:       spec.Config.System().WithDefaults(),
		Clients:      p.Concurrency,
		SharedClient: spec.Trackers == workload.Shared,
		History:      p.History,
		Now:          r.now,
	})
	if err != nil {
		return fail(fmt.Errorf("runner: build %s: %w", p.Strategy, err))
	}

	// Preload is set-up: without injected latency and failures (when the
	// store can switch them off), so it costs no measured time and naive's
	// serialised writes do not make it the longest part of a run.
	if pl, ok := sys.(target.Preloader); ok && spec.Preload > 0 {
		keys := make([]string, spec.Preload)
		for i := range keys {
			keys[i] = workload.ContextID(i)
		}
		setInjection(raw, false)
		err = pl.Preload(ctx, keys, spec.OpKinds())
		setInjection(raw, true)
		if err != nil {
			return fail(err)
		}
	}

	// Generators know the worker count, so a sequential key walk is split
	// between the workers (w, w+n, …) instead of repeated by each.
	gens := spec.Generators(p.Concurrency, spec.Seed)
	workers := make([]*worker, p.Concurrency)
	for i := range workers {
		w := &worker{id: i, client: sys.Client(i), gen: gens[i], errors: map[string]int64{}}
		w.observer, _ = w.client.(target.Observer)
		w.ctx = lock.WithTrace(ctx, &w.trace)
		workers[i] = w
	}

	// Profiles that cover the whole run start now; the CPU profile and
	// trace cover the measured phase only.
	if p.Profiles.Mutex {
		runtime.SetMutexProfileFraction(1)
		defer runtime.SetMutexProfileFraction(0)
	}
	if p.Profiles.Block {
		runtime.SetBlockProfileRate(1)
		defer runtime.SetBlockProfileRate(0)
	}

	runCtx, cancelRun := context.WithCancel(ctx)
	defer cancelRun()
	var wg sync.WaitGroup
	if r.openLoop {
		r.sched = make(chan int64, 1<<16)
		wg.Add(1)
		go func() { defer wg.Done(); r.pace(runCtx) }()
	}
	var workersWG sync.WaitGroup
	for _, w := range workers {
		workersWG.Add(1)
		go func() { defer workersWG.Done(); r.work(runCtx, w) }()
	}
	allDone := make(chan struct{})
	go func() { workersWG.Wait(); wg.Wait(); close(allDone) }()
	// leaveStore hands the store of an abandoned run to whoever leaves it
	// last: closing it under workers still inside store calls is unsafe,
	// but a store left open keeps the temporary files of file and bolt.
	// An interrupted run's workers leave at once (their context is
	// cancelled); a stalled run's may never leave.
	leaveStore := func(reason string) {
		closeStore = false
		r.stop.Store(true)
		wait := time.Duration(0)
		if reason == reasonInterrupted {
			cancelRun()
			wait = time.Second
		}
		select {
		case <-allDone:
			raw.Close()
		case <-time.After(wait):
			go func() { <-allDone; raw.Close() }()
		}
	}

	// Warm-up.
	ctl := &controller{r: r, workers: workers, stall: p.StallTimeout, allDone: allDone}
	if ctl.stall == 0 {
		ctl.stall = DefaultStallTimeout
	}
	if spec.Warmup > 0 {
		if reason := ctl.wait(ctx, time.Now().Add(spec.Warmup), nil); reason != "" {
			leaveStore(reason)
			return ctl.abandon(&res, reason)
		}
		if !r.openLoop && !ctl.everyWorkerCycled(ctx, maxWarmupExtension) {
			res.Warnings = append(res.Warnings, fmt.Sprintf("warm-up ended %s past its time with workers that had not completed an operation: the queues may not have formed, and Little's law may read low", maxWarmupExtension))
		}
	}

	// Measured phase.
	locks.Reset()
	if rs, ok := raw.(store.StatsResetter); ok {
		rs.ResetStats()
	}
	r.rec.reset()
	stopProfiles, perr := startProfiles(p)
	if perr != nil {
		return fail(perr)
	}
	ru0, rt0 := readRusage(), readRuntime()
	start := r.now()
	r.t0.Store(start)
	tl := newTimeline(r, ru0)
	var deadline time.Time
	if spec.Duration > 0 {
		deadline = time.Now().Add(spec.Duration)
	}
	reason := ctl.wait(ctx, deadline, tl)
	end := r.now()
	r.t1.Store(end)
	r.stop.Store(true)
	ru1, rt1 := readRusage(), readRuntime()
	// Lock figures over the window itself, like throughput and CPU: the
	// operations drained after it are mostly the slow ones that queued,
	// and counting their holds would overstate the locks' utilization.
	windowLocks := locks.Snapshot()
	res.Profiles = stopProfiles()
	if reason != "" && reason != reasonInterrupted {
		leaveStore(reason)
		return ctl.abandon(&res, reason)
	}
	if reason == reasonInterrupted {
		res.Status, res.Reason = results.StatusInterrupted, "interrupted by signal"
	}

	// Drain: wait for operations in flight, within a bound.
	drain := p.DrainTimeout
	if drain == 0 {
		drain = DefaultDrainTimeout
	}
	if reason == reasonInterrupted {
		drain = min(drain, time.Second)
	}
	quiescent := true
	select {
	case <-allDone:
	case <-time.After(drain):
		quiescent = false
		cancelRun()
	}
	for _, w := range workers {
		if w.busySince.Load() != 0 {
			res.CensoredOps++
		}
	}
	if r.openLoop {
		res.CensoredOps += int64(len(r.sched)) // scheduled in the window, never started
	}
	tl.finish()

	// Collection.
	window := time.Duration(end - start)
	res.DurationS = window.Seconds()
	res.Latency, res.ServiceLatency = r.rec.merged(func(i int) string { return r.opNames[i] })
	var latSum, drained int64
	var lateness []int64
	for _, w := range workers {
		res.Ops += w.windowOps
		latSum += w.windowLatSum
		drained += w.drained
		for k, v := range w.errors {
			res.Errors[k] += v
		}
		lateness = append(lateness, w.lateness...)
	}
	if window > 0 {
		res.ThroughputOpsS = float64(res.Ops) / window.Seconds()
	}
	if !r.openLoop && res.Ops > 0 && p.Concurrency > 0 {
		meanLat := float64(latSum) / float64(res.Ops) / 1e9
		res.LittlesLawRatio = res.ThroughputOpsS * meanLat / float64(p.Concurrency)
	}
	if r.openLoop && len(lateness) > 0 {
		sort.Slice(lateness, func(i, j int) bool { return lateness[i] < lateness[j] })
		res.PacerLatenessP50Ns = lateness[len(lateness)/2]
		res.PacerLatenessP99Ns = lateness[min(len(lateness)-1, len(lateness)*99/100)]
	}
	res.Locks = lockFigures(windowLocks, locks.Enabled())
	res.Store = storeFigures(raw, spec.Store)
	res.Runtime = runtimeDelta(rt0, rt1, res.Ops)
	res.Runtime.HeapPeakBytes, res.Runtime.GoroutinesPeak = tl.heapPeak, tl.goroutinesPeak
	cpu := ru1.total() - ru0.total()
	res.Process = results.Process{
		CPUUserS:    (ru1.user - ru0.user).Seconds(),
		CPUSysS:     (ru1.sys - ru0.sys).Seconds(),
		MaxRSSBytes: tl.rssPeak,
	}
	if window > 0 {
		res.Process.CPUUtil = cpu.Seconds() / window.Seconds()
	}
	res.Timeline = tl.points
	res.HarnessNsPerOp = harnessCost()
	res.DrainedOps = drained
	res.ThinkTimeNs = int64(spec.ThinkTime)
	analysis.Bottlenecks(&res, runtime.GOMAXPROCS(0))
	res.Warnings = append(res.Warnings, runWarnings(&res)...)

	if quiescent {
		if held := locks.Held(); len(held) > 0 {
			res.Warnings = append(res.Warnings, fmt.Sprintf("locks still held at quiescence: %s", strings.Join(held, ", ")))
		}
		outDir := p.OutDir
		if res.Status == results.StatusInterrupted {
			// The user asked to stop now, and the check would read the
			// store with a cancelled context: skip it.
			res.Consistency.Notes = append(res.Consistency.Notes, "not checked: run interrupted")
		} else {
			// The check inspects the store; it is not a client of it.
			setInjection(raw, false)
			if chk, ok := sys.(target.Checker); ok {
				res.Consistency = chk.Check(ctx, target.CheckInput{Store: newCheckView(raw), OutDir: outDir, RunName: p.Name()})
			} else {
				res.Consistency.Notes = append(res.Consistency.Notes, fmt.Sprintf("not checked: target %q has no consistency check", tgt.Name))
			}
		}
	} else {
		res.Consistency.Notes = append(res.Consistency.Notes, "not checked: operations still in flight after the drain bound")
	}
	if quiescent {
		raw.Close()
		closeStore = false
		if grown := runtime.NumGoroutine() - goroutinesBefore; grown > 8 {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%d more goroutines after the run than before it (leak?)", grown))
		}
	}
	if res.Status == results.StatusInterrupted {
		return res, context.Canceled
	}
	return res, nil
}

// setInjection switches the store's injected latency and failures, when it
// has any.
func setInjection(s store.Store, on bool) {
	if inj, ok := s.(store.Injector); ok {
		inj.SetInjection(on)
	}
}

// work is one worker's loop. Closed loop, it stops issuing operations when
// the window closes. Open loop, it goes on until the pacer's queue is empty:
// operations scheduled inside the window are part of the window's latency
// even when they start after it (that waiting is what the queue costs).
func (r *run) work(ctx context.Context, w *worker) {
	think := r.spec.ThinkTime
	for ctx.Err() == nil && (r.openLoop || !r.stop.Load()) {
		op, key := w.gen.Next()
		var intended int64
		if r.openLoop {
			idleFrom := r.now()
			var ok bool
			select {
			case intended, ok = <-r.sched:
			case <-ctx.Done():
			}
			if !ok {
				return
			}
			if t1 := r.t1.Load(); t1 != 0 && intended >= t1 {
				return
			}
			if wait := intended - r.now(); wait > 0 {
				sleepFor(time.Duration(wait))
			}
			if idleFrom <= intended && r.t0.Load() != 0 {
				// The worker was free when the op was due: any delay
				// is the pacer's, not queueing.
				if len(w.lateness) < 4096 {
					w.lateness = append(w.lateness, r.now()-intended)
				}
			}
		}
		r.do(w, op, key, intended)
		if think > 0 {
			sleepFor(think)
		}
	}
}

// do executes one operation and records it.
func (r *run) do(w *worker, op target.Op, key string, intended int64) {
	start := r.now()
	w.busySince.Store(start)
	err := w.client.Do(w.ctx, op, key)
	end := r.now()
	w.busySince.Store(0)
	w.completions.Add(1)
	w.trace.Reset()
	if w.observer != nil {
		w.observer.Observe(start, end, err)
	}

	from := start
	if r.openLoop {
		from = intended
	}
	t0 := r.t0.Load()
	if t0 == 0 || end < t0 {
		return // warm-up
	}
	t1 := r.t1.Load()
	if t1 != 0 && from >= t1 {
		return // started after the window closed
	}
	r.rec.record(w.id, int(op), end-from, end-start)
	w.recorded++
	if err != nil {
		w.errors[r.tgt.ErrorKindOf(err)]++
	}
	if t1 != 0 && end > t1 {
		w.drained++
		return
	}
	w.windowOps++
	w.windowLatSum += end - from
	if r.target > 0 && r.windowN.Add(1) >= r.target {
		r.stop.Store(true)
	}
}

// pace feeds intended start times into the schedule at the spec's rate.
// Intended times follow the schedule, never the clock: when workers fall
// behind, the queue grows and the waiting counts in latency.
func (r *run) pace(ctx context.Context) {
	defer close(r.sched)
	rng := rand.New(rand.NewPCG(uint64(r.spec.Seed), uint64(r.p.Repetition)))
	mean := 1e9 / r.spec.Rate
	next := r.now()
	for ctx.Err() == nil && !r.stop.Load() {
		if wait := next - r.now(); wait > 0 {
			sleepFor(time.Duration(wait))
		}
		select {
		case r.sched <- next:
		case <-ctx.Done():
			return
		}
		gap := mean
		if r.spec.Interarrival != "uniform" {
			gap = rng.ExpFloat64() * mean
		}
		next += int64(gap)
		if t1 := r.t1.Load(); t1 != 0 && next >= t1 {
			return
		}
	}
}

// sleepFor waits d; the pacer and think time use it.
// timing.Sleep is accurate where time.Sleep rounds short sleeps up to ~1 ms.
var sleepFor = timing.Sleep

const reasonInterrupted = "interrupted"

// controller watches a run: the deadline, ops-mode completion, the stall
// watchdog, interrupts, and the timeline.
type controller struct {
	r       *run
	workers []*worker
	stall   time.Duration
	allDone chan struct{}
}

// wait returns "" when the deadline passed (or the ops target was reached,
// or every worker finished), reasonInterrupted when ctx was cancelled, or a
// stall reason.
func (c *controller) wait(ctx context.Context, deadline time.Time, tl *timeline) string {
	tick := time.NewTicker(timelineInterval)
	defer tick.Stop()
	var timer <-chan time.Time
	if !deadline.IsZero() {
		t := time.NewTimer(time.Until(deadline))
		defer t.Stop()
		timer = t.C
	}
	lastCount, lastProgress := c.completions(), time.Now()
	for {
		select {
		case <-ctx.Done():
			return reasonInterrupted
		case <-timer:
			return ""
		case <-c.allDone:
			// Workers also finish when ctx is cancelled: select picks
			// among ready cases at random, so ask ctx which it was.
			if ctx.Err() != nil {
				return reasonInterrupted
			}
			return ""
		case now := <-tick.C:
			if tl != nil {
				tl.sample()
			}
			if c.r.stop.Load() {
				return "" // ops target reached
			}
			if n := c.completions(); n != lastCount {
				lastCount, lastProgress = n, now
			} else if now.Sub(lastProgress) >= c.stall {
				return fmt.Sprintf("stalled: no operation completed for %s", c.stall)
			}
		}
	}
}

// maxWarmupExtension bounds how long warm-up waits, past its configured
// time, for every worker to complete an operation.
const maxWarmupExtension = 2 * time.Second

// everyWorkerCycled waits, up to limit, until every worker has completed at
// least one operation. Workers start together, so at the end of a short
// warm-up a slow strategy may still be serving the very first operations:
// the operations in flight when the window opens are then younger than in
// the steady state, and the window's figures (Little's law first) read low.
// Closed loop only; it reports whether every worker got there.
func (c *controller) everyWorkerCycled(ctx context.Context, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for _, w := range c.workers {
		for w.completions.Load() == 0 {
			if ctx.Err() != nil || time.Now().After(deadline) {
				return false
			}
			time.Sleep(time.Millisecond)
		}
	}
	return true
}

func (c *controller) completions() int64 {
	var n int64
	for _, w := range c.workers {
		n += w.completions.Load()
	}
	return n
}

// abandon marks a stalled run failed, writes a goroutine dump and leaves the
// system to its goroutines: they may be deadlocked, and waiting would hang
// the sweep.
func (c *controller) abandon(res *results.Run, reason string) (results.Run, error) {
	c.r.stop.Store(true)
	res.Status, res.Reason = results.StatusFailed, reason
	if reason == reasonInterrupted {
		res.Status, res.Reason = results.StatusInterrupted, "interrupted by signal during warm-up"
		return *res, context.Canceled
	}
	if dir := c.r.p.OutDir; dir != "" {
		name := c.r.p.Name() + "-goroutines.txt"
		if f, err := os.Create(filepath.Join(dir, name)); err == nil {
			pprof.Lookup("goroutine").WriteTo(f, 2)
			f.Close()
			res.Profiles = map[string]string{"goroutines": name}
			res.Reason += "; goroutine dump in " + name
		}
	}
	return *res, fmt.Errorf("%w: %s", ErrStalled, reason)
}

// startProfiles starts the CPU profile and execution trace for the measured
// phase; the returned function stops them, writes the mutex and block
// profiles, and returns the files written (relative to OutDir).
func startProfiles(p Params) (func() map[string]string, error) {
	files := map[string]string{}
	if p.OutDir == "" {
		return func() map[string]string { return nil }, nil
	}
	create := func(kind, ext string) (*os.File, error) {
		name := p.Name() + "." + kind + ext
		f, err := os.Create(filepath.Join(p.OutDir, name))
		if err == nil {
			files[kind] = name
		}
		return f, err
	}
	var cpuF, traceF *os.File
	var err error
	if p.Profiles.CPU {
		if cpuF, err = create("cpu", ".pprof"); err != nil {
			return nil, err
		}
		if err = pprof.StartCPUProfile(cpuF); err != nil {
			cpuF.Close()
			return nil, fmt.Errorf("runner: cpu profile: %w", err)
		}
	}
	if p.Profiles.Trace {
		if traceF, err = create("trace", ".out"); err != nil {
			return nil, err
		}
		if err = trace.Start(traceF); err != nil {
			traceF.Close()
			return nil, fmt.Errorf("runner: trace: %w", err)
		}
	}
	return func() map[string]string {
		if cpuF != nil {
			pprof.StopCPUProfile()
			cpuF.Close()
		}
		if traceF != nil {
			trace.Stop()
			traceF.Close()
		}
		for kind, on := range map[string]bool{"mutex": p.Profiles.Mutex, "block": p.Profiles.Block} {
			if !on {
				continue
			}
			if f, err := create(kind, ".pprof"); err == nil {
				pprof.Lookup(kind).WriteTo(f, 0)
				f.Close()
			}
		}
		if len(files) == 0 {
			return nil
		}
		return files
	}, nil
}

func lockFigures(snap map[string]lock.Snapshot, enabled bool) map[string]results.Lock {
	out := map[string]results.Lock{}
	for name, l := range snap {
		f := results.Lock{
			Acquisitions: l.Acquisitions, Contended: l.Contended,
			WaitTotalNs: l.WaitTotalNs, WaitMaxNs: l.WaitMaxNs, WaitP99Ns: l.WaitP99Ns,
			HoldTotalNs: l.HoldTotalNs, HoldMaxNs: l.HoldMaxNs, HoldP99Ns: l.HoldP99Ns,
			HeldIONs: l.HeldIONs,
			Scope:    results.ScopeMapWide, Count: l.Locks,
		}
		if l.Striped {
			f.Scope = results.ScopePerKey
		}
		if enabled {
			f.Writers = &results.LockWriters{HoldNs: l.Writers.HoldNs, HeldIONs: l.Writers.HeldIONs, HeldWaitNs: l.Writers.HeldWaitNs}
			f.Busiest = &results.LockWriters{HoldNs: l.Busiest.HoldNs, HeldIONs: l.Busiest.HeldIONs, HeldWaitNs: l.Busiest.HeldWaitNs}
		}
		out[name] = f
	}
	return out
}

func storeFigures(s store.Store, spec string) results.StoreFigures {
	f := results.StoreFigures{Spec: spec}
	if r, ok := s.(store.StatsReporter); ok {
		st := r.Stats()
		f.Ops, f.InflightMax = st.Ops, st.InflightMax
		f.LatencyP50Ns, f.LatencyP99Ns = st.LatencyP50Ns, st.LatencyP99Ns
		f.ErrorsInjected, f.ConfiguredLatencyNs = st.ErrorsInjected, st.ConfiguredLatencyNs
	}
	return f
}

// runWarnings are the caveats only the runner can see. Caveats derived from
// the figures themselves (Little's law, realised store latency, pacer
// lateness, censored operations, spread) come from analysis.Warnings, so
// they are stated once, in one wording, wherever runs are shown.
func runWarnings(res *results.Run) []string {
	var w []string
	all := res.Latency["all"]
	switch {
	case res.Ops == 0:
		w = append(w, "no operation completed inside the measured window: throughput and the Little's law ratio mean nothing; lengthen --duration")
	case res.Ops < 100:
		w = append(w, fmt.Sprintf("only %d operations completed inside the measured window: percentiles are coarse", res.Ops))
	}
	// Durations are rounded so the same caveat over several repetitions
	// reads the same, with only the figure that differs differing.
	window := roundDuration(int64(res.DurationS * 1e9))
	switch {
	case all.P50Ns > 0 && time.Duration(all.P50Ns) > window/2:
		w = append(w, fmt.Sprintf("the median operation (p50 %s) lasts more than half the %s measured window, which sees few operations start and end; lengthen --duration", roundDuration(all.P50Ns), window))
	case all.P99Ns > 0 && time.Duration(all.P99Ns) > window/2:
		w = append(w, fmt.Sprintf("the slowest operations (p99 %s) last more than half the %s measured window, whose edges cut them and bias throughput and the Little's law ratio; lengthen --duration", roundDuration(all.P99Ns), window))
	}
	return w
}

// roundDuration shows a duration to two or three significant figures.
func roundDuration(ns int64) time.Duration {
	d := time.Duration(ns)
	switch {
	case d >= time.Second:
		return d.Round(100 * time.Millisecond)
	case d >= 100*time.Millisecond:
		return d.Round(10 * time.Millisecond)
	case d >= 10*time.Millisecond:
		return d.Round(100 * time.Microsecond)
	default:
		return d.Round(10 * time.Microsecond)
	}
}

// timeline samples the run every interval.
type timeline struct {
	r                                 *run
	ru0                               rusage
	start                             time.Time
	last                              time.Time
	interval                          *hdr.Histogram
	points                            []results.TimelinePoint
	heapPeak, goroutinesPeak, rssPeak int64
}

func newTimeline(r *run, ru0 rusage) *timeline {
	now := time.Now()
	tl := &timeline{r: r, ru0: ru0, start: now, last: now, interval: newHist()}
	tl.gauges()
	return tl
}

func (tl *timeline) gauges() (heap, goroutines int64) {
	heap, goroutines = sampleGauges()
	tl.heapPeak = max(tl.heapPeak, heap)
	tl.goroutinesPeak = max(tl.goroutinesPeak, goroutines)
	tl.rssPeak = max(tl.rssPeak, currentRSS())
	return heap, goroutines
}

func (tl *timeline) sample() {
	now := time.Now()
	tl.r.rec.takeInterval(tl.interval)
	heap, goroutines := tl.gauges()
	tl.points = append(tl.points, results.TimelinePoint{
		TS:         now.Sub(tl.start).Seconds(),
		Ops:        tl.interval.TotalCount(),
		P50Ns:      tl.interval.ValueAtQuantile(50),
		P99Ns:      tl.interval.ValueAtQuantile(99),
		HeapBytes:  heap,
		Goroutines: goroutines,
		CPUS:       (readRusage().total() - tl.ru0.total()).Seconds(),
	})
	tl.last = now
}

// finish takes a last sample if the tail since the last one is long enough
// to mean something.
func (tl *timeline) finish() {
	if time.Since(tl.last) >= timelineInterval/2 {
		tl.sample()
	}
}

// harnessCost measures, once per process, what the recorder adds to every
// operation: two clock reads and a sharded histogram record.
var harnessCost = sync.OnceValue(func() float64 {
	rec := newRecorder(1, 1, false)
	epoch := time.Now()
	const n = 200_000
	t0 := time.Now()
	for i := 0; i < n; i++ {
		a := int64(time.Since(epoch))
		b := int64(time.Since(epoch))
		rec.record(0, 0, b-a+1000, 0)
	}
	return float64(time.Since(t0).Nanoseconds()) / n
})
