package report

import (
	"strings"
	"testing"

	"lockbench/results"
)

// TestWhatIfChangesLittle: when releasing the bottleneck lock during I/O
// changes little, the sentence says another lock is held across the same
// I/O only when the next bottleneck is another lock; otherwise it names
// what sets the ceiling.
func TestWhatIfChangesLittle(t *testing.T) {
	cell := func(next, kind string) BottleneckCell {
		return BottleneckCell{
			Strategy: "s", Concurrency: 4,
			Bottleneck: results.Bottleneck{Name: "m.map", Kind: results.KindLock, Utilization: 0.99, BoundOpsS: 1000},
			Scope:      results.ScopeMapWide, Measured: 990, Ratio: 0.99,
			WhatIf: []results.WhatIf{
				{Change: "release m.map during store I/O", Lock: "m.map", BoundOpsS: 1050, NextBottleneck: next, NextKind: kind},
				{Change: "no lock held across store I/O", BoundOpsS: 1050, NextBottleneck: next, NextKind: kind},
			},
		}
	}
	for _, tc := range []struct {
		next, kind, want string
	}{
		{"m.persist", results.KindLock, "m.persist is held across the same I/O"},
		{"cpu", results.KindCPU, "ceiling 1.05k ops/s, set by the CPUs"},
		{"m.map", results.KindLock, "set by m.map"},
	} {
		got := bottleneckSentences(cell(tc.next, tc.kind))
		if !strings.Contains(got, tc.want) {
			t.Errorf("next bottleneck %s (%s):\n%s\nwant it to say %q", tc.next, tc.kind, got, tc.want)
		}
		if tc.next != "m.persist" && strings.Contains(got, "held across the same I/O") {
			t.Errorf("next bottleneck %s (%s): %s", tc.next, tc.kind, got)
		}
	}
}
