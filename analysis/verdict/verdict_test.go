package verdict

import (
	"errors"
	"math"
	"testing"

	"lockbench/analysis"
	"lockbench/results"
)

func TestAdjust(t *testing.T) {
	// The example of Benjamini and Hochberg's method as R's p.adjust(…,
	// "BH") gives it; order of the input kept, NaN left alone.
	ps := []float64{0.039, 0.001, 0.008, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216, math.NaN()}
	want := []float64{0.084, 0.01, 0.04, 0.084, 0.084, 0.1, 0.105714, 0.216, 0.216, 0.216, math.NaN()}
	got := Adjust(ps)
	for i := range want {
		if math.IsNaN(want[i]) != math.IsNaN(got[i]) || (!math.IsNaN(want[i]) && math.Abs(got[i]-want[i]) > 1e-6) {
			t.Errorf("Adjust[%d] = %g, want %g", i, got[i], want[i])
		}
	}
}

func run(strategy string, rep int, tput float64) results.Run {
	return results.Run{
		Workload: "w", Concurrency: 4, Strategy: strategy, Repetition: rep, Status: results.StatusOK,
		Ops: int64(tput), ThroughputOpsS: tput,
		Consistency: results.Consistency{Checked: true, Anomalies: map[string]int64{}},
	}
}

func cell(strategy string, tputs ...float64) []results.Run {
	var out []results.Run
	for i, v := range tputs {
		out = append(out, run(strategy, i, v))
	}
	return out
}

func fileOf(cells ...[]results.Run) *results.File {
	f := &results.File{Schema: results.Schema}
	for _, c := range cells {
		f.Runs = append(f.Runs, c...)
	}
	return f
}

func TestVerdicts(t *testing.T) {
	six := []float64{1000, 1010, 1020, 1030, 1040, 1050}
	scaled := func(f float64, vs []float64) []float64 {
		out := make([]float64, len(vs))
		for i, v := range vs {
			out[i] = v * f
		}
		return out
	}
	tests := []struct {
		name     string
		old, new []float64
		want     string
	}{
		{"regression", six, scaled(0.8, six), Regression},
		{"improvement", six, scaled(1.2, six), Improvement},
		{"changed within the threshold", six, scaled(0.97, six), Changed},
		{"no change", six, six, NoChange},
		{"inconclusive", six[:2], scaled(0.5, six[:2]), Inconclusive},
		{"few samples, better", six[:2], scaled(2, six[:2]), FewSamples},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Compare(fileOf(cell("s", tc.old...)), fileOf(cell("s", tc.new...)),
				Options{Metrics: []analysis.Metric{analysis.Throughput}, Threshold: 0.05})
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Deltas) != 1 || c.Deltas[0].Verdict != tc.want {
				t.Fatalf("deltas %+v, want one %q", c.Deltas, tc.want)
			}
			if tc.want == Inconclusive && c.Deltas[0].NeededReps != 4 {
				t.Errorf("needed repetitions %d, want 4", c.Deltas[0].NeededReps)
			}
		})
	}
}

// The correction matters: a lone change with p just under 0.05 among
// many unchanged cells is not significant once adjusted.
func TestCompareAdjustsOverTheFamily(t *testing.T) {
	old := fileOf(cell("a", 1000, 1010, 1020, 1030, 1040, 1050))
	new := fileOf(cell("a", 990, 1000, 1005, 1008, 1009, 1012))
	for _, s := range []string{"b", "c", "d", "e", "f", "g", "h", "i", "j"} {
		old.Runs = append(old.Runs, cell(s, 1000, 1010, 1020, 1030, 1040, 1050)...)
		new.Runs = append(new.Runs, cell(s, 1050, 1040, 1030, 1020, 1010, 1000)...)
	}
	c, err := Compare(old, new, Options{Metrics: []analysis.Metric{analysis.Throughput}})
	if err != nil {
		t.Fatal(err)
	}
	d := c.Deltas[0]
	if !(d.P < analysis.Alpha) || d.PAdjusted < analysis.Alpha || d.Verdict == Regression {
		t.Errorf("lone change p=%.3f adjusted %.3f verdict %q: want significant alone, not after adjustment", d.P, d.PAdjusted, d.Verdict)
	}
}

