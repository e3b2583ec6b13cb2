package analysis

import (
	"strings"
	"testing"

	"lockbench/results"
)

func TestWarnings(t *testing.T) {
	healthy := func() []results.Run { return cellRuns("w", 4, "s", 100, 101, 102, 103) }
	tests := []struct {
		name     string
		runs     []results.Run
		edit     func(r *results.Run) // applied to the first run
		wantKind string               // "" for none
		wantRep  int
	}{
		{"healthy", healthy(), nil, "", 0},
		{"few samples", cellRuns("w", 4, "s", 100, 101, 102), nil, KindFewSamples, cellWide},
		{"wide spread", cellRuns("w", 4, "s", 100, 130, 70, 100), nil, KindSpread, cellWide},
		{"little's law low", healthy(), func(r *results.Run) { r.LittlesLawRatio = 0.85 }, KindLittlesLaw, 0},
		{"little's law high", healthy(), func(r *results.Run) { r.LittlesLawRatio = 1.2 }, KindLittlesLaw, 0},
		{"little's law ignored open loop", healthy(), func(r *results.Run) { r.LittlesLawRatio = 0.5; r.Arrival = "open" }, "", 0},
		{"store slow", healthy(), func(r *results.Run) {
			r.Store = results.StoreFigures{Ops: 10, ConfiguredLatencyNs: 1e6, LatencyMeanNs: 1.2e6, LatencyP50Ns: 1.2e6}
		}, KindStoreLatency, 0},
		{"store fast", healthy(), func(r *results.Run) {
			r.Store = results.StoreFigures{Ops: 10, ConfiguredLatencyNs: 10e6, LatencyMeanNs: 8e6, LatencyP50Ns: 8e6}
		}, KindStoreLatency, 0},
		{"store off by 20% but 20µs", healthy(), func(r *results.Run) {
			r.Store = results.StoreFigures{Ops: 10, ConfiguredLatencyNs: 100e3, LatencyMeanNs: 120e3}
		}, "", 0},
		{"store off by 200µs but 2%", healthy(), func(r *results.Run) {
			r.Store = results.StoreFigures{Ops: 10, ConfiguredLatencyNs: 10e6, LatencyMeanNs: 10.2e6}
		}, "", 0},
		// dist=exp: the median is ln 2 × the mean; the mean is on time.
		{"exponential store on time", healthy(), func(r *results.Run) {
			r.Store = results.StoreFigures{Ops: 100_000, ConfiguredLatencyNs: 1e6, LatencyMeanNs: 1.01e6,
				LatencyStddevNs: 1e6, LatencyP50Ns: 774e3, LatencyP99Ns: 4.6e6}
		}, "", 0},
		{"exponential store slow", healthy(), func(r *results.Run) {
			r.Store = results.StoreFigures{Ops: 100_000, ConfiguredLatencyNs: 1e6, LatencyMeanNs: 1.2e6,
				LatencyStddevNs: 1.2e6, LatencyP50Ns: 830e3, LatencyP99Ns: 5.5e6}
		}, KindStoreLatency, 0},
		// 100 calls of an exponential delay: the mean's standard error is
		// 10%, so 15% off is noise, not a slow store.
		{"exponential store, few calls", healthy(), func(r *results.Run) {
			r.Store = results.StoreFigures{Ops: 100, ConfiguredLatencyNs: 1e6, LatencyMeanNs: 1.15e6,
				LatencyStddevNs: 1e6, LatencyP50Ns: 800e3}
		}, "", 0},
		// Results written before the mean was measured have no mean:
		// nothing to compare like with like.
		{"no realised mean", healthy(), func(r *results.Run) {
			r.Store = results.StoreFigures{Ops: 100, ConfiguredLatencyNs: 1e6, LatencyP50Ns: 774e3}
		}, "", 0},
		{"failed", healthy(), func(r *results.Run) { r.Status = results.StatusFailed; r.Reason = "boom" }, KindFailed, 0},
		{"interrupted", healthy(), func(r *results.Run) { r.Status = results.StatusInterrupted }, KindInterrupted, 0},
		{"run warning", healthy(), func(r *results.Run) { r.Warnings = []string{"timer resolution coarse"} }, KindRun, 0},
		{"censored", healthy(), func(r *results.Run) { r.CensoredOps = 3 }, KindCensored, 0},
		{"pacer late", healthy(), func(r *results.Run) { r.Arrival = "open"; r.PacerLatenessP50Ns = 250e3 }, KindPacerLateness, 0},
		{"pacer on time", healthy(), func(r *results.Run) { r.Arrival = "open"; r.PacerLatenessP50Ns = 50e3 }, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			runs := tc.runs
			if tc.edit != nil {
				tc.edit(&runs[0])
			}
			// Three concurrency levels, so no USL warning interferes.
			f := file(runs, cellRuns("w", 1, "s", 50, 50, 50, 50), cellRuns("w", 16, "s", 200, 200, 200, 200))
			var got []Warning
			for _, w := range Warnings(f) {
				// A failed run leaves 3 ok runs behind: that caveat is
				// real but not the one under test.
				if w.Kind == KindFewSamples && tc.wantKind != KindFewSamples {
					continue
				}
				got = append(got, w)
			}
			if tc.wantKind == "" {
				if len(got) != 0 {
					t.Errorf("want no warnings, got %+v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("want one %s warning, got %+v", tc.wantKind, got)
			}
			w := got[0]
			if w.Kind != tc.wantKind || w.Repetition != tc.wantRep || w.Workload != "w" || w.Strategy != "s" || w.Concurrency != 4 || w.Message == "" {
				t.Errorf("got %+v, want kind %s repetition %d on w/4/s with a message", w, tc.wantKind, tc.wantRep)
			}
		})
	}
}

func TestWarningsUSLNotFitted(t *testing.T) {
	f := file(cellRuns("w", 1, "s", 1, 1, 1, 1), cellRuns("w", 2, "s", 2, 2, 2, 2))
	ws := Warnings(f)
	if len(ws) != 1 || ws[0].Kind != KindUSLNotFitted || ws[0].Concurrency != 0 || ws[0].Repetition != cellWide {
		t.Errorf("got %+v, want one %s warning for the whole (workload, strategy)", ws, KindUSLNotFitted)
	}
}

func TestWarningsSorted(t *testing.T) {
	f := file(cellRuns("b", 4, "s", 1), cellRuns("a", 8, "s", 1), cellRuns("a", 2, "t", 1))
	ws := Warnings(f)
	for i := 1; i < len(ws); i++ {
		a, b := ws[i-1], ws[i]
		if a.Workload > b.Workload || (a.Workload == b.Workload && a.Concurrency > b.Concurrency) {
			t.Errorf("warnings out of order: %+v before %+v", a, b)
		}
	}
}

// TestWarningMessages pins the figures each warning prints: a warning
// exists to say by how much a figure is off.
func TestWarningMessages(t *testing.T) {
	healthy := func() []results.Run { return cellRuns("w", 4, "s", 100, 101, 102, 103) }
	tests := []struct {
		name string
		runs []results.Run
		edit func(r *results.Run)
		kind string
		want string
	}{
		{"little's law", healthy(), func(r *results.Run) { r.LittlesLawRatio = 0.854 }, KindLittlesLaw,
			"Little's law ratio 0.85 below 0.9: the clients spent at least 15% of their time outside operations"},
		{"store slow", healthy(), func(r *results.Run) {
			r.Store = results.StoreFigures{Ops: 10, ConfiguredLatencyNs: 1e6, LatencyMeanNs: 1.25e6}
		}, KindStoreLatency, "realised store latency mean 1.25ms is +25% off the configured mean 1ms"},
		{"store slow, scheduler busy", healthy(), func(r *results.Run) {
			r.Store = results.StoreFigures{Ops: 10, ConfiguredLatencyNs: 1e6, LatencyMeanNs: 1.25e6}
			r.Runtime.SchedLatencyP99Ns = 250e3
		}, KindStoreLatency, "realised store latency mean 1.25ms is +25% off the configured mean 1ms; the runtime's scheduling latency p99 was 250µs: calls whose delay had ended waited that long for a CPU"},
		{"store fast", healthy(), func(r *results.Run) {
			r.Store = results.StoreFigures{Ops: 10, ConfiguredLatencyNs: 10e6, LatencyMeanNs: 8e6}
		}, KindStoreLatency, "realised store latency mean 8ms is -20% off the configured mean 10ms"},
		{"censored", healthy(), func(r *results.Run) { r.CensoredOps = 3 }, KindCensored,
			"3 operation(s) still in flight when measuring ended (censored)"},
		{"pacer", healthy(), func(r *results.Run) { r.Arrival = "open"; r.PacerLatenessP50Ns = 250e3 }, KindPacerLateness,
			"pacer lateness p50 250µs above 100µs"},
		{"failed", healthy(), func(r *results.Run) { r.Status = results.StatusFailed; r.Reason = "boom" }, KindFailed, "run failed: boom"},
		{"failed without reason", healthy(), func(r *results.Run) { r.Status = results.StatusFailed }, KindFailed, "run failed: no reason given"},
		{"few samples", cellRuns("w", 4, "s", 100, 101, 102), nil, KindFewSamples,
			"3 run(s): a Mann–Whitney test needs at least 4 per side to reach p<0.05"},
		// ±30 around 100 on two of four: standard deviation √600 = 24.5.
		{"spread", cellRuns("w", 4, "s", 100, 130, 70, 100), nil, KindSpread,
			"throughput varies by 24% (coefficient of variation) across 4 repetitions"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.edit != nil {
				tc.edit(&tc.runs[0])
			}
			f := file(tc.runs, cellRuns("w", 1, "s", 50, 50, 50, 50), cellRuns("w", 16, "s", 200, 200, 200, 200))
			var msgs []string
			for _, w := range Warnings(f) {
				if w.Kind == tc.kind {
					msgs = append(msgs, w.Message)
				}
			}
			if len(msgs) != 1 || !strings.HasPrefix(msgs[0], tc.want) {
				t.Errorf("%s warnings %q, want one starting %q", tc.kind, msgs, tc.want)
			}
		})
	}
}

