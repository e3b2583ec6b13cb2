package analysis

import "lockbench/results"

// Delta is the change of one metric on one cell between two results files.
type Delta struct {
	Key    CellKey
	Metric string
	// Old and New summarise the cell's runs in each file.
	Old, New Summary
	// Ratio is New.Center / Old.Center.
	Ratio float64
	// P is the two-sided p-value of the Mann–Whitney U test.
	P float64
	// Significant is P < Alpha.
	Significant bool
	// Regression: significant and worse than old by more than the
	// threshold, in the metric's own direction (lower throughput, higher
	// latency).
	Regression bool
	// Note is "" when significant, otherwise NoteNoChange or
	// NoteFewSamples.
	Note string
}

// CompareFiles compares every cell present in both files on each metric.
// threshold is the relative change a significant difference must exceed to
// count as a regression (0.05 for 5%); a smaller significant change is
// reported but is not a regression. The result is ordered by metric (in the
// order given), then workload, concurrency and strategy.
func CompareFiles(old, new *results.File, metrics []Metric, threshold float64) []Delta {
	oldCells, newCells := Cells(old), Cells(new)
	var out []Delta
	for _, m := range metrics {
		for _, k := range SortedKeys(oldCells) {
			newRuns, ok := newCells[k]
			if !ok {
				continue
			}
			c, ok := compareSamples(values(oldCells[k], m), values(newRuns, m))
			if !ok {
				continue
			}
			out = append(out, Delta{
				Key: k, Metric: m.Name,
				Old: c.old, New: c.new, Ratio: c.ratio, P: c.p,
				Significant: c.significant,
				Regression:  c.significant && worseBy(m, c.ratio, threshold),
				Note:        c.note,
			})
		}
	}
	return out
}

// worseBy reports whether ratio (new/old) is worse than 1 by more than
// threshold in m's direction.
func worseBy(m Metric, ratio, threshold float64) bool {
	if m.Better < 0 {
		return ratio > 1+threshold
	}
	return ratio < 1-threshold
}

// SharedCells splits the cells of two files into those in both, only in old
// and only in new, each sorted. A comparison covers only the shared ones; the
// others are worth telling the reader about.
func SharedCells(old, new *results.File) (shared, onlyOld, onlyNew []CellKey) {
	oldCells, newCells := Cells(old), Cells(new)
	for _, k := range SortedKeys(oldCells) {
		if _, ok := newCells[k]; ok {
			shared = append(shared, k)
		} else {
			onlyOld = append(onlyOld, k)
		}
	}
	for _, k := range SortedKeys(newCells) {
		if _, ok := oldCells[k]; !ok {
			onlyNew = append(onlyNew, k)
		}
	}
	return shared, onlyOld, onlyNew
}
