package runner

import (
	"math"
	"testing"
	"time"

	"lockbench/results"
	"lockbench/workload"
)

// collected builds a finished run by hand — its workers' counts, its
// window, its CPU time — and collects its figures, so every formula can be
// checked against figures worked out on paper.
func collected(t *testing.T, openLoop bool, conc int, start, end int64, ru0, ru1 rusage, workers ...*worker) results.Run {
	t.Helper()
	s := &workload.Spec{Name: "paper", Store: storeSpec(t, "memory"), Arrival: "closed"}
	if openLoop {
		s.Arrival = "open"
	}
	r := newRun(Params{Strategy: "paper", Spec: s, Concurrency: conc, Repetition: 1})
	r.workers = workers
	r.opNames = []string{"op"}
	r.rec = newRecorder(max(len(workers), 1), 1, openLoop)
	r.start, r.end = start, end
	r.ru0, r.ru1 = ru0, ru1
	r.tl = &timeline{}
	r.collect()
	return r.res
}

// paperWorkers: two workers, 1,000 window operations of which 150 failed
// (100 store, 50 other), a mean latency of 6.4 ms, 7 drained operations.
func paperWorkers() []*worker {
	return []*worker{
		{windowOps: 600, windowFailed: 100, windowLatSum: 600 * 6_400_000, drained: 5,
			errors:       map[string]int64{"store": 70, "other": 40},
			windowErrors: map[string]int64{"store": 60, "other": 40}},
		{windowOps: 400, windowFailed: 50, windowLatSum: 400 * 6_400_000, drained: 2,
			errors:       map[string]int64{"store": 45, "timeout": 1},
			windowErrors: map[string]int64{"store": 40, "other": 10}},
	}
}

func near(got, want float64) bool { return math.Abs(got-want) <= 1e-9*math.Abs(want) }

// TestCollectFigures: the figures of a run whose counts are known. A 2 s
// window that starts 5 s into the run (so the window is end − start):
// goodput (1000 − 150) / 2 s = 425 ops/s; Little's law over every
// completion, failed or not: 500 completions/s × 6.4 ms / 4 workers = 0.8;
// error rate 150 / 1000 and by kind over the window's failures only;
// CPU 1.5 s user + 0.5 s sys over the 2 s window = 1.0.
func TestCollectFigures(t *testing.T) {
	ru0 := rusage{user: 3 * time.Second, sys: time.Second}
	ru1 := rusage{user: 4500 * time.Millisecond, sys: 1500 * time.Millisecond}
	res := collected(t, false, 4, 5e9, 7e9, ru0, ru1, paperWorkers()...)
	if res.DurationS != 2 {
		t.Errorf("window %v s, want 2", res.DurationS)
	}
	if res.Ops != 1000 || res.FailedOps != 150 || res.DrainedOps != 7 {
		t.Errorf("ops %d, failed %d, drained %d; want 1000, 150, 7", res.Ops, res.FailedOps, res.DrainedOps)
	}
	if !near(res.ThroughputOpsS, 425) {
		t.Errorf("throughput %v ops/s, want goodput 425", res.ThroughputOpsS)
	}
	if !near(res.LittlesLawRatio, 0.8) {
		t.Errorf("Little's law ratio %v, want 0.8", res.LittlesLawRatio)
	}
	if !near(res.ErrorRate, 0.15) {
		t.Errorf("error rate %v, want 0.15", res.ErrorRate)
	}
	if len(res.ErrorRates) != 2 || !near(res.ErrorRates["store"], 0.1) || !near(res.ErrorRates["other"], 0.05) {
		t.Errorf("error rates %v, want store 0.1, other 0.05", res.ErrorRates)
	}
	if want := map[string]int64{"store": 115, "other": 40, "timeout": 1}; !equalCounts(res.Errors, want) {
		t.Errorf("errors %v, want %v (window and drained, every kind)", res.Errors, want)
	}
	if !near(res.Process.CPUUserS, 1.5) || !near(res.Process.CPUSysS, 0.5) || !near(res.Process.CPUUtil, 1) {
		t.Errorf("CPU user %v s, sys %v s, util %v; want 1.5, 0.5, 1", res.Process.CPUUserS, res.Process.CPUSysS, res.Process.CPUUtil)
	}
	if res.PacerLatenessP50Ns != 0 || res.PacerLatenessP99Ns != 0 {
		t.Errorf("closed loop with pacer lateness %d/%d", res.PacerLatenessP50Ns, res.PacerLatenessP99Ns)
	}
	if res.HarnessNsPerOp <= 0 {
		t.Errorf("harness_ns_per_op %v, want the measured cost", res.HarnessNsPerOp)
	}
	// 15% failed: the warning says so, with the failures by kind.
	if !hasWarning(res, "15.0% of operations failed (store: 100, other: 50)") {
		t.Errorf("warnings %q, want the error-rate warning", res.Warnings)
	}
}

