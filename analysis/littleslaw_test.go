package analysis

import (
	"testing"

	"lockbench/results"
)

// TestLittlesLawCountsTimeOutsideOperations: a closed-loop client is in an
// operation, in its think time or in the harness between operations, so
// the check counts think time, and lets the harness's own work between
// operations (at most littlesLawHarnessGap of CPU each) account for a
// ratio below 0.9; clients that spent more than that outside operations,
// or more operations in flight than clients, are still a warning.
func TestLittlesLawCountsTimeOutsideOperations(t *testing.T) {
	// withCPU sets the CPU time per operation of r, in ns.
	withCPU := func(r *results.Run, ns float64) {
		r.Process = results.Process{CPUUserS: ns * float64(r.Ops) / 1e9}
	}
	tests := []struct {
		name string
		edit func(*results.Run)
		want int
	}{
		// 1,000 ops/s over 4 clients: 4 ms per client and operation.
		{"think time fills the cycle", func(r *results.Run) {
			r.LittlesLawRatio, r.ThinkTimeNs = 0.5, 2e6
		}, 0},
		{"think time short of the cycle", func(r *results.Run) {
			r.LittlesLawRatio, r.ThinkTimeNs = 0.5, 1.5e6 // 0.875
		}, 1},
		{"think time past the cycle", func(r *results.Run) {
			r.LittlesLawRatio, r.ThinkTimeNs = 1, 1e6 // 1.25
		}, 1},
		// Operations of a few hundred ns: the harness's 125 ns per
		// operation between them is half the clients' time.
		{"harness's work between short operations", func(r *results.Run) {
			r.LittlesLawRatio = 0.5
			withCPU(r, 250)
		}, 0},
		{"harness's share at the limit", func(r *results.Run) {
			r.LittlesLawRatio = 0.5
			withCPU(r, 2*float64(littlesLawHarnessGap))
		}, 0},
		{"harness's share just past the limit", func(r *results.Run) {
			r.LittlesLawRatio = 0.5
			withCPU(r, 2*float64(littlesLawHarnessGap)+10)
		}, 1},
		{"clients missing from long operations", func(r *results.Run) {
			r.LittlesLawRatio = 0.5
			withCPU(r, 20e3)
		}, 1},
		{"short operations do not excuse excess", func(r *results.Run) {
			r.LittlesLawRatio = 1.2
			withCPU(r, 250)
		}, 1},
		{"open loop is not checked", func(r *results.Run) {
			r.LittlesLawRatio, r.Arrival = 0.2, "open"
			withCPU(r, 20e3)
		}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := okRun("w", 4, "s", 0, 1000)
			tc.edit(&r)
			got := 0
			for _, w := range runWarnings(r) {
				if w.Kind == KindLittlesLaw {
					got++
					t.Log(w.Message)
				}
			}
			if got != tc.want {
				t.Errorf("%d Little's-law warnings, want %d", got, tc.want)
			}
		})
	}
}