// TestStoreLatencyCauseOnlyWhenItCovers: the scheduler is named as the
// cause of a slow store only when its p99 wait covers the mean's excess,
// and never for a store faster than configured.
func TestStoreLatencyCauseOnlyWhenItCovers(t *testing.T) {
	for _, tc := range []struct {
		meanNs, schedNs int64
		cause           bool
	}{{1.25e6, 250e3, true}, {1.25e6, 249e3, false}, {0.75e6, 5e6, false}} {
		r := results.Run{Workload: "w", Strategy: "s", Concurrency: 4, Status: results.StatusOK,
			Store:   results.StoreFigures{Ops: 10, ConfiguredLatencyNs: 1e6, LatencyMeanNs: tc.meanNs},
			Runtime: results.Runtime{SchedLatencyP99Ns: tc.schedNs}}
		var msg string
		for _, w := range runWarnings(r) {
			if w.Kind == KindStoreLatency {
				msg = w.Message
			}
		}
		if msg == "" || strings.Contains(msg, "scheduling latency") != tc.cause {
			t.Errorf("mean %d ns, scheduler p99 %d ns: %q, want the scheduler named: %v", tc.meanNs, tc.schedNs, msg, tc.cause)
		}
	}
}

// TestLittlesLawWithoutFigures: a run without clients or without a window
// gets no allowance from figures it lacks: no concurrency, no check (the
// ratio has nothing to compare with); no window, no edges to excuse.
func TestLittlesLawWithoutFigures(t *testing.T) {
	count := func(r results.Run) (n int, msg string) {
		for _, w := range runWarnings(r) {
			if w.Kind == KindLittlesLaw {
				n, msg = n+1, w.Message
			}
		}
		return n, msg
	}
	r := okRun("w", 4, "s", 0, 1000)
	r.LittlesLawRatio, r.Concurrency = 0.5, 0
	if n, msg := count(r); n != 0 {
		t.Errorf("no concurrency: %d warning(s) %q, want none", n, msg)
	}
	r = okRun("w", 4, "s", 0, 1000)
	r.LittlesLawRatio, r.DurationS = 1.5, 0
	all := r.Latency["all"]
	all.MaxNs = 1e9
	r.Latency = map[string]results.Latency{"all": all}
	want := "Little's law ratio 1.50 above 1.1: throughput × (mean latency + think time) is more than the 4 clients, beyond what operations cut by the window's edges add (at most 0.00, "
	if n, msg := count(r); n != 1 || !strings.HasPrefix(msg, want) {
		t.Errorf("no window: %d warning(s) %q, want one starting %q", n, msg, want)
	}
	// A 2 s window and a slowest operation of 0.5 s: edges of 0.25.
	r.DurationS, r.LittlesLawRatio = 2, 1.5
	all.MaxNs = 0.5e9
	r.Latency = map[string]results.Latency{"all": all}
	want = "Little's law ratio 1.50 above 1.1: throughput × (mean latency + think time) is more than the 4 clients, beyond what operations cut by the window's edges add (at most 0.25, "
	if n, msg := count(r); n != 1 || !strings.HasPrefix(msg, want) {
		t.Errorf("edges of 0.25: %d warning(s) %q, want one starting %q", n, msg, want)
	}
}