func TestCorrectnessVerdicts(t *testing.T) {
	withKind := func(runs []results.Run, kind string) []results.Run {
		for i := range runs {
			runs[i].Consistency.Anomalies = map[string]int64{kind: 1}
		}
		return runs
	}
	unchecked := func(runs []results.Run) []results.Run {
		for i := range runs {
			runs[i].Consistency = results.Consistency{}
		}
		return runs
	}
	tests := []struct {
		name     string
		old, new []results.Run
		want     string
	}{
		{"clean", cell("s", 1, 2, 3), cell("s", 1, 2, 3), Clean},
		{"new kind", cell("s", 1, 2, 3), withKind(cell("s", 1, 2, 3), "zombie"), CorrectnessRegression},
		{"another kind", withKind(cell("s", 1, 2, 3), "zombie"), withKind(cell("s", 1, 2, 3), "lost_refresh"), CorrectnessRegression},
		{"same kind", withKind(cell("s", 1, 2, 3), "zombie"), withKind(cell("s", 1, 2, 3), "zombie"), StillBroken},
		{"fixed", withKind(cell("s", 1, 2, 3), "zombie"), cell("s", 1, 2, 3), Fixed},
		{"new unchecked", cell("s", 1, 2, 3), unchecked(cell("s", 1, 2, 3)), NewUnchecked},
		{"old unchecked", unchecked(cell("s", 1, 2, 3)), cell("s", 1, 2, 3), OldUnchecked},
		{"old unchecked, new broken", unchecked(cell("s", 1, 2, 3)), withKind(cell("s", 1, 2, 3), "zombie"), CorrectnessRegression},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Compare(fileOf(tc.old), fileOf(tc.new), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Correctness[0].Verdict; got != tc.want {
				t.Errorf("verdict %q, want %q", got, tc.want)
			}
			if fails := !c.Gate(true).Pass; fails != (tc.want == CorrectnessRegression) {
				t.Errorf("gate fails = %v for %q", fails, tc.want)
			}
		})
	}
}

func TestParseMap(t *testing.T) {
	pairs, err := ParseMap(" naive=sharded, refactored = mine ")
	if err != nil || len(pairs) != 2 || pairs[0] != (Pair{"naive", "sharded"}) || pairs[1] != (Pair{"refactored", "mine"}) {
		t.Errorf("ParseMap = %v, %v", pairs, err)
	}
	for _, bad := range []string{"", "naive", "=x", "x=", "a=b,a=c"} {
		if _, err := ParseMap(bad); !errors.Is(err, ErrMap) {
			t.Errorf("ParseMap(%q): %v, want ErrMap", bad, err)
		}
	}
}

// The threshold is exclusive on both sides and in both directions of
// better: a change of exactly the threshold is neither worse nor better.
func TestThresholdBoundaries(t *testing.T) {
	higher, lower := analysis.Throughput, analysis.LatencyP99
	tests := []struct {
		m                analysis.Metric
		ratio, threshold float64
		worse, better    bool
	}{
		{higher, 1, 0, false, false},
		{lower, 1, 0, false, false},
		{higher, 0.5, 0, true, false},
		{lower, 1.5, 0, true, false},
		{higher, 1.5, 0, false, true},
		{lower, 0.5, 0, false, true},
		{higher, 0.98, 0.05, false, false},
		{higher, 1.02, 0.05, false, false},
		{lower, 0.98, 0.05, false, false},
		{lower, 1.02, 0.05, false, false},
		{higher, 0.9, 0.05, true, false},
		{lower, 0.9, 0.05, false, true},
		{higher, math.NaN(), 0, false, false},
	}
	for _, tc := range tests {
		if got := worseBy(tc.m, tc.ratio, tc.threshold); got != tc.worse {
			t.Errorf("worseBy(%s, %g, %g) = %v, want %v", tc.m.Name, tc.ratio, tc.threshold, got, tc.worse)
		}
		if got := betterBy(tc.m, tc.ratio, tc.threshold); got != tc.better {
			t.Errorf("betterBy(%s, %g, %g) = %v, want %v", tc.m.Name, tc.ratio, tc.threshold, got, tc.better)
		}
	}
}

// Only failing verdicts fail the gate, with or without inconclusive
// cells accepted.
func TestGatePasses(t *testing.T) {
	six := []float64{1000, 1010, 1020, 1030, 1040, 1050}
	for _, new := range [][]float64{six, {1200, 1212, 1224, 1236, 1248, 1260}} {
		c, err := Compare(fileOf(cell("s", six...)), fileOf(cell("s", new...)), Options{Threshold: 0.05})
		if err != nil {
			t.Fatal(err)
		}
		for _, allow := range []bool{false, true} {
			if g := c.Gate(allow); !g.Pass || len(g.Reasons) != 0 {
				t.Errorf("new %v, allow inconclusive %v: gate %+v, want a pass", new, allow, g)
			}
		}
	}
}