func equalCounts(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range b {
		if a[k] != v {
			return false
		}
	}
	return true
}

// TestCollectOpenLoop: an open loop has no fixed population, so no
// Little's law ratio; the pacer's lateness is the median and the 99th
// percentile of every worker's samples together.
func TestCollectOpenLoop(t *testing.T) {
	ws := paperWorkers()
	for i := range int64(200) { // lateness 1..200 µs, dealt to both workers
		ws[i%2].lateness = append(ws[i%2].lateness, (200-i)*1000)
	}
	res := collected(t, true, 4, 0, 2e9, rusage{}, rusage{}, ws...)
	if res.LittlesLawRatio != 0 {
		t.Errorf("open loop: Little's law ratio %v, want none", res.LittlesLawRatio)
	}
	if res.PacerLatenessP50Ns != 101_000 || res.PacerLatenessP99Ns != 199_000 {
		t.Errorf("pacer lateness p50 %d, p99 %d; want 101000, 199000", res.PacerLatenessP50Ns, res.PacerLatenessP99Ns)
	}
	none := []*worker{{windowOps: 1, windowLatSum: 1e6}}
	res = collected(t, true, 1, 0, 2e9, rusage{}, rusage{}, none...)
	if res.PacerLatenessP50Ns != 0 || res.PacerLatenessP99Ns != 0 {
		t.Errorf("no sample: pacer lateness p50 %d, p99 %d; want none", res.PacerLatenessP50Ns, res.PacerLatenessP99Ns)
	}
	one := []*worker{{windowOps: 1, windowLatSum: 1e6, lateness: []int64{7000}}}
	res = collected(t, true, 1, 0, 2e9, rusage{}, rusage{}, one...)
	if res.PacerLatenessP50Ns != 7000 || res.PacerLatenessP99Ns != 7000 {
		t.Errorf("one sample: pacer lateness p50 %d, p99 %d; want 7000 both", res.PacerLatenessP50Ns, res.PacerLatenessP99Ns)
	}
}

// TestCollectDegenerate: a run with an empty window, no completed
// operation or no workers has figures of 0 and says why — never NaN or
// ±Inf, which results.json could not even hold.
func TestCollectDegenerate(t *testing.T) {
	for _, tc := range []struct {
		name       string
		conc       int
		start, end int64
		workers    []*worker
	}{
		{"empty window", 4, 3e9, 3e9, paperWorkers()},
		{"no operation", 4, 0, 2e9, []*worker{{}, {}}},
		{"no workers", 0, 0, 2e9, paperWorkers()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := collected(t, false, tc.conc, tc.start, tc.end, rusage{}, rusage{user: time.Second}, tc.workers...)
			for name, v := range map[string]float64{
				"throughput": res.ThroughputOpsS, "Little's law ratio": res.LittlesLawRatio,
				"error rate": res.ErrorRate, "CPU util": res.Process.CPUUtil,
			} {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Errorf("%s = %v", name, v)
				}
			}
			if tc.end == tc.start && (res.ThroughputOpsS != 0 || res.LittlesLawRatio != 0 || res.Process.CPUUtil != 0) {
				t.Errorf("empty window: throughput %v, ratio %v, CPU util %v", res.ThroughputOpsS, res.LittlesLawRatio, res.Process.CPUUtil)
			}
			if res.Ops == 0 && (res.ErrorRates != nil || !hasWarning(res, "no operation completed")) {
				t.Errorf("no operation: error rates %v, warnings %q", res.ErrorRates, res.Warnings)
			}
		})
	}
}
