package analysis

import (
	"testing"

	"lockbench/results"
)

// TestWarningThresholdsExact pins each warning's threshold from both
// sides: at the threshold no warning, just past it one.
func TestWarningThresholdsExact(t *testing.T) {
	healthy := func() []results.Run { return cellRuns("w", 4, "s", 100, 101, 102, 103) }
	kinds := func(runs []results.Run, edit func(*results.Run)) map[string]int {
		if edit != nil {
			edit(&runs[0])
		}
		f := file(runs, cellRuns("w", 1, "s", 50, 50, 50, 50), cellRuns("w", 16, "s", 200, 200, 200, 200))
		out := map[string]int{}
		for _, w := range Warnings(f) {
			out[w.Kind]++
		}
		return out
	}
	tests := []struct {
		name      string
		runs      []results.Run
		edit      func(*results.Run)
		kind      string
		wantCount int
	}{
		{"little's law at 0.9", healthy(), func(r *results.Run) { r.LittlesLawRatio = 0.9 }, KindLittlesLaw, 0},
		{"little's law at 1.1", healthy(), func(r *results.Run) { r.LittlesLawRatio = 1.1 }, KindLittlesLaw, 0},
		{"little's law just below", healthy(), func(r *results.Run) { r.LittlesLawRatio = 0.899 }, KindLittlesLaw, 1},
		{"little's law just above", healthy(), func(r *results.Run) { r.LittlesLawRatio = 1.101 }, KindLittlesLaw, 1},
		{"little's law unset", healthy(), func(r *results.Run) { r.LittlesLawRatio = 0 }, KindLittlesLaw, 0},
		{"pacer at the limit", healthy(), func(r *results.Run) { r.Arrival = "open"; r.PacerLatenessP50Ns = 100e3 }, KindPacerLateness, 0},
		{"pacer just past", healthy(), func(r *results.Run) { r.Arrival = "open"; r.PacerLatenessP50Ns = 100e3 + 1 }, KindPacerLateness, 1},
		{"pacer in a closed loop", healthy(), func(r *results.Run) { r.PacerLatenessP50Ns = 1e9 }, KindPacerLateness, 0},
		{"one censored op", healthy(), func(r *results.Run) { r.CensoredOps = 1 }, KindCensored, 1},
		{"store 10% off, 1ms", healthy(), func(r *results.Run) {
			r.Store = results.StoreFigures{Ops: 10, ConfiguredLatencyNs: 10e6, LatencyMeanNs: 11e6}
		}, KindStoreLatency, 0},
		{"store just past 10%", healthy(), func(r *results.Run) {
			r.Store = results.StoreFigures{Ops: 10, ConfiguredLatencyNs: 10e6, LatencyMeanNs: 11e6 + 1}
		}, KindStoreLatency, 1},
		{"store 100µs off, 50%", healthy(), func(r *results.Run) {
			r.Store = results.StoreFigures{Ops: 10, ConfiguredLatencyNs: 200e3, LatencyMeanNs: 300e3}
		}, KindStoreLatency, 0},
		{"store just past 100µs, 50%", healthy(), func(r *results.Run) {
			r.Store = results.StoreFigures{Ops: 10, ConfiguredLatencyNs: 200e3, LatencyMeanNs: 300e3 + 1}
		}, KindStoreLatency, 1},
		{"store fast past both", healthy(), func(r *results.Run) {
			r.Store = results.StoreFigures{Ops: 10, ConfiguredLatencyNs: 10e6, LatencyMeanNs: 8e6}
		}, KindStoreLatency, 1},
		// 4 standard errors of 1ms over 16 calls is 1ms: 1ms off is noise,
		// a little more is not.
		{"store off by exactly the noise", healthy(), func(r *results.Run) {
			r.Store = results.StoreFigures{Ops: 16, ConfiguredLatencyNs: 2e6, LatencyMeanNs: 3e6, LatencyStddevNs: 1e6}
		}, KindStoreLatency, 0},
		{"store off by more than the noise", healthy(), func(r *results.Run) {
			r.Store = results.StoreFigures{Ops: 16, ConfiguredLatencyNs: 2e6, LatencyMeanNs: 3e6 + 1, LatencyStddevNs: 1e6}
		}, KindStoreLatency, 1},
		{"store without calls", healthy(), func(r *results.Run) {
			r.Store = results.StoreFigures{ConfiguredLatencyNs: 2e6, LatencyMeanNs: 9e6}
		}, KindStoreLatency, 0},
		{"store without configured latency", healthy(), func(r *results.Run) {
			r.Store = results.StoreFigures{Ops: 10, LatencyMeanNs: 9e6}
		}, KindStoreLatency, 0},
		{"4 runs are enough", cellRuns("w", 4, "s", 100, 100, 100, 100), nil, KindFewSamples, 0},
		{"3 runs are few", cellRuns("w", 4, "s", 100, 100, 100), nil, KindFewSamples, 1},
		// Sample standard deviation of ±d around 100 over 4 runs is
		// 1.155·d: d = 8.6 is a CV of 9.9%, d = 8.7 of 10.05%.
		{"spread just under 10%", cellRuns("w", 4, "s", 91.4, 108.6, 91.4, 108.6), nil, KindSpread, 0},
		// 90, 100, 110: standard deviation 10, a CV of exactly 10%.
		{"spread at exactly 10%", cellRuns("w", 4, "s", 90, 100, 110), nil, KindSpread, 0},
		{"spread just past 10%", cellRuns("w", 4, "s", 91.3, 108.7, 91.3, 108.7), nil, KindSpread, 1},
		{"two runs spread", cellRuns("w", 4, "s", 50, 150, 100, 100)[:2], nil, KindSpread, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := kinds(tc.runs, tc.edit)[tc.kind]; got != tc.wantCount {
				t.Errorf("%d %s warning(s), want %d", got, tc.kind, tc.wantCount)
			}
		})
	}
}

// Three concurrency levels are enough for a USL fit, two are not; each
// (workload, strategy) is counted on its own.
func TestUSLNotFittedCount(t *testing.T) {
	f := file(cellRuns("w", 1, "a", 1, 1, 1, 1), cellRuns("w", 2, "a", 2, 2, 2, 2), cellRuns("w", 3, "a", 3, 3, 3, 3),
		cellRuns("w", 1, "b", 1, 1, 1, 1), cellRuns("w", 2, "b", 2, 2, 2, 2))
	var got []string
	for _, w := range Warnings(f) {
		if w.Kind == KindUSLNotFitted {
			got = append(got, w.Strategy+": "+w.Message)
		}
	}
	if len(got) != 1 || got[0] != "b: measured at 2 concurrency level(s): the USL needs at least 3" {
		t.Errorf("USL warnings %q, want one for b", got)
	}
}
