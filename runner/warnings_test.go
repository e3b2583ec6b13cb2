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

// TestErrorRateWarning: the warning fires above 1% of failed operations —
// not at 1% — with the failures by kind, largest first; a run whose every
// operation failed is a failed run, which says so itself.
func TestErrorRateWarning(t *testing.T) {
	run := func(failed int64, rates map[string]float64) *results.Run {
		return &results.Run{Ops: 1000, FailedOps: failed, ErrorRate: float64(failed) / 1000, ErrorRates: rates, DurationS: 1,
			Latency: map[string]results.Latency{"all": {P50Ns: 1e6, P99Ns: 2e6}}}
	}
	for _, tc := range []struct {
		name string
		run  *results.Run
		want string // "" for no warning
	}{
		{"2% failed", run(20, map[string]float64{"other": 0.005, "store": 0.015}), "2.0% of operations failed (store: 15, other: 5): throughput counts only the successful ones"},
		{"exactly 1%", run(10, map[string]float64{"store": 0.01}), ""},
		{"0.5%", run(5, map[string]float64{"store": 0.005}), ""},
		{"all failed", run(1000, map[string]float64{"store": 1}), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := runWarnings(tc.run)
			switch {
			case tc.want == "" && len(got) != 0:
				t.Errorf("false warnings %q", got)
			case tc.want != "" && (len(got) != 1 || !strings.Contains(got[0], tc.want)):
				t.Errorf("warnings %q, want one containing %q", got, tc.want)
			}
		})
	}
}

// TestRoundDuration: two or three significant figures at every scale, so
// one caveat repeated over runs reads the same.
func TestRoundDuration(t *testing.T) {
	for ns, want := range map[int64]string{
		1_234_567_891: "1.2s",
		123_456_789:   "120ms",
		12_345_678:    "12.3ms",
		1_234_567:     "1.23ms",
		123_456:       "120µs",
	} {
		if got := roundDuration(ns).String(); got != want {
			t.Errorf("roundDuration(%d) = %s, want %s", ns, got, want)
		}
	}
}
