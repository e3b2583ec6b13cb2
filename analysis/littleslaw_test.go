package analysis

import (
	"testing"

	"lockbench/results"
)

// TestLittlesLawCountsTimeOutsideOperations: a closed-loop client is in an
// operation, in its think time or in the harness between operations, so
// the check counts think time, lets the harness's own work between
// operations (at most littlesLawHarnessGap of CPU each) account for a
// ratio below 0.9, and the operations cut by the window's edges (up to the
// slowest one's share of the window) for a ratio off 1 either way; clients
// that spent more than that outside operations, or more operations in
// flight than that allows, are still a warning.
func TestLittlesLawCountsTimeOutsideOperations(t *testing.T) {
	// withCPU sets the CPU time per operation of r, in ns.
	withCPU := func(r *results.Run, ns float64) {
		r.Process = results.Process{CPUUserS: ns * float64(r.Ops) / 1e9}
	}
	// withMax sets the slowest operation of r, in ns.
	withMax := func(r *results.Run, ns int64) {
		all := r.Latency["all"]
		all.MaxNs = ns
		r.Latency = map[string]results.Latency{"all": all}
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
		// The window is 1 s: an operation of 250 ms straddling an edge
		// moves the ratio by up to 0.25 either way.
		{"slow operations at the window's start", func(r *results.Run) {
			r.LittlesLawRatio = 1.35
			withMax(r, 250e6)
		}, 0},
		{"more than the window's start explains", func(r *results.Run) {
			r.LittlesLawRatio = 1.35
			withMax(r, 240e6)
		}, 1},
		{"slow operations at the window's end", func(r *results.Run) {
			r.LittlesLawRatio = 0.65
			withMax(r, 250e6)
			withCPU(r, 20e3)
		}, 0},
		// 1 − 0.1 − 0.5 = 40% outside operations, 8 µs of 20: not the
		// harness.
		{"more than the window's end explains", func(r *results.Run) {
			r.LittlesLawRatio = 0.5
			withMax(r, 100e6)
			withCPU(r, 20e3)
		}, 1},
		{"the window's end and the harness together", func(r *results.Run) {
			r.LittlesLawRatio = 0.5
			withMax(r, 100e6)
			withCPU(r, 2.4e3) // 40% of 2.4 µs: 0.96 µs
		}, 0},
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
