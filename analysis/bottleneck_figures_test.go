package analysis_test

import (
	"slices"
	"testing"

	"lockbench/analysis"
	"lockbench/results"
)

// figuresRun is a closed loop of 10 clients with think time 1 ms over a
// 2 s window: 1000 operations completed, 200 of them failed (so the
// completion rate the laws use is 1000/2 = 500 ops/s, not the goodput of
// 400), and 250 more drained after the window. Every lock shape the
// analysis knows is present; the per-operation figures below are
// hand-computed from these totals.
func figuresRun() results.Run {
	const ops = 1000
	r := closedRun(10, ops, 0)
	r.DurationS, r.FailedOps, r.ThroughputOpsS, r.DrainedOps = 2, 200, 400, 250
	r.ThinkTimeNs = 1e6
	r.Locks = map[string]results.Lock{
		// One lock: demand (hold − held wait)/ops = 300 µs − 100 µs.
		"a.map": {WaitTotalNs: ops * 1e6, Scope: results.ScopeMapWide, Count: 1,
			Writers: &results.LockWriters{HoldNs: ops * 300e3, HeldIONs: ops * 50e3, HeldWaitNs: ops * 100e3},
			Busiest: &results.LockWriters{HoldNs: ops * 300e3, HeldIONs: ops * 50e3, HeldWaitNs: ops * 100e3}},
		// Eight stripes: the family 800 µs over 8 places, the hottest
		// stripe 150 µs − 10 µs on one.
		"b.keys": {Scope: results.ScopePerKey, Count: 8,
			Writers: &results.LockWriters{HoldNs: ops * 800e3, HeldIONs: ops * 400e3},
			Busiest: &results.LockWriters{HoldNs: ops * 150e3, HeldIONs: ops * 70e3, HeldWaitNs: ops * 10e3}},
		// One lock per client: the busiest one, 120 µs, bounds.
		"c.tracker": {Scope: results.ScopeMapWide, Count: 4,
			Writers: &results.LockWriters{HoldNs: ops * 400e3},
			Busiest: &results.LockWriters{HoldNs: ops * 120e3}},
		// Readers only: a delay, but their wait is lock queueing.
		"d.readers": {WaitTotalNs: ops * 500e3, HoldTotalNs: ops * 900e3, Scope: results.ScopeMapWide, Count: 1,
			Writers: &results.LockWriters{}},
		// A file from before writer figures and scopes: the totals stand
		// for the writers, one lock.
		"e.legacy": {HoldTotalNs: ops * 60e3, HeldIONs: ops * 20e3},
		// More time waiting for other locks than held: no demand of its
		// own, so no bound.
		"f.waits": {Scope: results.ScopeMapWide, Count: 1,
			Writers: &results.LockWriters{HoldNs: ops * 10e3, HeldWaitNs: ops * 20e3}},
	}
	// 2500 calls over the 1250 operations of window and drain, 1 ms mean
	// each: 2 ms per operation.
	r.Store = results.StoreFigures{Spec: "sim:latency=1ms,pool=4", Ops: 2500, LatencyMeanNs: 1e6, LatencyP50Ns: 5e6}
	r.Process = results.Process{CPUUserS: 0.3, CPUSysS: 0.1}
	return r
}

