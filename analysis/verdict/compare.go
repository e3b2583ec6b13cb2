package verdict

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"lockbench/analysis"
	"lockbench/results"
)

// Options configure a comparison. The zero value compares every metric of
// analysis.Metrics with a zero threshold, strategy by strategy.
type Options struct {
	// Metrics to judge; nil means analysis.Metrics.
	Metrics []analysis.Metric
	// Threshold is the relative change for the worse (0.05 for 5%) a
	// significant difference must exceed to be a regression, and a
	// difference too small a sample cannot test must exceed to be
	// inconclusive.
	Threshold float64
	// Map pairs strategies across the files; nil pairs each strategy with
	// itself.
	Map []Pair
}

// Speed verdicts of one metric on one cell.
const (
	// Regression: significant after the correction for many tests, and
	// worse than old by more than the threshold.
	Regression = "regression"
	// Improvement: significant, and better than old by more than the
	// threshold.
	Improvement = "improvement"
	// Changed: significant, but within the threshold either way.
	Changed = "changed"
	// Inconclusive: worse than old by more than the threshold, but with
	// too few repetitions for the U test ever to reach p < Alpha.
	Inconclusive = "inconclusive"
	// NoChange: not significant, with samples large enough that it could
	// have been (benchstat's "~").
	NoChange = "~"
	// FewSamples: not significant and not worse beyond the threshold, with
	// samples too small to tell.
	FewSamples = "not enough samples"
)

// Delta is one metric on one cell.
type Delta struct {
	Cell   Cell
	Metric analysis.Metric
	// Test is the uncorrected comparison of the two samples.
	analysis.SampleTest
	// PAdjusted is P adjusted by Benjamini–Hochberg over every test of the
	// comparison; the verdict uses it.
	PAdjusted float64
	// Verdict is one of the speed verdicts above.
	Verdict string
	// NeededReps, for an inconclusive delta, is the number of repetitions
	// per side at which the U test could reach p < Alpha.
	NeededReps int
}

// Comparison is everything `bench compare` says, computed once for every
// output format.
type Comparison struct {
	Options
	// Cells compared, in workload, concurrency, strategy order.
	Cells []Cell
	// OnlyOld and OnlyNew are cells of the compared strategies with
	// usable runs on one side only: left out, and worth saying so.
	OnlyOld, OnlyNew []analysis.CellKey
	// Correctness has one entry per compared cell, in Cells order.
	Correctness []Correctness
	// Deltas in metric order (as Options.Metrics), then cell order.
	Deltas []Delta
	// OldMeta and NewMeta describe where each side was measured.
	OldMeta, NewMeta results.Meta
	// OldName and NewName label the sides in the output (file paths); the
	// caller sets them.
	OldName, NewName string
}

// Compare judges new against old. Both may be the same file (with a Map).
// The only error is a map that names a strategy absent from its file
// (ErrMap).
func Compare(old, new *results.File, opt Options) (*Comparison, error) {
	if opt.Metrics == nil {
		opt.Metrics = analysis.Metrics
	}
	c := &Comparison{Options: opt, OldMeta: old.Meta, NewMeta: new.Meta}
	oldCells, newCells := analysis.Cells(old), analysis.Cells(new)
	pairs := opt.Map
	if pairs == nil {
		pairs = identityPairs(oldCells, newCells)
	} else if err := checkMap(pairs, old, new); err != nil {
		return nil, err
	}
	for _, p := range pairs {
		cells, onlyOld, onlyNew := pairCells(p, oldCells, newCells)
		c.Cells = append(c.Cells, cells...)
		c.OnlyOld = append(c.OnlyOld, onlyOld...)
		c.OnlyNew = append(c.OnlyNew, onlyNew...)
	}
	slices.SortFunc(c.Cells, func(a, b Cell) int {
		return cmp.Or(compareKeys(a.Old, b.Old), cmp.Compare(a.New.Strategy, b.New.Strategy))
	})
	slices.SortFunc(c.OnlyOld, compareKeys)
	slices.SortFunc(c.OnlyNew, compareKeys)

	for _, cell := range c.Cells {
		c.Correctness = append(c.Correctness, judgeCorrectness(cell, oldCells[cell.Old], newCells[cell.New]))
	}
	for _, m := range opt.Metrics {
		for _, cell := range c.Cells {
			t, ok := analysis.CompareSamples(analysis.Values(oldCells[cell.Old], m), analysis.Values(newCells[cell.New], m))
			if !ok {
				continue
			}
			c.Deltas = append(c.Deltas, Delta{Cell: cell, Metric: m, SampleTest: t})
		}
	}
	c.judgeSpeed()
	return c, nil
}

