package report

import (
	"math"
	"testing"

	"lockbench/analysis"
)

func TestFormatters(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"SI thousands", formatSI(12345), "12.3k"},
		{"SI below 1k", formatSI(950), "950"},
		{"SI rounding up to the next prefix", formatSI(999.96), "1.00k"},
		{"SI millions", formatSI(2.5e6), "2.50M"},
		{"SI NaN", formatSI(math.NaN()), notAvailable},
		{"seconds µs", formatSeconds(81e-6), "81.0µs"},
		{"seconds ms", formatSeconds(0.00123), "1.23ms"},
		{"seconds ns", formatSeconds(950e-9), "950ns"},
		{"seconds zero", formatSeconds(0), "0"},
		{"bytes MiB", formatBytes(12.3 * (1 << 20)), "12.3 MiB"},
		{"bytes small", formatBytes(512), "512 B"},
		{"ratio", formatRatio(3.1), "×3.10"},
		{"p tiny", formatP(0.0001), "p<0.001"},
		{"p", formatP(0.0079), "p=0.008"},
		{"share zero", formatShare(0), "0%"},
		{"share tiny", formatShare(0.0004), "<0.1%"},
		{"share small", formatShare(0.034), "3.4%"},
		{"share large", formatShare(0.955), "96%"},
		{"share NaN", formatShare(math.NaN()), notAvailable},
		{"CI infinite", formatCI(analysis.Summary{Center: 10, Lo: math.Inf(-1), Hi: math.Inf(1)}), "± ∞"},
		{"CI", formatCI(analysis.Summary{Center: 100, Lo: 97, Hi: 104}), "± 4.0%"},
		{"plural one", plural(1, "anomaly"), "1 anomaly"},
		{"plural y", plural(3, "anomaly"), "3 anomalies"},
		{"plural", plural(2, "run"), "2 runs"},
		{"kappa tiny", formatSmall(3e-19), "≈0"},
		{"kappa", formatSmall(2.5e-4), "2.50e-04"},
		{"sigma", formatSmall(0.956), "0.956"},
		{"tick k", tickLabel(2000), "2k"},
		{"tick fraction", tickLabel(0.30000000000000004), "0.3"},
		{"tick 1.5k", tickLabel(1500), "1.5k"},
		{"slug", slug("Workload: same-context-update"), "workload-same-context-update"},
		{"file stem", fileStem("my workload/v2"), "my-workload-v2"},
		{"bench name", benchName("a b/c=d"), "a_b_c_d"},
		{"md escape keeps words", mdEscape("store_divergence p<0.05 [no CI]"), "store_divergence p<0.05 [no CI]"},
		{"md escape syntax", mdEscape("a|b *c* _d_ <b>"), `a\|b \*c\* \_d\_ \<b>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}

func TestFormatComparison(t *testing.T) {
	finite := analysis.Comparison{
		Base: analysis.Summary{Center: 100, Lo: 90, Hi: 110}, New: analysis.Summary{Center: 300, Lo: 280, Hi: 320},
		Ratio: 3, P: 0.002, Significant: true,
	}
	if got, want := formatComparison(finite), "×3.00 [2.55–3.56], p=0.002"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	few := analysis.Comparison{
		Base: analysis.Summary{Center: 100, Lo: math.Inf(-1), Hi: math.Inf(1)}, New: analysis.Summary{Center: 101, Lo: math.Inf(-1), Hi: math.Inf(1)},
		Ratio: 1.01, P: 0.7, Note: analysis.NoteFewSamples,
	}
	if got, want := formatComparison(few), "~ ×1.01 [no CI], p=0.700, not enough samples"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSpectrumX(t *testing.T) {
	for _, tc := range []struct {
		percentile, want float64
		ok               bool
	}{{0, 1, true}, {90, 10, true}, {99, 100, true}, {99.9, 1000, true}, {100, 0, false}, {-1, 0, false}} {
		got, ok := spectrumX(tc.percentile)
		if ok != tc.ok || (ok && math.Abs(got-tc.want) > 1e-6*tc.want) {
			t.Errorf("spectrumX(%g) = %g, %v; want %g, %v", tc.percentile, got, ok, tc.want, tc.ok)
		}
	}
}

func TestStylesStableAndDistinct(t *testing.T) {
	a := styles([]string{"naive", "refactored", "sharded", "alpha", "beta"})
	b := styles([]string{"sharded", "alpha", "beta"})
	if a["sharded"] != b["sharded"] || a["alpha"] != b["alpha"] {
		t.Error("a strategy's style depends on which other built-in strategies are present")
	}
	seen := map[seriesStyle]string{}
	for name, st := range a {
		if other, dup := seen[st]; dup {
			t.Errorf("%s and %s share a style", name, other)
		}
		seen[st] = name
	}
	if a["naive"] != fixedStyles["naive"] {
		t.Error("naive does not have its fixed style")
	}
}

func TestCellWarningTexts(t *testing.T) {
	w := func(rep int, kind, msg string) analysis.Warning {
		return analysis.Warning{Strategy: "naive", Concurrency: 8, Repetition: rep, Kind: kind, Message: msg}
	}
	tests := []struct {
		name string
		in   []analysis.Warning
		want []string
	}{
		{"one", []analysis.Warning{w(2, "littles-law", "ratio 0.82 outside 0.9–1.1")}, []string{"repetition 2: ratio 0.82 outside 0.9–1.1"}},
		{"figures differ", []analysis.Warning{
			w(1, "littles-law", "ratio 0.82 outside 0.9–1.1"),
			w(2, "littles-law", "ratio 0.85 outside 0.9–1.1"),
			w(3, "littles-law", "ratio 1.20 outside 0.9–1.1"),
		}, []string{"repetitions 1–3: ratio 0.82, 0.85, 1.20 outside 0.9–1.1"}},
		{"same message", []analysis.Warning{w(1, "run", "store slow"), w(3, "run", "store slow")}, []string{"repetitions 1, 3: store slow"}},
		{"different messages of one kind stay apart", []analysis.Warning{
			w(1, "run", "only 13 operations measured: percentiles are coarse"),
			w(1, "run", "Little's law ratio 0.85 is outside 0.9–1.1"),
		}, []string{"repetition 1: only 13 operations measured: percentiles are coarse", "repetition 1: Little's law ratio 0.85 is outside 0.9–1.1"}},
		{"cell-wide", []analysis.Warning{w(-1, "spread", "throughput varies by 32%")}, []string{"throughput varies by 32%"}},
		{"brackets around the figures stay outside the list", []analysis.Warning{
			w(1, "run", "the slowest operations (p99 190ms) last more than half the 250ms measured window"),
			w(4, "run", "the slowest operations (p99 130ms) last more than half the 250ms measured window"),
		}, []string{"repetitions 1, 4: the slowest operations (p99 190ms, 130ms) last more than half the 250ms measured window"}},
		{"figures differing in two places stay apart", []analysis.Warning{
			w(1, "run", "the slowest operations (p99 230ms) last more than half the 290ms measured window, whose edges cut them and bias throughput; lengthen --duration"),
			w(3, "run", "the slowest operations (p99 180ms) last more than half the 250ms measured window, whose edges cut them and bias throughput; lengthen --duration"),
		}, []string{
			"repetition 1: the slowest operations (p99 230ms) last more than half the 290ms measured window, whose edges cut them and bias throughput; lengthen --duration",
			"repetition 3: the slowest operations (p99 180ms) last more than half the 250ms measured window, whose edges cut them and bias throughput; lengthen --duration",
		}},
		{"a figure with its sign", []analysis.Warning{
			w(1, "store-latency", "realised store latency mean 1.2ms is +21% off the configured mean 1ms"),
			w(2, "store-latency", "realised store latency mean 2.55ms is +155% off the configured mean 1ms"),
		}, []string{"repetitions 1, 2: realised store latency mean 1.2ms is +21%, 2.55ms is +155% off the configured mean 1ms"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := cellWarningTexts(tc.in)
			if len(got) != len(tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("text %d = %q, want %q", i, got[i], tc.want[i])
				}
			}
		})
	}
}