// TestResourceFigures pins every resource's demand, held I/O, servers,
// bound and utilization against figures computed by hand (see
// figuresRun), and the order they come in.
func TestResourceFigures(t *testing.T) {
	r := figuresRun()
	analysis.Bottlenecks(&r, 2)
	const x = 500.0 // completions per second, failed ones included
	// R₀ = N/X − Z − lock wait per op = 20 ms − 1 ms − (1 ms + 0.5 ms).
	const r0 = 20e6 - 1e6 - 1.5e6
	want := []struct {
		name, kind     string
		servers        int
		demand, heldIO float64
		bound          float64 // 0: bounds nothing
	}{
		{"a.map", results.KindLock, 1, 200e3, 50e3, 1e9 / 200e3},
		{"b.keys", results.KindLock, 8, 800e3, 400e3, 8e9 / 800e3},
		{"b.keys", results.KindStripe, 1, 140e3, 70e3, 1e9 / 140e3},
		{"c.tracker", results.KindLock, 1, 120e3, 0, 1e9 / 120e3},
		{"e.legacy", results.KindLock, 1, 60e3, 20e3, 1e9 / 60e3},
		{"f.waits", results.KindLock, 1, 0, 0, 0},
		{"store", results.KindStore, 4, 2e6, 0, 4e9 / 2e6},
		{"cpu", results.KindCPU, 2, 400e3, 0, 2e9 / 400e3},
		{"clients", results.KindClients, 10, r0 + 1e6, 0, 10e9 / (r0 + 1e6)},
	}
	if len(r.Resources) != len(want) {
		t.Fatalf("%d resources %+v, want %d", len(r.Resources), r.Resources, len(want))
	}
	for i, w := range want {
		got := r.Resources[i]
		wantUtil := 0.0
		if w.bound > 0 {
			wantUtil = x / w.bound
		}
		if got.Name != w.name || got.Kind != w.kind || got.Servers != w.servers ||
			!near(got.DemandNsPerOp, w.demand) || !near(got.HeldIONsPerOp, w.heldIO) ||
			!near(got.BoundOpsS, w.bound) || !near(got.Utilization, wantUtil) {
			t.Errorf("resource %d: %+v\nwant %s (%s) servers %d demand %v held I/O %v bound %v utilization %v",
				i, got, w.name, w.kind, w.servers, w.demand, w.heldIO, w.bound, wantUtil)
		}
	}
	if b := r.Bottleneck; b == nil || b.Name != "clients" || !near(b.BoundOpsS, 10e9/(r0+1e6)) {
		t.Errorf("bottleneck %+v, want the clients", b)
	}
	if !near(r.BoundRatio, x*(r0+1e6)/10e9) {
		t.Errorf("bound ratio %v, want completions over the clients' bound %v", r.BoundRatio, x*(r0+1e6)/10e9)
	}
}

// TestBottleneckTieGoesToFirst: a lock and the clients bounding throughput
// alike at 1000 ops/s; the lock is named, being what the user can change.
func TestBottleneckTieGoesToFirst(t *testing.T) {
	r := closedRun(4, 800, 0)
	// Demand 1 ms: bound 1000. R₀ = 4/800 s − 1 ms of lock wait = 4 ms:
	// the clients' bound is 1000 too.
	r.Locks["m"] = withWait(lockHeld(800*1e6, 0, 0), 800*1e6)
	analysis.Bottlenecks(&r, 0)
	c := resource(t, r.Resources, "clients", results.KindClients)
	if c.BoundOpsS != 1000 || r.Bottleneck == nil || r.Bottleneck.BoundOpsS != 1000 {
		t.Fatalf("clients bound %v, bottleneck %+v: want both at 1000", c.BoundOpsS, r.Bottleneck)
	}
	if r.Bottleneck.Name != "m" {
		t.Errorf("bottleneck %q, want the lock m on a tie with the clients", r.Bottleneck.Name)
	}
}

// queueRun is 10 clients completing 1000 ops in 1 s (response time 10 ms)
// with a store delay centre of 0.5 ms per operation, a lock of 0.1 ms
// demand and cpu seconds of CPU: with GOMAXPROCS 2, 1 s of CPU is 50% busy.
func queueRun(cpu float64, lockWaitNsPerOp int64) results.Run {
	r := closedRun(10, 1000, 0)
	r.Store = results.StoreFigures{Spec: "memory", Ops: 1000, LatencyMeanNs: 500e3}
	r.Process = results.Process{CPUUserS: cpu}
	r.Locks["m"] = withWait(lockHeld(1000*100e3, 0, 0), float64(1000*lockWaitNsPerOp))
	return r
}

