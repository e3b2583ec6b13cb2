package report

import (
	"cmp"
	"maps"
	"math"
	"slices"

	"lockbench/analysis"
	"lockbench/results"
)

// BottleneckCell is what limits one strategy at one concurrency: the
// operational-law analysis (analysis.Bottlenecks) of the cell's
// representative run — the repetition with the median throughput — and how
// many repetitions name the same bottleneck.
type BottleneckCell struct {
	Strategy    string
	Concurrency int
	// Bottleneck of the representative run; Name is "" when its runs
	// carry no analysis.
	results.Bottleneck
	// DemandNsPerOp is the bottleneck's demand per operation, ns.
	DemandNsPerOp float64
	// Scope of a lock or stripe bottleneck: results.ScopeMapWide or
	// results.ScopePerKey.
	Scope string
	// Measured is the representative run's completion rate (failed
	// operations included, as the operational laws count them), Ratio
	// measured / bound.
	Measured, Ratio float64
	// Agree of Runs repetitions name the same bottleneck (name and kind).
	Agree, Runs int
	// WhatIf of the representative run.
	WhatIf []results.WhatIf
	// ServerBound is the lowest bound any server sets (not the clients),
	// median over the repetitions, and ServerBoundLabel the resource that
	// sets it in most of them: the ceiling as N grows.
	ServerBound      float64
	ServerBoundLabel string
}

// ResourceUse is the median utilization of one resource of a strategy at
// one concurrency, over the repetitions that have it.
type ResourceUse struct {
	Strategy    string
	Concurrency int
	// Resource is the resource's label (resourceLabel).
	Resource    string
	Utilization float64
}

// bottleneckFigures builds the bottleneck of every cell of w and the
// utilization of every server resource (locks, stripes, pooled stores,
// CPUs) per cell.
func bottleneckFigures(w *Workload, cells map[analysis.CellKey][]results.Run) ([]BottleneckCell, []ResourceUse) {
	var out []BottleneckCell
	var use []ResourceUse
	for _, c := range w.Cells {
		runs := cells[analysis.CellKey{Workload: w.Name, Concurrency: c.Concurrency, Strategy: c.Strategy}]
		if len(runs) == 0 {
			continue
		}
		rep := medianRun(runs)
		b := BottleneckCell{Strategy: c.Strategy, Concurrency: c.Concurrency, Runs: len(runs), Measured: analysis.CompletionRate(rep)}
		if rep.Bottleneck != nil {
			b.Bottleneck, b.Ratio, b.WhatIf = *rep.Bottleneck, rep.BoundRatio, rep.WhatIf
			for _, res := range rep.Resources {
				if res.Name == b.Name && res.Kind == b.Kind {
					b.DemandNsPerOp, b.Scope = res.DemandNsPerOp, res.Scope
				}
			}
			for _, r := range runs {
				if r.Bottleneck != nil && r.Bottleneck.Name == b.Name && r.Bottleneck.Kind == b.Kind {
					b.Agree++
				}
			}
		}
		var bounds []float64
		labels := map[string]int{}
		for _, r := range runs {
			if bound, label := serverBound(r); bound > 0 {
				bounds = append(bounds, bound)
				labels[label]++
			}
		}
		if len(bounds) > 0 {
			b.ServerBound = spreadOf(bounds).Median
			for _, l := range slices.Sorted(maps.Keys(labels)) {
				if b.ServerBoundLabel == "" || labels[l] > labels[b.ServerBoundLabel] {
					b.ServerBoundLabel = l
				}
			}
		}
		out = append(out, b)

		perResource := map[string][]float64{}
		for _, r := range runs {
			for _, res := range r.Resources {
				if res.Servers > 0 && res.Kind != results.KindClients && res.Kind != results.KindOffered {
					l := resourceLabel(res.Name, res.Kind)
					perResource[l] = append(perResource[l], res.Utilization)
				}
			}
		}
		for _, l := range slices.Sorted(maps.Keys(perResource)) {
			use = append(use, ResourceUse{Strategy: c.Strategy, Concurrency: c.Concurrency, Resource: l, Utilization: spreadOf(perResource[l]).Median})
		}
	}
	return out, use
}

// medianRun is the run with the median throughput (the lower middle one of
// an even count).
func medianRun(runs []results.Run) results.Run {
	sorted := slices.Clone(runs)
	slices.SortStableFunc(sorted, func(a, b results.Run) int {
		return cmp.Or(cmp.Compare(a.ThroughputOpsS, b.ThroughputOpsS), cmp.Compare(a.Repetition, b.Repetition))
	})
	return sorted[(len(sorted)-1)/2]
}

// resourceLabel names a resource for a reader: a lock by its name, a
// striped family's hottest stripe "manager.keys (hottest stripe)", the
// others in words ("the CPUs").
func resourceLabel(name, kind string) string {
	switch kind {
	case results.KindStripe:
		return name + " (hottest stripe)"
	case results.KindClients:
		return "the clients"
	case results.KindOffered:
		return "the offered rate"
	case results.KindCPU:
		return "the CPUs"
	case results.KindStore:
		return "the store"
	}
	return name
}

// topResources returns the labels of at most n resources of w with the
// highest utilization anywhere, highest first.
func topResources(use []ResourceUse, n int) []string {
	peak := map[string]float64{}
	for _, u := range use {
		peak[u.Resource] = math.Max(peak[u.Resource], u.Utilization)
	}
	labels := slices.Sorted(maps.Keys(peak))
	slices.SortStableFunc(labels, func(a, b string) int { return cmp.Compare(peak[b], peak[a]) })
	return labels[:min(n, len(labels))]
}

// serverBound is the lowest bound a server (lock, stripe, pooled store,
// CPUs) sets in r, and its label; 0 when none bounds.
func serverBound(r results.Run) (bound float64, label string) {
	for _, res := range r.Resources {
		if res.Kind == results.KindClients || res.Kind == results.KindOffered || res.BoundOpsS <= 0 {
			continue
		}
		if bound == 0 || res.BoundOpsS < bound {
			bound, label = res.BoundOpsS, resourceLabel(res.Name, res.Kind)
		}
	}
	return bound, label
}

// operationalCeiling is the lowest bound set by a server in strategy s's
// runs at its highest concurrency on w (the clients' bound grows with N, so
// it is no ceiling); NaN when there is none.
func operationalCeiling(w *Workload, s string) (ceiling float64, label string) {
	top := w.highestOf(s)
	for _, b := range w.Bottlenecks {
		if b.Strategy == s && b.Concurrency == top && b.ServerBound > 0 {
			return b.ServerBound, b.ServerBoundLabel
		}
	}
	return math.NaN(), ""
}