// judgeSpeed adjusts every p-value over the whole comparison and gives
// each delta its verdict.
func (c *Comparison) judgeSpeed() {
	ps := make([]float64, len(c.Deltas))
	for i, d := range c.Deltas {
		ps[i] = d.P
	}
	adjusted := Adjust(ps)
	for i := range c.Deltas {
		d := &c.Deltas[i]
		d.PAdjusted = adjusted[i]
		worse := worseBy(d.Metric, d.Ratio, c.Threshold)
		switch {
		case d.PAdjusted < analysis.Alpha && worse:
			d.Verdict = Regression
		case d.PAdjusted < analysis.Alpha && betterBy(d.Metric, d.Ratio, c.Threshold):
			d.Verdict = Improvement
		case d.PAdjusted < analysis.Alpha:
			d.Verdict = Changed
		case !analysis.CanReachAlpha(d.Old.N, d.New.N) && worse:
			d.Verdict = Inconclusive
			d.NeededReps = analysis.RepsToReachAlpha()
		case !analysis.CanReachAlpha(d.Old.N, d.New.N):
			d.Verdict = FewSamples
		default:
			d.Verdict = NoChange
		}
	}
}

// worseBy reports whether ratio (new/old) is worse than 1 by more than
// threshold in m's direction. An undefined ratio (0/0) is not worse.
func worseBy(m analysis.Metric, ratio, threshold float64) bool {
	if m.Better < 0 {
		return ratio > 1+threshold
	}
	return ratio < 1-threshold
}

func betterBy(m analysis.Metric, ratio, threshold float64) bool {
	if m.Better < 0 {
		return ratio < 1-threshold
	}
	return ratio > 1+threshold
}

// ByMetric returns the deltas of the metric named name, in cell order.
func (c *Comparison) ByMetric(name string) []Delta {
	var ds []Delta
	for _, d := range c.Deltas {
		if d.Metric.Name == name {
			ds = append(ds, d)
		}
	}
	return ds
}

// WithVerdict returns the deltas whose verdict is v.
func (c *Comparison) WithVerdict(v string) []Delta {
	var ds []Delta
	for _, d := range c.Deltas {
		if d.Verdict == v {
			ds = append(ds, d)
		}
	}
	return ds
}

// CorrectnessRegressions returns the cells whose correctness regressed.
func (c *Comparison) CorrectnessRegressions() []Correctness {
	var out []Correctness
	for _, k := range c.Correctness {
		if k.Verdict == CorrectnessRegression {
			out = append(out, k)
		}
	}
	return out
}

// Tests is the number of U tests the comparison made: the family the
// correction for many tests covers.
func (c *Comparison) Tests() int { return len(c.Deltas) }

// GeoMeans returns the geometric means of the old and new medians and of
// the ratios of ds, as benchstat computes its summary row.
func GeoMeans(ds []Delta) (old, new, ratio float64) {
	var olds, news, ratios []float64
	for _, d := range ds {
		olds = append(olds, d.Old.Center)
		news = append(news, d.New.Center)
		ratios = append(ratios, d.Ratio)
	}
	return analysis.GeoMean(olds), analysis.GeoMean(news), analysis.GeoMean(ratios)
}

