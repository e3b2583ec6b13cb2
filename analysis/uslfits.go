package analysis

import (
	"cmp"
	"runtime"
	"slices"

	"golang.org/x/sync/errgroup"

	"lockbench/results"
)

// uslSeed makes USLFits reproducible: the same file gives the same
// intervals.
const uslSeed = 1

// USLFits fits the USL to the throughput of every (workload, strategy), with
// bootstrap intervals, taking every successful run (all repetitions) as a
// point. Pairs measured at fewer than 3 concurrency levels cannot be fitted
// and are left out (Warnings names them). Sorted by workload, then strategy.
func USLFits(f *results.File) []USL {
	type pair struct{ workload, strategy string }
	points := map[pair][2][]float64{}
	var pairs []pair
	cells := Cells(f)
	for _, k := range SortedKeys(cells) {
		p := pair{workload: k.Workload, strategy: k.Strategy}
		if _, seen := points[p]; !seen {
			pairs = append(pairs, p)
		}
		nx := points[p]
		for _, x := range Values(cells[k], Throughput) {
			nx[0] = append(nx[0], float64(k.Concurrency))
			nx[1] = append(nx[1], x)
		}
		points[p] = nx
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		return cmp.Or(cmp.Compare(a.workload, b.workload), cmp.Compare(a.strategy, b.strategy))
	})
	// The fits are independent and each is deterministic: run them on every
	// core and keep them in pair order.
	fitted := make([]*USL, len(pairs))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, p := range pairs {
		g.Go(func() error {
			u, err := FitUSLBootstrap(points[p][0], points[p][1], DefaultResamples, uslSeed)
			if err == nil {
				u.Workload, u.Strategy = p.workload, p.strategy
				fitted[i] = &u
			}
			return nil // an unfittable pair is left out, not a failure
		})
	}
	g.Wait()
	var fits []USL
	for _, u := range fitted {
		if u != nil {
			fits = append(fits, *u)
		}
	}
	return fits
}
