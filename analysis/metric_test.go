package analysis

import (
	"math"
	"testing"

	"lockbench/results"
)

// TestMetricValues pins each metric's value, in its unit, against a run
// whose figures make the answers easy to compute by hand, and where each
// is undefined (NaN).
func TestMetricValues(t *testing.T) {
	r := results.Run{
		Arrival: "open", TargetRate: 600,
		Ops: 1000, ThroughputOpsS: 500, ErrorRate: 0.1,
		Latency:        map[string]results.Latency{"all": {Count: 1000, P50Ns: 2e6, P99Ns: 9e6, MeanNs: 3e6}},
		ServiceLatency: map[string]results.Latency{"all": {Count: 10, P50Ns: 1e6, P99Ns: 4e6}},
		Process:        results.Process{CPUUserS: 0.5, CPUSysS: 0.25},
		Locks: map[string]results.Lock{
			"m":      {WaitTotalNs: 2e9, HeldIONs: 1e9, Scope: results.ScopeMapWide},
			"a.keys": {WaitTotalNs: 1e9, HeldIONs: 3e9}, // no scope: per key by its name
			"s":      {WaitTotalNs: 0, HeldIONs: 2e9, Scope: results.ScopePerKey},
		},
	}
	none := results.Run{Arrival: "closed", Locks: map[string]results.Lock{"m": {WaitTotalNs: 1e9, HeldIONs: 1e9}},
		Latency:        map[string]results.Latency{"all": {P50Ns: 1, P99Ns: 1, MeanNs: 1}},
		ServiceLatency: map[string]results.Latency{"all": {P50Ns: 1, P99Ns: 1}},
		Process:        results.Process{CPUUserS: 1}, ErrorRate: 0.5, TargetRate: 600}
	tests := []struct {
		m          Metric
		want       float64 // of r
		wantBetter int
	}{
		{Throughput, 500, +1},
		{LatencyP50, 2e-3, -1},
		{LatencyP99, 9e-3, -1},
		{LatencyMean, 3e-3, -1},
		{CPUPerOp, 0.75e-3, -1},
		{LockWaitPerOp, 3e-3, -1},
		{ErrorRate, 0.1, -1},
		{HeldIOMapWidePerOp, 1e-3, -1},
		{HeldIOPerKeyPerOp, 5e-3, -1},
		{ServiceP50, 1e-3, -1},
		{ServiceP99, 4e-3, -1},
		{OfferedRate, 600, +1},
	}
	for _, tc := range tests {
		if got := tc.m.Value(r); !near(got, tc.want, 1e-12, 0) || tc.m.Better != tc.wantBetter {
			t.Errorf("%s = %v (better %+d), want %v (%+d)", tc.m.Name, got, tc.m.Better, tc.want, tc.wantBetter)
		}
		// Throughput is a recorded figure, defined whatever the run.
		if got := tc.m.Value(none); tc.m.Name != Throughput.Name && !math.IsNaN(got) {
			t.Errorf("%s of a run without operations, counts or an open loop = %v, want NaN", tc.m.Name, got)
		}
	}
	if got := LockWaitPerOpOf(r, "m"); !near(got, 2e-3, 1e-12, 0) {
		t.Errorf("wait for m per op = %v, want 2 ms", got)
	}
	if got := LockWaitPerOpOf(r, "absent"); got != 0 {
		t.Errorf("wait for an absent lock = %v, want 0", got)
	}
	// No locks at all: nothing held across I/O is not the same as zero.
	r.Locks = nil
	if got := HeldIOMapWidePerOp.Value(r); !math.IsNaN(got) {
		t.Errorf("held I/O without locks = %v, want NaN", got)
	}
	r.Arrival, r.TargetRate = "open", 0
	if got := OfferedRate.Value(r); !math.IsNaN(got) {
		t.Errorf("offered rate of an open loop without a target = %v, want NaN", got)
	}
}
