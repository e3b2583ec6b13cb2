package analysis

import (
	"math"
	"testing"

	"lockbench/results"
)

func TestCells(t *testing.T) {
	runs := cellRuns("w", 4, "s", 10, 20, 30)
	runs[0], runs[2] = runs[2], runs[0] // out of repetition order
	failed := okRun("w", 4, "s", 3, 40)
	failed.Status = results.StatusFailed
	interrupted := okRun("w", 4, "s", 4, 50)
	interrupted.Status = results.StatusInterrupted
	legacy := okRun("w", 8, "s", 0, 60)
	legacy.Status = "" // files from before the status field

	cells := Cells(file(runs, []results.Run{failed, interrupted, legacy}))
	if len(cells) != 2 {
		t.Fatalf("got %d cells, want 2", len(cells))
	}
	got := cells[CellKey{Workload: "w", Concurrency: 4, Strategy: "s"}]
	if len(got) != 3 {
		t.Fatalf("cell has %d runs, want the 3 ok ones", len(got))
	}
	for i, r := range got {
		if r.Repetition != i {
			t.Errorf("run %d has repetition %d: want repetition order", i, r.Repetition)
		}
	}
	if len(cells[CellKey{Workload: "w", Concurrency: 8, Strategy: "s"}]) != 1 {
		t.Error("a run without status should count as ok")
	}
	if len(Cells(nil)) != 0 {
		t.Error("Cells(nil) should be empty")
	}
}

func TestMetrics(t *testing.T) {
	r := okRun("w", 10, "s", 0, 1000) // mean latency 10ms
	r.Locks = map[string]results.Lock{"a": {WaitTotalNs: 3e9}, "b": {WaitTotalNs: 1e9}}
	tests := []struct {
		metric Metric
		run    results.Run
		want   float64
	}{
		{Throughput, r, 1000},
		{LatencyP50, r, 0.01},
		{LatencyP99, r, 0.02},
		{CPUPerOp, r, 0.6 / 1000},
		{LockWaitPerOp, r, 4.0 / 1000},
		{LatencyP50, results.Run{}, math.NaN()},
		{CPUPerOp, results.Run{}, math.NaN()},
		{LockWaitPerOp, results.Run{}, math.NaN()},
	}
	for _, tc := range tests {
		t.Run(tc.metric.Name, func(t *testing.T) {
			got := tc.metric.Value(tc.run)
			if math.IsNaN(tc.want) != math.IsNaN(got) || (!math.IsNaN(got) && !near(got, tc.want, 1e-9, 0)) {
				t.Errorf("%s = %g, want %g", tc.metric.Name, got, tc.want)
			}
		})
	}
}

func TestMetricByName(t *testing.T) {
	for name, want := range map[string]string{
		"throughput": "throughput", "P99": "p99", "p50": "p50", "cpu": "cpu-per-op",
		"lockwait": "lock-wait-per-op", " lock-wait-per-op ": "lock-wait-per-op",
	} {
		m, ok := MetricByName(name)
		if !ok || m.Name != want {
			t.Errorf("MetricByName(%q) = %q, %v; want %q", name, m.Name, ok, want)
		}
	}
	if _, ok := MetricByName("speed"); ok {
		t.Error(`MetricByName("speed") found a metric`)
	}
}
