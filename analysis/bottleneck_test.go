package analysis_test

import (
	"math"
	"testing"

	"lockbench/analysis"
	"lockbench/results"
)

// run returns a closed-loop run of n clients that completed ops operations
// in one second, with mean latency meanNs and no lock figures yet.
func closedRun(n int, ops int64, meanNs float64) results.Run {
	return results.Run{
		Strategy: "s", Workload: "w", Concurrency: n, Arrival: "closed", Status: results.StatusOK,
		DurationS: 1, Ops: ops, ThroughputOpsS: float64(ops),
		Latency: map[string]results.Latency{"all": {Count: ops, MeanNs: meanNs}},
		Locks:   map[string]results.Lock{},
		Store:   results.StoreFigures{Spec: "memory"},
	}
}

// lockHeld returns one map-wide lock whose writers held it hold ns in all,
// heldIO of it inside store I/O and heldWait waiting for another lock.
func lockHeld(hold, heldIO, heldWait int64) results.Lock {
	w := &results.LockWriters{HoldNs: hold, HeldIONs: heldIO, HeldWaitNs: heldWait}
	return results.Lock{HoldTotalNs: hold, HeldIONs: heldIO, Scope: results.ScopeMapWide, Count: 1, Writers: w, Busiest: w}
}

func resource(t *testing.T, rs []results.Resource, name, kind string) results.Resource {
	t.Helper()
	for _, r := range rs {
		if r.Name == name && r.Kind == kind {
			return r
		}
	}
	t.Fatalf("no resource %s (%s) in %+v", name, kind, rs)
	return results.Resource{}
}

func near(got, want float64) bool { return math.Abs(got-want) <= 1e-6*math.Max(1, math.Abs(want)) }

// TestExclusiveServer: one lock with demand 0.5 ms per operation bounds
// throughput at 1/D = 2000 ops/s; at 1800 ops/s it is 90% utilized.
func TestExclusiveServer(t *testing.T) {
	r := closedRun(64, 1800, 64/1800.0*1e9)
	r.Locks["m"] = lockHeld(1800*500_000, 0, 0)
	r.Locks["m"] = withWait(r.Locks["m"], 1800*(64/1800.0*1e9-500_000)) // the rest of the latency is queueing
	analysis.Bottlenecks(&r, 2)
	m := resource(t, r.Resources, "m", results.KindLock)
	if !near(m.DemandNsPerOp, 500_000) || !near(m.BoundOpsS, 2000) || !near(m.Utilization, 0.9) {
		t.Errorf("lock: demand %v, bound %v, utilization %v; want 500µs, 2000, 0.9", m.DemandNsPerOp, m.BoundOpsS, m.Utilization)
	}
	if b := r.Bottleneck; b == nil || b.Name != "m" || !near(r.BoundRatio, 0.9) {
		t.Errorf("bottleneck %+v ratio %v, want m at 0.9", b, r.BoundRatio)
	}
	// R₀ is the latency without lock queueing: 0.5 ms, so 64 clients could
	// do 128k ops/s.
	if c := resource(t, r.Resources, "clients", results.KindClients); !near(c.BoundOpsS, 128_000) {
		t.Errorf("clients bound %v, want 128000 (64 / 0.5 ms)", c.BoundOpsS)
	}
}

func withWait(l results.Lock, waitNs float64) results.Lock {
	l.WaitTotalNs = int64(waitNs)
	return l
}

// TestDelayCentreAndPopulation: a store without a pool serves everyone at
// once (no bound); N clients with think time Z and R₀ = 2 ms are bounded by
// N/(R₀ + Z).
func TestDelayCentreAndPopulation(t *testing.T) {
	r := closedRun(4, 800, 2e6)
	r.ThinkTimeNs = 3e6
	r.Store = results.StoreFigures{Spec: "sim:latency=1ms", Ops: 1600, LatencyP50Ns: 1e6}
	analysis.Bottlenecks(&r, 2)
	s := resource(t, r.Resources, "store", results.KindStore)
	if s.Servers != 0 || s.BoundOpsS != 0 || s.Utilization != 0 || !near(s.DemandNsPerOp, 2e6) {
		t.Errorf("store as delay centre: %+v, want demand 2 ms, no servers, bound or utilization", s)
	}
	if b := r.Bottleneck; b == nil || b.Kind != results.KindClients || !near(b.BoundOpsS, 800) || !near(r.BoundRatio, 1) {
		t.Errorf("bottleneck %+v ratio %v, want the clients at 4/(2ms+3ms) = 800", b, r.BoundRatio)
	}
}

