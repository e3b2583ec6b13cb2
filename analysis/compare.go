package analysis

import (
	"math"
	"slices"
	"sync"

	"golang.org/x/perf/benchmath"
	"gonum.org/v1/gonum/stat"

	"lockbench/results"
)

// Alpha is the significance level: a difference is significant when the
// Mann–Whitney U test gives p < Alpha.
const Alpha = 0.05

// Confidence is the level of every confidence interval.
const Confidence = 0.95

// RepsForCI is the smallest sample for which benchmath gives a finite 95%
// confidence interval of the median (with 5, the interval is unbounded).
const RepsForCI = 6

// Notes of a comparison that is not significant.
const (
	// NoteNoChange: the test had enough samples to see a difference and saw
	// none (benchstat's "~").
	NoteNoChange = "~"
	// NoteFewSamples: the samples are too small for the U test ever to
	// reach p < Alpha (3 against 3 cannot go below p = 0.1), so "no change"
	// would be a claim the data cannot support.
	NoteFewSamples = "not enough samples"
)

// Summary describes one side of a comparison.
type Summary struct {
	// Center is the median.
	Center float64
	// Lo and Hi bound a 95% confidence interval of the median. With fewer
	// than 6 samples no such interval exists and Lo is -Inf or Hi is +Inf
	// (or both): say "∞", as benchstat does.
	Lo, Hi float64
	// N is the number of samples.
	N int
}

// Comparison is one strategy against the baseline on one cell and metric.
type Comparison struct {
	Workload    string
	Concurrency int
	Strategy    string
	Baseline    string
	Metric      string
	Base, New   Summary
	// Ratio is New.Center / Base.Center.
	Ratio float64
	// P is the two-sided p-value of the Mann–Whitney U test.
	P float64
	// Significant is P < Alpha.
	Significant bool
	// Note is "" when significant, otherwise NoteNoChange or
	// NoteFewSamples.
	Note string
}

// CompareToBaseline compares every strategy with baseline on m, for each
// (workload, concurrency) where both have successful runs. The result is
// sorted by workload, concurrency, strategy; the baseline is not compared
// with itself.
func CompareToBaseline(f *results.File, baseline string, m Metric) []Comparison {
	cells := Cells(f)
	var out []Comparison
	for _, k := range SortedKeys(cells) {
		if k.Strategy == baseline {
			continue
		}
		baseKey := CellKey{Workload: k.Workload, Concurrency: k.Concurrency, Strategy: baseline}
		baseRuns, ok := cells[baseKey]
		if !ok {
			continue
		}
		r, ok := CompareSamples(Values(baseRuns, m), Values(cells[k], m))
		if !ok {
			continue
		}
		out = append(out, Comparison{
			Workload: k.Workload, Concurrency: k.Concurrency, Strategy: k.Strategy,
			Baseline: baseline, Metric: m.Name,
			Base: r.Old, New: r.New, Ratio: r.Ratio, P: r.P,
			Significant: r.Significant, Note: r.Note,
		})
	}
	return out
}

// GeoMeanRatio is the geometric mean of the ratios of cs, the one-number
// summary benchstat prints: a strategy twice as fast on one of n cells moves
// it by the n-th root of 2. Cells whose ratio is not a positive finite
// number (a zero baseline) are left out; NaN when none is left.
func GeoMeanRatio(cs []Comparison) float64 {
	ratios := make([]float64, 0, len(cs))
	for _, c := range cs {
		ratios = append(ratios, c.Ratio)
	}
	return GeoMean(ratios)
}

// GeoMean is the geometric mean of the positive finite values of vs (the
// others, zeros and infinities, have no logarithm); NaN when there are none.
func GeoMean(vs []float64) float64 {
	var usable []float64
	for _, v := range vs {
		if v > 0 && !math.IsInf(v, 0) {
			usable = append(usable, v)
		}
	}
	if len(usable) == 0 {
		return math.NaN()
	}
	return stat.GeometricMean(usable, nil)
}

// SampleTest is the comparison of two samples of one metric: each side's
// median with its confidence interval, the ratio of the medians and the
// Mann–Whitney U test of their difference.
type SampleTest struct {
	Old, New Summary
	// Ratio is New.Center / Old.Center.
	Ratio float64
	// P is the two-sided p-value of the Mann–Whitney U test.
	P float64
	// Significant is P < Alpha.
	Significant bool
	// Note is "" when significant, otherwise NoteNoChange or
	// NoteFewSamples.
	Note string
}

// CompareSamples summarises both samples and tests their difference the way
// benchstat does. ok is false when either side is empty.
func CompareSamples(oldValues, newValues []float64) (SampleTest, bool) {
	if len(oldValues) == 0 || len(newValues) == 0 {
		return SampleTest{}, false
	}
	thresholds := benchmath.Thresholds{CompareAlpha: Alpha}
	// NewSample sorts in place; the callers' slices stay theirs.
	oldSample := benchmath.NewSample(slices.Clone(oldValues), &thresholds)
	newSample := benchmath.NewSample(slices.Clone(newValues), &thresholds)
	c := SampleTest{
		Old: summarize(oldSample),
		New: summarize(newSample),
		P:   benchmath.AssumeNothing.Compare(oldSample, newSample).P,
	}
	c.Ratio = c.New.Center / c.Old.Center
	switch {
	case c.P < Alpha:
		c.Significant = true
	case !CanReachAlpha(len(oldValues), len(newValues)):
		c.Note = NoteFewSamples
	default:
		c.Note = NoteNoChange
	}
	return c, true
}

func summarize(s *benchmath.Sample) Summary {
	sum := benchmath.AssumeNothing.Summary(s, Confidence)
	return Summary{Center: sum.Center, Lo: sum.Lo, Hi: sum.Hi, N: len(s.Values)}
}

// minP caches MinP by sample sizes.
var minP sync.Map // [2]int → float64

// CanReachAlpha reports whether the U test on samples of sizes n1 and n2 can
// give p < Alpha at all. It asks benchmath for the p of the most extreme
// outcome, two completely separated samples: if even that is not
// significant, no data of these sizes can be.
func CanReachAlpha(n1, n2 int) bool {
	return MinP(n1, n2) < Alpha
}

// MinP is the smallest two-sided p-value the U test can give on samples of
// sizes n1 and n2: that of two completely separated samples (2/C(n1+n2, n1)
// without ties; 0.1 for 3 against 3, 0.0022 for 6 against 6). No data of
// these sizes can be more significant, which bounds what any correction for
// many tests can ask of them.
func MinP(n1, n2 int) float64 {
	key := [2]int{n1, n2}
	if v, ok := minP.Load(key); ok {
		return v.(float64)
	}
	low, high := make([]float64, n1), make([]float64, n2)
	for i := range high {
		high[i] = 1
	}
	thresholds := benchmath.Thresholds{CompareAlpha: Alpha}
	p := benchmath.AssumeNothing.Compare(benchmath.NewSample(low, &thresholds), benchmath.NewSample(high, &thresholds)).P
	minP.Store(key, p)
	return p
}

// RepsToReachAlpha is the smallest number of repetitions per side at which
// the U test can give p < Alpha: fewer, and no difference can ever be
// significant.
func RepsToReachAlpha() int {
	n := 1
	for !CanReachAlpha(n, n) {
		n++
	}
	return n
}
