package analysis

import (
	"cmp"
	"slices"

	"lockbench/results"
)

// CellKey identifies one cell of a sweep: the repetitions of a strategy on a
// workload at one concurrency.
type CellKey struct {
	Workload    string
	Concurrency int
	Strategy    string
}

// String renders the key the way the compare table names rows.
func (k CellKey) String() string {
	return k.Workload + "/conc=" + itoa(k.Concurrency) + "/strategy=" + k.Strategy
}

// compareKeys orders cells by workload, then concurrency, then strategy.
func compareKeys(a, b CellKey) int {
	return cmp.Or(
		cmp.Compare(a.Workload, b.Workload),
		cmp.Compare(a.Concurrency, b.Concurrency),
		cmp.Compare(a.Strategy, b.Strategy),
	)
}

// isOK reports whether a run's figures can be used. Files written before the
// status field existed leave it empty; their runs were all successful.
func isOK(r results.Run) bool {
	return r.Status == results.StatusOK || r.Status == ""
}

// Cells groups the successful runs of f by cell, each cell's runs in
// repetition order. Failed and interrupted runs are left out: their figures
// describe an aborted measurement (Warnings reports them).
func Cells(f *results.File) map[CellKey][]results.Run {
	cells := make(map[CellKey][]results.Run)
	if f == nil {
		return cells
	}
	for _, r := range f.Runs {
		if !isOK(r) {
			continue
		}
		k := keyOf(r)
		cells[k] = append(cells[k], r)
	}
	for _, runs := range cells {
		slices.SortStableFunc(runs, func(a, b results.Run) int { return cmp.Compare(a.Repetition, b.Repetition) })
	}
	return cells
}

// SortedKeys returns the keys of cells in workload, concurrency, strategy
// order.
func SortedKeys(cells map[CellKey][]results.Run) []CellKey {
	keys := make([]CellKey, 0, len(cells))
	for k := range cells {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareKeys)
	return keys
}

func keyOf(r results.Run) CellKey {
	return CellKey{Workload: r.Workload, Concurrency: r.Concurrency, Strategy: r.Strategy}
}

// Values applies m to every run, dropping the runs where m is undefined
// (NaN: no operations, no latency recorded).
func Values(runs []results.Run, m Metric) []float64 {
	vs := make([]float64, 0, len(runs))
	for _, r := range runs {
		if v := m.Value(r); !isNaN(v) {
			vs = append(vs, v)
		}
	}
	return vs
}
