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
		r, ok := compareSamples(values(baseRuns, m), values(cells[k], m))
		if !ok {
			continue
		}
		out = append(out, Comparison{
			Workload: k.Workload, Concurrency: k.Concurrency, Strategy: k.Strategy,
			Baseline: baseline, Metric: m.Name,
			Base: r.old, New: r.new, Ratio: r.ratio, P: r.p,
			Significant: r.significant, Note: r.note,
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

// sampleComparison is the statistics shared by Comparison and Delta.
type sampleComparison struct {
	old, new    Summary
	ratio, p    float64
	significant bool
	note        string
}

// compareSamples summarises both samples and tests their difference the way
// benchstat does. ok is false when either side is empty.
func compareSamples(oldValues, newValues []float64) (sampleComparison, bool) {
	if len(oldValues) == 0 || len(newValues) == 0 {
		return sampleComparison{}, false
	}
	thresholds := benchmath.Thresholds{CompareAlpha: Alpha}
	// NewSample sorts in place; the callers' slices stay theirs.
	oldSample := benchmath.NewSample(slices.Clone(oldValues), &thresholds)
	newSample := benchmath.NewSample(slices.Clone(newValues), &thresholds)
	c := sampleComparison{
		old: summarize(oldSample),
		new: summarize(newSample),
		p:   benchmath.AssumeNothing.Compare(oldSample, newSample).P,
	}
	c.ratio = c.new.Center / c.old.Center
	switch {
	case c.p < Alpha:
		c.significant = true
	case !canReachAlpha(len(oldValues), len(newValues)):
		c.note = NoteFewSamples
	default:
		c.note = NoteNoChange
	}
	return c, true
}

func summarize(s *benchmath.Sample) Summary {
	sum := benchmath.AssumeNothing.Summary(s, Confidence)
	return Summary{Center: sum.Center, Lo: sum.Lo, Hi: sum.Hi, N: len(s.Values)}
}

// reachable caches canReachAlpha by sample sizes.
var reachable sync.Map // [2]int → bool

// canReachAlpha reports whether the U test on samples of sizes n1 and n2 can
// give p < Alpha at all. It asks benchmath for the p of the most extreme
// outcome, two completely separated samples: if even that is not
// significant, no data of these sizes can be.
func canReachAlpha(n1, n2 int) bool {
	key := [2]int{n1, n2}
	if v, ok := reachable.Load(key); ok {
		return v.(bool)
	}
	low, high := make([]float64, n1), make([]float64, n2)
	for i := range high {
		high[i] = 1
	}
	thresholds := benchmath.Thresholds{CompareAlpha: Alpha}
	p := benchmath.AssumeNothing.Compare(benchmath.NewSample(low, &thresholds), benchmath.NewSample(high, &thresholds)).P
	ok := p < Alpha
	reachable.Store(key, ok)
	return ok
}