// TestNoQueueing pins R₀, the response time without queueing, from which
// the clients' bound N/(R₀+Z) follows: the response time less the lock
// wait, unless the CPUs are at least half busy, where it is at most CPU
// time plus store time (never lock time: a lock's hold is spent on those).
func TestNoQueueing(t *testing.T) {
	tests := []struct {
		name     string
		cpu      float64 // CPU seconds over the 1000 operations
		lockWait int64   // ns per operation
		wantR0   float64 // 0: no clients resource
	}{
		{"CPU just under half busy: response time", 0.999, 0, 10e6},
		{"CPU half busy: CPU plus store time", 1, 0, 1e6 + 0.5e6},
		{"lock wait taken out", 0.999, 4e6, 6e6},
		{"queueing, response time already lower", 1, 9.5e6, 0.5e6},
		{"queueing, nothing left of the response time", 1, 10e6, 1.5e6},
		{"queueing, lock waits beyond the response time", 1, 12e6, 1.5e6},
		{"no queueing, nothing left: no bound from the clients", 0.5, 10e6, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := queueRun(tc.cpu, tc.lockWait)
			analysis.Bottlenecks(&r, 2)
			if cpu := resource(t, r.Resources, "cpu", results.KindCPU); !near(cpu.Utilization, tc.cpu/2) {
				t.Errorf("cpu utilization %v, want %v", cpu.Utilization, tc.cpu/2)
			}
			var clients *results.Resource
			for i := range r.Resources {
				if r.Resources[i].Kind == results.KindClients {
					clients = &r.Resources[i]
				}
			}
			switch {
			case tc.wantR0 == 0 && clients != nil:
				t.Errorf("clients %+v, want none (R₀ ≤ 0)", *clients)
			case tc.wantR0 == 0:
			case clients == nil:
				t.Errorf("no clients resource, want R₀ = %v", tc.wantR0)
			case !near(clients.DemandNsPerOp, tc.wantR0) || !near(clients.BoundOpsS, 10e9/tc.wantR0):
				t.Errorf("clients demand %v bound %v, want R₀ = %v, bound %v", clients.DemandNsPerOp, clients.BoundOpsS, tc.wantR0, 10e9/tc.wantR0)
			}
		})
	}
}

// TestPoolQueueing: a store pool at least half busy makes operations
// queue for a slot; R₀ is then at most the store time.
func TestPoolQueueing(t *testing.T) {
	for _, tc := range []struct {
		calls  int64 // per 1000 operations, 1 ms each, pool of 4
		wantR0 float64
	}{
		{1999, 10e6}, // 1.999 ms per op: 49.975% busy
		{2000, 2e6},  // 2 ms per op: 50% busy
		{4000, 4e6},  // 100% busy
	} {
		r := closedRun(10, 1000, 0)
		r.Store = results.StoreFigures{Spec: "sim:latency=1ms,pool=4", Ops: tc.calls, LatencyMeanNs: 1e6}
		analysis.Bottlenecks(&r, 0)
		if c := resource(t, r.Resources, "clients", results.KindClients); !near(c.DemandNsPerOp, tc.wantR0) {
			t.Errorf("%d store calls: clients demand %v, want R₀ = %v", tc.calls, c.DemandNsPerOp, tc.wantR0)
		}
	}
}

