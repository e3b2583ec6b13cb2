package runner

import (
	"strings"
	"testing"

	"lockbench/results"
)

func TestRunWarnings(t *testing.T) {
	run := func(ops int64, windowS float64, p50, p99 int64) *results.Run {
		return &results.Run{Ops: ops, DurationS: windowS, Latency: map[string]results.Latency{"all": {P50Ns: p50, P99Ns: p99}}}
	}
	for _, tc := range []struct {
		name string
		run  *results.Run
		want []string // substrings, one per warning, in order
	}{
		{"clean", run(10_000, 0.2, 1e6, 2e6), nil},
		{"no ops", run(0, 0.2, 0, 0), []string{"no operation completed"}},
		{"few ops", run(50, 0.2, 1e6, 2e6), []string{"only 50 operations"}},
		{"median too long", run(1000, 0.2, 150e6, 190e6), []string{"p50 150ms) lasts more than half the 200ms"}},
		{"tail too long", run(1000, 0.2013, 1e6, 119_768_831), []string{"p99 120ms) last more than half the 200ms"}},
		{"tail within half the window", run(1000, 0.2, 1e6, 69e6), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := runWarnings(tc.run)
			if len(got) != len(tc.want) {
				t.Fatalf("got %q, want %d warnings", got, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("warning %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}