// Gate is the outcome of `--fail-on-regression`: Pass, or the reasons it
// fails, one per kind of failure.
type Gate struct {
	Pass    bool
	Reasons []string
}

// Gate judges the comparison: any correctness regression or regression
// fails it, and so does any inconclusive delta unless allowInconclusive.
func (c *Comparison) Gate(allowInconclusive bool) Gate {
	var g Gate
	if n := len(c.CorrectnessRegressions()); n > 0 {
		g.Reasons = append(g.Reasons, fmt.Sprintf("%d correctness regression(s)", n))
	}
	if n := len(c.WithVerdict(Regression)); n > 0 {
		g.Reasons = append(g.Reasons, fmt.Sprintf("%d significant regression(s) beyond %s", n, FormatThreshold(c.Threshold)))
	}
	if n := len(c.WithVerdict(Inconclusive)); n > 0 && !allowInconclusive {
		g.Reasons = append(g.Reasons, fmt.Sprintf("%d inconclusive change(s) for the worse beyond %s (too few repetitions; --allow-inconclusive to accept)", n, FormatThreshold(c.Threshold)))
	}
	g.Pass = len(g.Reasons) == 0
	return g
}

// FormatThreshold renders a threshold as a percentage, "5%".
func FormatThreshold(t float64) string {
	return fmt.Sprintf("%g%%", math.Round(100*t*1e9)/1e9)
}

func compareKeys(a, b analysis.CellKey) int {
	return cmp.Or(
		cmp.Compare(a.Workload, b.Workload),
		cmp.Compare(a.Concurrency, b.Concurrency),
		cmp.Compare(a.Strategy, b.Strategy),
	)
}

// identityPairs pairs every strategy of either file with itself.
func identityPairs(oldCells, newCells map[analysis.CellKey][]results.Run) []Pair {
	seen := map[string]bool{}
	var pairs []Pair
	for _, cells := range []map[analysis.CellKey][]results.Run{oldCells, newCells} {
		for k := range cells {
			if !seen[k.Strategy] {
				seen[k.Strategy] = true
				pairs = append(pairs, Pair{Old: k.Strategy, New: k.Strategy})
			}
		}
	}
	slices.SortFunc(pairs, func(a, b Pair) int { return cmp.Compare(a.Old, b.Old) })
	return pairs
}

// checkMap refuses a pair whose strategy has no run at all in its file: a
// misspelt name would otherwise compare nothing and pass.
func checkMap(pairs []Pair, old, new *results.File) error {
	has := func(f *results.File, s string) bool {
		return slices.ContainsFunc(f.Runs, func(r results.Run) bool { return r.Strategy == s })
	}
	for _, p := range pairs {
		if !has(old, p.Old) {
			return fmt.Errorf("%w: %s=%s: no run of strategy %q in the old file", ErrMap, p.Old, p.New, p.Old)
		}
		if !has(new, p.New) {
			return fmt.Errorf("%w: %s=%s: no run of strategy %q in the new file", ErrMap, p.Old, p.New, p.New)
		}
	}
	return nil
}

// pairCells matches p.Old's cells in old with p.New's in new by workload
// and concurrency.
func pairCells(p Pair, oldCells, newCells map[analysis.CellKey][]results.Run) (cells []Cell, onlyOld, onlyNew []analysis.CellKey) {
	for k := range oldCells {
		if k.Strategy != p.Old {
			continue
		}
		nk := k
		nk.Strategy = p.New
		if _, ok := newCells[nk]; ok {
			cells = append(cells, Cell{Old: k, New: nk})
		} else {
			onlyOld = append(onlyOld, k)
		}
	}
	for k := range newCells {
		if k.Strategy != p.New {
			continue
		}
		ok := k
		ok.Strategy = p.Old
		if _, found := oldCells[ok]; !found {
			onlyNew = append(onlyNew, k)
		}
	}
	return cells, onlyOld, onlyNew
}