// TestPool: a pool of 4 with 2 ms of store time per operation bounds
// throughput at 4/2ms = 2000 ops/s.
func TestPool(t *testing.T) {
	r := closedRun(64, 1900, 64/1900.0*1e9)
	// The mean, not the median, is the demand: a tail of slow calls counts.
	r.Store = results.StoreFigures{Spec: "sim:latency=1ms,pool=4", Ops: 3800, LatencyMeanNs: 1e6, LatencyP50Ns: 0.9e6}
	analysis.Bottlenecks(&r, 2)
	s := resource(t, r.Resources, "store", results.KindStore)
	if s.Servers != 4 || !near(s.BoundOpsS, 2000) || !near(s.Utilization, 0.95) {
		t.Errorf("pooled store %+v, want 4 servers, bound 2000, utilization 0.95", s)
	}
	if b := r.Bottleneck; b == nil || b.Kind != results.KindStore {
		t.Errorf("bottleneck %+v, want the store", b)
	}
}

// TestCPU: GOMAXPROCS servers with the process CPU time per operation.
func TestCPU(t *testing.T) {
	r := closedRun(64, 10_000, 64/10_000.0*1e9)
	r.Process = results.Process{CPUUserS: 1.5, CPUSysS: 0.3}
	analysis.Bottlenecks(&r, 2)
	c := resource(t, r.Resources, "cpu", results.KindCPU)
	if !near(c.DemandNsPerOp, 180_000) || !near(c.BoundOpsS, 2/180e-6) || !near(c.Utilization, 0.9) {
		t.Errorf("cpu %+v, want 180 µs/op, bound 11111, utilization 0.9", c)
	}
	if r.Bottleneck.Kind != results.KindCPU {
		t.Errorf("bottleneck %+v, want cpu", r.Bottleneck)
	}
}

// TestHottestStripe: a striped family looks idle as a whole (256 places)
// while its hottest stripe is saturated; the stripe is the bottleneck.
func TestHottestStripe(t *testing.T) {
	r := closedRun(16, 950, 16/950.0*1e9)
	r.Locks["keys"] = results.Lock{
		WaitTotalNs: 950 * (16/950.0*1e9 - 1.05e6),
		HoldTotalNs: 950 * 1_040_000, Scope: results.ScopePerKey, Count: 256,
		Writers: &results.LockWriters{HoldNs: 950 * 1_040_000, HeldIONs: 950 * 1_000_000},
		Busiest: &results.LockWriters{HoldNs: 950 * 1_030_000, HeldIONs: 950 * 1_000_000},
	}
	analysis.Bottlenecks(&r, 2)
	fam := resource(t, r.Resources, "keys", results.KindLock)
	hot := resource(t, r.Resources, "keys", results.KindStripe)
	if fam.Servers != 256 || fam.Utilization > 0.01 {
		t.Errorf("family %+v, want 256 servers, nearly idle", fam)
	}
	if !near(hot.Utilization, 950*1.03e-3) {
		t.Errorf("hottest stripe utilization %v, want %v", hot.Utilization, 950*1.03e-3)
	}
	if b := r.Bottleneck; b == nil || b.Kind != results.KindStripe || b.Name != "keys" {
		t.Errorf("bottleneck %+v, want the hottest stripe of keys", b)
	}
}

// TestSimultaneousPossession: an outer lock's time waiting for an inner one
// is not its demand, and the what-ifs release each lock held across I/O in
// turn: releasing one of two locks held across the same I/O changes
// nothing; releasing both leaves the clients as the bottleneck.
func TestSimultaneousPossession(t *testing.T) {
	const ops = 950
	r := closedRun(64, ops, 64/950.0*1e9)
	// contexts is held across the store write, persist inside it;
	// tracker.state (outer) waits for contexts while held.
	r.Locks["contexts"] = withWait(lockHeld(ops*1_012_000, ops*1_000_000, 0), ops*(64/950.0*1e9-1_050_000))
	r.Locks["persist"] = lockHeld(ops*1_010_000, ops*1_000_000, 0)
	r.Locks["tracker"] = lockHeld(ops*30_000_000, ops*1_000_000, ops*28_995_000)
	analysis.Bottlenecks(&r, 2)
	if tr := resource(t, r.Resources, "tracker", results.KindLock); !near(tr.DemandNsPerOp, 1_005_000) {
		t.Errorf("tracker demand %v, want hold - held wait = 1.005 ms", tr.DemandNsPerOp)
	}
	if r.Bottleneck.Name != "contexts" {
		t.Errorf("bottleneck %+v, want contexts (1.012 ms)", r.Bottleneck)
	}
	want := map[string]string{
		"release contexts during store I/O": "persist",
		"release persist during store I/O":  "contexts",
		"release tracker during store I/O":  "contexts",
		"no lock held across store I/O":     "clients",
	}
	if len(r.WhatIf) != len(want) {
		t.Fatalf("what-ifs %+v, want %d", r.WhatIf, len(want))
	}
	for _, w := range r.WhatIf {
		if want[w.Change] != w.NextBottleneck {
			t.Errorf("%q: next bottleneck %q, want %q", w.Change, w.NextBottleneck, want[w.Change])
		}
	}
	last := r.WhatIf[len(r.WhatIf)-1]
	if !near(last.BoundOpsS, 64/1.05e-3) {
		t.Errorf("no lock across I/O: bound %v, want 64 / R₀ = %v", last.BoundOpsS, 64/1.05e-3)
	}
}

