package main

import (
	"strings"
	"testing"

	"lockbench/results"
)

// TestSummaryMedian: the summary's "ops/s (med)" of two repetitions is
// their mean, not the faster one.
func TestSummaryMedian(t *testing.T) {
	f := &results.File{Runs: []results.Run{
		{Strategy: "mutex", Concurrency: 4, Repetition: 1, ThroughputOpsS: 100},
		{Strategy: "mutex", Concurrency: 4, Repetition: 2, ThroughputOpsS: 300},
	}}
	var b strings.Builder
	summarize(&b, f)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], " 200 ") {
		t.Errorf("summary:\n%s\nwant mutex at 4 with a median of 200 ops/s", b.String())
	}
}