// TestCompletionRate: failed operations held resources too, so the laws
// count them; without failures, or without a window to divide by, the
// throughput is the rate.
func TestCompletionRate(t *testing.T) {
	for _, tc := range []struct {
		name      string
		durationS float64
		ops       int64
		failed    int64
		want      float64
	}{
		{"none failed", 2, 1000, 0, 300},
		{"one failed", 2, 1000, 1, 500},
		{"no window", 0, 1000, 10, 300},
	} {
		r := results.Run{DurationS: tc.durationS, Ops: tc.ops, FailedOps: tc.failed, ThroughputOpsS: 300}
		if got := analysis.CompletionRate(r); got != tc.want {
			t.Errorf("%s: completion rate %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestResourcesLeftOut: what is missing a figure is left out, not given a
// made-up one.
func TestResourcesLeftOut(t *testing.T) {
	base := func() results.Run {
		r := closedRun(4, 1000, 0)
		r.Locks["m"] = lockHeld(1000*100e3, 0, 0)
		r.Store = results.StoreFigures{Spec: "memory", Ops: 1000, LatencyMeanNs: 1e6}
		r.Process = results.Process{CPUUserS: 0.2}
		return r
	}
	kinds := func(r results.Run, gomaxprocs int) []string {
		var ks []string
		for _, res := range analysis.Resources(r, gomaxprocs) {
			ks = append(ks, res.Kind)
		}
		return ks
	}
	all := []string{results.KindLock, results.KindStore, results.KindCPU, results.KindClients}
	tests := []struct {
		name       string
		edit       func(*results.Run)
		gomaxprocs int
		want       []string
	}{
		{"everything", func(*results.Run) {}, 2, all},
		{"status unset, as in older files", func(r *results.Run) { r.Status = "" }, 2, all},
		{"interrupted", func(r *results.Run) { r.Status = results.StatusInterrupted }, 2, nil},
		{"no operations", func(r *results.Run) { r.Ops = 0 }, 2, nil},
		{"no completions", func(r *results.Run) { r.ThroughputOpsS = 0 }, 2, nil},
		{"GOMAXPROCS unknown", func(*results.Run) {}, 0, []string{results.KindLock, results.KindStore, results.KindClients}},
		{"no CPU time", func(r *results.Run) { r.Process = results.Process{} }, 2, []string{results.KindLock, results.KindStore, results.KindClients}},
		{"no store calls", func(r *results.Run) { r.Store.Ops = 0 }, 2, []string{results.KindLock, results.KindCPU, results.KindClients}},
		{"no store latency", func(r *results.Run) { r.Store.LatencyMeanNs = 0 }, 2, []string{results.KindLock, results.KindCPU, results.KindClients}},
		// With the CPUs 75% busy R₀ is their time, but no clients to divide.
		{"no concurrency", func(r *results.Run) { r.Concurrency, r.Process.CPUUserS = 0, 1.5 }, 2, []string{results.KindLock, results.KindStore, results.KindCPU}},
		{"readers only", func(r *results.Run) { r.Locks["m"] = results.Lock{HoldTotalNs: 1e9, Writers: &results.LockWriters{}} }, 2,
			[]string{results.KindStore, results.KindCPU, results.KindClients}},
		{"open loop without a rate", func(r *results.Run) { r.Arrival = "open" }, 2, []string{results.KindLock, results.KindStore, results.KindCPU}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := base()
			tc.edit(&r)
			if got := kinds(r, tc.gomaxprocs); !slices.Equal(got, tc.want) {
				t.Errorf("resources %v, want %v", got, tc.want)
			}
		})
	}
}

// TestOfferedRate: an open loop's offered rate is a resource of demand
// 1/rate and utilization completions/rate.
func TestOfferedRate(t *testing.T) {
	r := closedRun(64, 4000, 1e6)
	r.Arrival, r.TargetRate = "open", 5000
	rs := analysis.Resources(r, 0)
	o := resource(t, rs, "offered rate", results.KindOffered)
	if o.Servers != 1 || !near(o.DemandNsPerOp, 200e3) || !near(o.BoundOpsS, 5000) || !near(o.Utilization, 0.8) {
		t.Errorf("offered rate %+v, want 1 server, 200 µs, bound 5000, utilization 0.8", o)
	}
}

// TestWhatIfBounds: releasing a lock during store I/O takes its held-I/O
// part off its demand (a striped family's total and its hottest stripe
// alike); the run's bound is then the lowest over every resource.
func TestWhatIfBounds(t *testing.T) {
	rs := []results.Resource{
		{Name: "keys", Kind: results.KindLock, Servers: 8, DemandNsPerOp: 800e3, HeldIONsPerOp: 600e3, BoundOpsS: 10_000},
		{Name: "keys", Kind: results.KindStripe, Servers: 1, DemandNsPerOp: 400e3, HeldIONsPerOp: 300e3, BoundOpsS: 2500},
		{Name: "m", Kind: results.KindLock, Servers: 1, DemandNsPerOp: 160e3, BoundOpsS: 6250},
		// All of p's hold is I/O: released, it bounds nothing.
		{Name: "p", Kind: results.KindLock, Servers: 1, DemandNsPerOp: 200e3, HeldIONsPerOp: 200e3, BoundOpsS: 5000},
		{Name: "store", Kind: results.KindStore, DemandNsPerOp: 1e6},
		{Name: "clients", Kind: results.KindClients, Servers: 10, DemandNsPerOp: 1.25e6, BoundOpsS: 8000},
	}
	want := []results.WhatIf{
		// keys: family 8/200 µs = 40000, stripe 1/100 µs = 10000; p next.
		{Change: "release keys during store I/O", Lock: "keys", BoundOpsS: 5000, NextBottleneck: "p", NextKind: results.KindLock},
		{Change: "release p during store I/O", Lock: "p", BoundOpsS: 2500, NextBottleneck: "keys", NextKind: results.KindStripe},
		{Change: "no lock held across store I/O", BoundOpsS: 6250, NextBottleneck: "m", NextKind: results.KindLock},
	}
	got := analysis.WhatIfs(rs)
	if len(got) != len(want) {
		t.Fatalf("what-ifs %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Change != want[i].Change || got[i].Lock != want[i].Lock || !near(got[i].BoundOpsS, want[i].BoundOpsS) ||
			got[i].NextBottleneck != want[i].NextBottleneck || got[i].NextKind != want[i].NextKind {
			t.Errorf("what-if %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	// Released, keys' family alone would bound at 40000 and its stripe at
	// 10000: with only keys and the store, the stripe is next.
	got = analysis.WhatIfs(rs[:2])
	if len(got) != 2 || !near(got[0].BoundOpsS, 10_000) || got[0].NextKind != results.KindStripe {
		t.Errorf("keys alone: %+v, want its released stripe at 10000", got)
	}
	if analysis.WhatIfs(rs[2:3]) != nil {
		t.Errorf("what-ifs with no lock held across I/O, want none")
	}
}

// TestNothingBounds: resources that bound nothing (a store delay centre, a
// lock with no demand of its own, an open loop with no target rate) name
// no bottleneck and no bound ratio; their what-ifs name no next one.
func TestNothingBounds(t *testing.T) {
	r := closedRun(4, 1000, 1e6)
	r.Arrival = "open"
	r.Locks["m"] = lockHeld(1000*100e3, 1000*100e3, 1000*200e3)
	r.Store = results.StoreFigures{Spec: "memory", Ops: 1000, LatencyMeanNs: 1e6}
	analysis.Bottlenecks(&r, 2)
	if len(r.Resources) != 2 || r.Bottleneck != nil || r.BoundRatio != 0 {
		t.Errorf("resources %+v, bottleneck %+v, ratio %v: want a lock and the store, no bottleneck", r.Resources, r.Bottleneck, r.BoundRatio)
	}
	if b, ok := analysis.BottleneckOf(r.Resources); ok {
		t.Errorf("BottleneckOf = %+v, want none", b)
	}
	ws := analysis.WhatIfs(r.Resources)
	if len(ws) != 2 || ws[0].NextBottleneck != "" || ws[0].BoundOpsS != 0 {
		t.Errorf("what-ifs %+v, want two naming no next bottleneck", ws)
	}
}
