package analysis

import (
	"testing"

	"lockbench/results"
)

func scaled(runs []results.Run, factor float64) []results.Run {
	out := make([]results.Run, len(runs))
	for i, r := range runs {
		out[i] = okRun(r.Workload, r.Concurrency, r.Strategy, r.Repetition, r.ThroughputOpsS*factor)
	}
	return out
}

func TestCompareFiles(t *testing.T) {
	base := []float64{1000, 1010, 1020, 1030, 1040}
	old := file(
		cellRuns("w", 4, "naive", base...),
		cellRuns("w", 4, "sharded", base...),
		cellRuns("w", 16, "sharded", base...),
		cellRuns("w", 64, "sharded", base...),
		cellRuns("w", 1, "naive", 1, 2, 3), // not in new
	)
	new := file(
		scaled(cellRuns("w", 4, "naive", base...), 0.70),    // planted 30% regression
		scaled(cellRuns("w", 4, "sharded", base...), 0.97),  // significant, below the threshold
		scaled(cellRuns("w", 16, "sharded", base...), 1.30), // improvement
		cellRuns("w", 64, "sharded", base...),               // unchanged
		cellRuns("x", 1, "naive", 1, 2, 3),                  // not in old
	)
	deltas := CompareFiles(old, new, []Metric{Throughput, LatencyP50}, 0.05)

	type want struct {
		significant, regression bool
		note                    string
	}
	wants := map[string]want{
		"throughput w/conc=4/strategy=naive":    {true, true, ""},
		"throughput w/conc=4/strategy=sharded":  {true, false, ""},
		"throughput w/conc=16/strategy=sharded": {true, false, ""},
		"throughput w/conc=64/strategy=sharded": {false, false, NoteNoChange},
		// Latency follows Little's law in okRun: 30% less throughput is
		// 43% more latency, a regression in the other direction.
		"p50 w/conc=4/strategy=naive":    {true, true, ""},
		"p50 w/conc=4/strategy=sharded":  {true, false, ""},
		"p50 w/conc=16/strategy=sharded": {true, false, ""},
		"p50 w/conc=64/strategy=sharded": {false, false, NoteNoChange},
	}
	if len(deltas) != len(wants) {
		t.Fatalf("got %d deltas, want %d: %+v", len(deltas), len(wants), deltas)
	}
	order := []string{}
	for _, d := range deltas {
		name := d.Metric + " " + d.Key.String()
		order = append(order, name)
		w, ok := wants[name]
		if !ok {
			t.Errorf("unexpected delta %s", name)
			continue
		}
		if d.Significant != w.significant || d.Regression != w.regression || d.Note != w.note {
			t.Errorf("%s: significant=%v regression=%v note=%q (ratio %.3f p=%.3f), want %v %v %q",
				name, d.Significant, d.Regression, d.Note, d.Ratio, d.P, w.significant, w.regression, w.note)
		}
	}
	if order[0] != "throughput w/conc=4/strategy=naive" || order[4] != "p50 w/conc=4/strategy=naive" {
		t.Errorf("order %q: want metrics in the order given, cells sorted", order)
	}
	if r := deltas[0].Ratio; !near(r, 0.70, 1e-9, 0) {
		t.Errorf("planted regression ratio %g, want 0.70", r)
	}
}

func TestCompareFilesThreshold(t *testing.T) {
	base := []float64{1000, 1010, 1020, 1030, 1040}
	old := file(cellRuns("w", 4, "naive", base...))
	new := file(scaled(cellRuns("w", 4, "naive", base...), 0.90))
	for _, tc := range []struct {
		threshold float64
		want      bool
	}{{0, true}, {0.05, true}, {0.099, true}, {0.11, false}, {0.5, false}} {
		if got := CompareFiles(old, new, []Metric{Throughput}, tc.threshold)[0].Regression; got != tc.want {
			t.Errorf("threshold %g: regression %v, want %v", tc.threshold, got, tc.want)
		}
	}
}

func TestSharedCells(t *testing.T) {
	old := file(cellRuns("w", 1, "a", 1), cellRuns("w", 2, "a", 1))
	new := file(cellRuns("w", 2, "a", 1), cellRuns("w", 3, "a", 1))
	shared, onlyOld, onlyNew := SharedCells(old, new)
	if len(shared) != 1 || shared[0].Concurrency != 2 ||
		len(onlyOld) != 1 || onlyOld[0].Concurrency != 1 ||
		len(onlyNew) != 1 || onlyNew[0].Concurrency != 3 {
		t.Errorf("shared %v, only old %v, only new %v", shared, onlyOld, onlyNew)
	}
}
