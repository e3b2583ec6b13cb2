package verdict

import (
	"cmp"
	"math"
	"slices"
)

// Adjust returns Benjamini–Hochberg adjusted p-values (in the order of ps):
// a test is significant at false discovery rate α when its adjusted p is
// below α.
//
// Why Benjamini–Hochberg and not Holm–Bonferroni: a gate judges tens to
// hundreds of (cell, metric) tests, and with 6 repetitions a side the
// Mann–Whitney U test cannot give p below 2/924 ≈ 0.0022. Holm asks the
// smallest p to be below α/m, 0.0005 for a hundred tests: the gate could
// never fire, however large the regression. Benjamini–Hochberg asks the
// k-th smallest p to be below α·k/m, so a slowdown that shows in many cells
// at once — the usual kind — passes at up to α, while a lone change must
// still beat α/m. When nothing changed (an A/A comparison, every null
// hypothesis true) controlling the false discovery rate at α is the same as
// controlling the chance of any false alarm at α: exactly the promise a
// gate must keep. (Strictly, for tests that are independent or positively
// dependent, as metrics of one cell are.)
//
// A NaN p-value (no test possible) stays NaN and does not count in m.
func Adjust(ps []float64) []float64 {
	type indexed struct {
		p float64
		i int
	}
	var finite []indexed
	out := make([]float64, len(ps))
	for i, p := range ps {
		out[i] = math.NaN()
		if !math.IsNaN(p) {
			finite = append(finite, indexed{p, i})
		}
	}
	slices.SortStableFunc(finite, func(a, b indexed) int { return cmp.Compare(a.p, b.p) })
	m := float64(len(finite))
	running := 1.0
	for k := len(finite) - 1; k >= 0; k-- {
		running = math.Min(running, finite[k].p*m/float64(k+1))
		out[finite[k].i] = running
	}
	return out
}
