package analysis

import (
	"math"
	"testing"

	"lockbench/results"
)

func TestCompareToBaseline(t *testing.T) {
	tests := []struct {
		name        string
		base, other []float64
		wantSig     bool
		wantNote    string
		wantRatio   float64
	}{
		{"clearly faster, 5 against 5", []float64{100, 101, 102, 103, 104}, []float64{200, 202, 204, 206, 208}, true, "", 2},
		{"clearly slower, 5 against 5", []float64{100, 101, 102, 103, 104}, []float64{50, 51, 51, 52, 52}, true, "", 51.0 / 102},
		{"identical", []float64{100, 101, 102, 103, 104}, []float64{100, 101, 102, 103, 104}, false, NoteNoChange, 1},
		{"overlapping", []float64{100, 110, 120, 130, 140}, []float64{105, 115, 125, 135, 145}, false, NoteNoChange, 125.0 / 120},
		{"3 against 3 cannot be significant", []float64{100, 101, 102}, []float64{200, 201, 202}, false, NoteFewSamples, 201.0 / 101},
		{"4 against 4 can", []float64{100, 101, 102, 103}, []float64{200, 201, 202, 203}, true, "", 201.5 / 101.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := file(cellRuns("w", 8, "naive", tc.base...), cellRuns("w", 8, "sharded", tc.other...))
			cs := CompareToBaseline(f, "naive", Throughput)
			if len(cs) != 1 {
				t.Fatalf("got %d comparisons, want 1: %+v", len(cs), cs)
			}
			c := cs[0]
			if c.Significant != tc.wantSig || c.Note != tc.wantNote {
				t.Errorf("significant=%v note=%q (p=%g), want %v %q", c.Significant, c.Note, c.P, tc.wantSig, tc.wantNote)
			}
			if !near(c.Ratio, tc.wantRatio, 1e-12, 0) {
				t.Errorf("ratio %g, want %g", c.Ratio, tc.wantRatio)
			}
			if c.Significant != (c.P < Alpha) {
				t.Errorf("significant=%v but p=%g", c.Significant, c.P)
			}
			if c.Base.N != len(tc.base) || c.New.N != len(tc.other) {
				t.Errorf("n = %d+%d, want %d+%d", c.Base.N, c.New.N, len(tc.base), len(tc.other))
			}
			if c.Workload != "w" || c.Concurrency != 8 || c.Strategy != "sharded" || c.Baseline != "naive" || c.Metric != "throughput" {
				t.Errorf("labels %+v", c)
			}
		})
	}
}

func TestCompareToBaselineSummary(t *testing.T) {
	// With 6 samples benchmath gives a finite 95% interval of the median;
	// with 5 it cannot and says so with an infinite bound.
	f := file(cellRuns("w", 1, "naive", 10, 11, 12, 13, 14, 15), cellRuns("w", 1, "sharded", 20, 21, 22, 23, 24))
	c := CompareToBaseline(f, "naive", Throughput)[0]
	if c.Base.Center != 12.5 || c.Base.Lo != 10 || c.Base.Hi != 15 {
		t.Errorf("baseline summary %+v, want median 12.5 in [10, 15]", c.Base)
	}
	if c.New.Center != 22 || !(math.IsInf(c.New.Lo, -1) || math.IsInf(c.New.Hi, 1)) {
		t.Errorf("new summary %+v, want median 22 with an unbounded interval", c.New)
	}
}

func TestCompareToBaselineCoverage(t *testing.T) {
	f := file(
		cellRuns("b", 4, "sharded", 1, 2, 3, 4),
		cellRuns("b", 4, "naive", 1, 2, 3, 4),
		cellRuns("b", 1, "refactored", 1, 2, 3, 4),
		cellRuns("b", 1, "naive", 1, 2, 3, 4),
		cellRuns("b", 1, "sharded", 1, 2, 3, 4),
		cellRuns("a", 1, "sharded", 1, 2, 3, 4),
		cellRuns("a", 1, "naive", 1, 2, 3, 4),
		cellRuns("c", 1, "sharded", 1, 2, 3, 4), // no baseline: skipped
	)
	failed := okRun("a", 1, "refactored", 0, 5)
	failed.Status = results.StatusFailed
	f.Runs = append(f.Runs, failed)

	var got []string
	for _, c := range CompareToBaseline(f, "naive", Throughput) {
		got = append(got, CellKey{Workload: c.Workload, Concurrency: c.Concurrency, Strategy: c.Strategy}.String())
	}
	want := []string{
		"a/conc=1/strategy=sharded",
		"b/conc=1/strategy=refactored",
		"b/conc=1/strategy=sharded",
		"b/conc=4/strategy=sharded",
	}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("comparison %d is %s, want %s", i, got[i], want[i])
		}
	}
}

func TestGeoMeanRatio(t *testing.T) {
	tests := []struct {
		name   string
		ratios []float64
		want   float64
	}{
		{"two", []float64{2, 8}, 4},
		{"one", []float64{0.5}, 0.5},
		{"unusable left out", []float64{2, 8, 0, math.Inf(1), math.NaN()}, 4},
		{"none", nil, math.NaN()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var cs []Comparison
			for _, r := range tc.ratios {
				cs = append(cs, Comparison{Ratio: r})
			}
			got := GeoMeanRatio(cs)
			if math.IsNaN(tc.want) != math.IsNaN(got) || (!math.IsNaN(got) && !near(got, tc.want, 1e-12, 0)) {
				t.Errorf("GeoMeanRatio = %g, want %g", got, tc.want)
			}
		})
	}
}
