package report

import (
	"math"

	"lockbench/analysis"
)

// summarize picks the fastest strategy of w at w.Top and the caveats that
// must stand beside it.
func summarize(w Workload, baseline string) SummaryRow {
	row := SummaryRow{Workload: w.Name, Concurrency: w.Top}
	row.BaselineHeldIO = heldIOAt(w, baseline, w.Top)
	fastest := fastestAt(w, w.Top, func(string) bool { return true })
	if fastest == nil {
		return row
	}
	row.Fastest, row.FastestThroughput = fastest.Strategy, fastest.Throughput.Median
	row.VsBaseline = comparisonAt(w.Throughput, fastest.Strategy, w.Top)
	for _, c := range w.Consistency {
		if c.Strategy == fastest.Strategy {
			row.Anomalies, row.AnomalyKinds = c.Total, c.Anomalies
			row.CheckedRuns, row.Runs = c.Checked, c.Runs
		}
	}
	for _, b := range w.Bottlenecks {
		if b.Concurrency == w.Top && b.Name != "" {
			row.Limits = append(row.Limits, b)
		}
	}
	clean := fastestAt(w, w.Top, func(s string) bool { return isClean(w, s) })
	if clean != nil {
		row.Clean, row.CleanThroughput = clean.Strategy, clean.Throughput.Median
		row.CleanVsBaseline = comparisonAt(w.Throughput, clean.Strategy, w.Top)
		row.CleanHeldIO = heldIOAt(w, clean.Strategy, w.Top)
	}
	return row
}

// heldIOAt is the median held-in-I/O time per operation of strategy s at
// concurrency c; NaN when s has no such cell or no lock figures.
func heldIOAt(w Workload, s string, c int) HeldIOPerOp {
	cell := w.cell(s, c)
	if cell == nil {
		return HeldIOPerOp{MapWide: math.NaN(), PerKey: math.NaN()}
	}
	return HeldIOPerOp{MapWide: cell.HeldIOMapWide.Median, PerKey: cell.HeldIOPerKey.Median}
}

// fastestAt is the cell with the highest median throughput at concurrency c
// among the strategies eligible admits; nil when none has usable runs there.
func fastestAt(w Workload, c int, eligible func(string) bool) *Cell {
	var best *Cell
	for i := range w.Cells {
		cell := &w.Cells[i]
		if cell.Concurrency != c || !eligible(cell.Strategy) || math.IsNaN(cell.Throughput.Median) {
			continue
		}
		if best == nil || cell.Throughput.Median > best.Throughput.Median {
			best = cell
		}
	}
	return best
}

// isClean reports whether every run of strategy s on w was checked and none
// showed an anomaly: the only case in which "no anomalies" is a finding
// rather than an absence of checks.
func isClean(w Workload, s string) bool {
	for _, c := range w.Consistency {
		if c.Strategy == s {
			return c.Runs > 0 && c.Checked == c.Runs && c.Total == 0
		}
	}
	return false
}

// comparisonAt finds the comparison of strategy s at concurrency c; nil
// when there is none (s is the baseline, or the baseline has no runs).
func comparisonAt(cs []analysis.Comparison, s string, c int) *analysis.Comparison {
	for i := range cs {
		if cs[i].Strategy == s && cs[i].Concurrency == c {
			cmp := cs[i]
			return &cmp
		}
	}
	return nil
}