// TestOpenLoop: the offered rate bounds an open loop.
func TestOpenLoop(t *testing.T) {
	r := closedRun(64, 4950, 1.1e6)
	r.Arrival, r.TargetRate = "open", 5000
	analysis.Bottlenecks(&r, 2)
	if b := r.Bottleneck; b == nil || b.Kind != results.KindOffered || !near(b.BoundOpsS, 5000) || !near(r.BoundRatio, 0.99) {
		t.Errorf("bottleneck %+v ratio %v, want offered 5000 at 0.99", b, r.BoundRatio)
	}
}

// TestFailedRunLeftAlone: a failed run gets no analysis.
func TestFailedRunLeftAlone(t *testing.T) {
	r := closedRun(4, 100, 1e6)
	r.Status = results.StatusFailed
	analysis.Bottlenecks(&r, 2)
	if r.Resources != nil || r.Bottleneck != nil {
		t.Errorf("failed run analysed: %+v", r.Bottleneck)
	}
}

// TestCheckBounds: a saturated run at its bound passes; an idle run whose
// clients' bound is far above what it measured fails, and so does a run
// stored without analysis that is analysed on the fly.
func TestCheckBounds(t *testing.T) {
	saturated := closedRun(64, 1800, 64/1800.0*1e9)
	saturated.Locks["m"] = withWait(lockHeld(1800*540_000, 0, 0), 1800*(64/1800.0*1e9-540_000))
	analysis.Bottlenecks(&saturated, 2)

	idle := closedRun(4, 3000, 4/3000.0*1e9)
	idle.Locks["m"] = withWait(lockHeld(3000*10_000, 0, 0), 3000*0.3*(4/3000.0*1e9)) // 30% of latency queueing
	idle.Repetition = 1                                                              // analysed by CheckBounds itself

	f := &results.File{Meta: results.Meta{GOMAXPROCS: 2}, Runs: []results.Run{saturated, idle}}
	c := analysis.CheckBounds(f)
	if c.Saturated.Runs != 1 || len(c.Saturated.Failures) != 0 || !near(c.Saturated.WorstRatio, 1800*540e-6) {
		t.Errorf("saturated: %+v, want 1 run at %v, no failure", c.Saturated, 1800*540e-6)
	}
	if c.Idle.Runs != 1 || len(c.Idle.Failures) != 1 || !near(c.Idle.WorstRatio, 0.7) {
		t.Errorf("idle: %+v, want 1 run failing at 0.7", c.Idle)
	}
}

// TestUninstrumentedLocksLeftAlone: a run with lock instrumentation off
// lists its locks with zero figures. Its analysis would see no lock, name
// the clients and say no lock is held across I/O; it is left alone, and its
// lock figures per operation are NaN, not zero. A run with measured locks,
// even one never taken in the window, and a run without locks are analysed.
func TestUninstrumentedLocksLeftAlone(t *testing.T) {
	off := closedRun(4, 1000, 4e6)
	off.Locks["manager.contexts"] = results.Lock{Scope: results.ScopeMapWide, Count: 1}
	analysis.Bottlenecks(&off, 2)
	if off.Bottleneck != nil || off.Resources != nil || analysis.LocksMeasured(off) {
		t.Errorf("uninstrumented run analysed: bottleneck %+v, resources %+v", off.Bottleneck, off.Resources)
	}
	for _, m := range []analysis.Metric{analysis.LockWaitPerOp, analysis.HeldIOMapWidePerOp, analysis.HeldIOPerKeyPerOp} {
		if v := m.Value(off); !math.IsNaN(v) {
			t.Errorf("%s of an uninstrumented run = %v, want NaN", m.Name, v)
		}
	}

	idle := closedRun(4, 1000, 4e6)
	idle.Locks["manager.contexts"] = lockHeld(0, 0, 0)
	analysis.Bottlenecks(&idle, 2)
	if idle.Bottleneck == nil || !analysis.LocksMeasured(idle) || analysis.LockWaitPerOp.Value(idle) != 0 {
		t.Errorf("instrumented run with an idle lock: bottleneck %+v, lock wait %v", idle.Bottleneck, analysis.LockWaitPerOp.Value(idle))
	}
	none := closedRun(4, 1000, 4e6)
	analysis.Bottlenecks(&none, 2)
	if none.Bottleneck == nil {
		t.Error("a run without locks was not analysed")
	}
}
