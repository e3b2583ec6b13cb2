package report

import (
	"fmt"
	"strconv"
	"strings"

	"lockbench/results"
)

// bottleneckSection says, per strategy and concurrency, which resource
// limits the workload, how close to that limit it runs, and what the limit
// would be without locks held across store I/O.
func bottleneckSection(d *document, w *Workload, figs map[string]Figure) {
	analysed := false
	for _, b := range w.Bottlenecks {
		analysed = analysed || b.Name != ""
	}
	if !analysed {
		d.text("The runs carry no bottleneck analysis (a results file written before it, no operation completed, or locks not instrumented).")
		return
	}
	d.text("Every run's resources under the operational laws: each lock an exclusive server for its writers, a striped lock family as a whole and its hottest stripe alone, the store (a delay centre, or a pool), the CPUs, and the clients, bounded by N/(R₀ + Z) with R₀ the response time without queueing.",
		"The bottleneck is the resource with the lowest throughput bound; measured/bound near 100% means the run is at that ceiling.",
		"\"No lock across I/O\" is the ceiling, and the next bottleneck, if no lock were held during store I/O.",
		"Figures are from the repetition with the median throughput.")
	addFigure(d, figs, w, FigureUtilization)
	t := table{
		Header: []string{"Strategy", "N", "Bottleneck", "Utilization", "Demand/op", "Bound ops/s", "Measured ops/s", "Measured/bound", "No lock across I/O"},
		Right:  []bool{false, true, false, true, true, true, true, true, false},
	}
	for _, b := range w.Bottlenecks {
		if b.Name == "" {
			t.Rows = append(t.Rows, []string{b.Strategy, strconv.Itoa(b.Concurrency), notAvailable, notAvailable, notAvailable, notAvailable, formatSI(b.Measured), notAvailable, notAvailable})
			continue
		}
		name := bottleneckName(b)
		if b.Agree < b.Runs {
			name += fmt.Sprintf(" (%d of %d runs)", b.Agree, b.Runs)
		}
		t.Rows = append(t.Rows, []string{
			b.Strategy, strconv.Itoa(b.Concurrency), name, formatShare(b.Utilization),
			formatSeconds(b.DemandNsPerOp / 1e9), formatSI(b.BoundOpsS), formatSI(b.Measured), formatShare(b.Ratio),
			noLockCell(b),
		})
	}
	d.add(t)
	var items []string
	for _, s := range w.Strategies {
		top := w.highestOf(s)
		for _, b := range w.Bottlenecks {
			if b.Strategy == s && b.Concurrency == top && b.Name != "" {
				items = append(items, bottleneckSentences(b))
			}
		}
	}
	d.list(items...)
}

// bottleneckName names a cell's bottleneck with what kind of thing it is.
func bottleneckName(b BottleneckCell) string {
	switch b.Kind {
	case results.KindLock:
		return b.Name + " (" + b.Scope + " lock)"
	case results.KindStripe:
		return b.Name + " (hottest stripe)"
	}
	return resourceLabel(b.Name, b.Kind)
}

// noLockCell is the all-locks what-if in a few words.
func noLockCell(b BottleneckCell) string {
	for _, w := range b.WhatIf {
		if w.Lock == "" {
			return formatSI(w.BoundOpsS) + ", " + resourceLabel(w.NextBottleneck, w.NextKind)
		}
	}
	return "no lock held across I/O"
}

// whatIfUnchanged: a what-if bound within this factor of the current one
// "changes little".
const whatIfUnchanged = 1.1

// bottleneckSentences reads one cell: the bottleneck, its ceiling against
// what was measured, and what releasing locks during store I/O would do.
func bottleneckSentences(b BottleneckCell) string {
	var s []string
	head := fmt.Sprintf("%s, N=%d: bottleneck %s, utilization %s, %s per operation → ceiling %s ops/s, measured %s (%s).",
		b.Strategy, b.Concurrency, bottleneckName(b), formatShare(b.Utilization), formatSeconds(b.DemandNsPerOp/1e9),
		formatSI(b.BoundOpsS), formatSI(b.Measured), formatShare(b.Ratio))
	if b.Kind == results.KindClients {
		head = fmt.Sprintf("%s, N=%d: bottleneck the clients — %d of them, each needing R₀ + Z = %s per operation without queueing → ceiling %s ops/s, measured %s (%s).",
			b.Strategy, b.Concurrency, b.Concurrency, formatSeconds(b.DemandNsPerOp/1e9), formatSI(b.BoundOpsS), formatSI(b.Measured), formatShare(b.Ratio))
	}
	s = append(s, head)
	switch {
	case b.Kind == results.KindClients && b.ServerBound > 0:
		s = append(s, fmt.Sprintf("No server is the limit at this concurrency: more clients would go faster, up to about %s ops/s, where %s would limit.", formatSI(b.ServerBound), b.ServerBoundLabel))
	case b.Kind == results.KindClients:
		s = append(s, "No server is the limit at this concurrency: more clients would go faster.")
	case b.Scope == results.ScopePerKey:
		s = append(s, fmt.Sprintf("%s is a per-key lock: held across the key's store write, it serialises the writers of one key only, and that is the cost of keeping the store's order equal to memory's for each key.", b.Name))
	}
	for _, w := range b.WhatIf {
		switch {
		case w.Lock == b.Name && w.BoundOpsS <= b.BoundOpsS*whatIfUnchanged && isLockKind(w.NextKind) && w.NextBottleneck != b.Name:
			s = append(s, fmt.Sprintf("Releasing %s during store I/O alone changes little (ceiling %s ops/s): %s is held across the same I/O.", w.Lock, formatSI(w.BoundOpsS), resourceLabel(w.NextBottleneck, w.NextKind)))
		case w.Lock == b.Name && w.BoundOpsS <= b.BoundOpsS*whatIfUnchanged:
			// The limit is not another lock across the same I/O: the
			// lock's work outside I/O, or a resource that is not a lock.
			s = append(s, fmt.Sprintf("Releasing %s during store I/O alone changes little (ceiling %s ops/s, set by %s).", w.Lock, formatSI(w.BoundOpsS), resourceLabel(w.NextBottleneck, w.NextKind)))
		case w.Lock == b.Name:
			s = append(s, fmt.Sprintf("Releasing %s during store I/O would raise the ceiling to %s ops/s, where %s would limit.", w.Lock, formatSI(w.BoundOpsS), resourceLabel(w.NextBottleneck, w.NextKind)))
		case w.Lock == "" && len(b.WhatIf) == 2 && b.WhatIf[0].Lock == b.Name:
			// One lock held across I/O, the bottleneck: said above.
		case w.Lock == "" && w.NextBottleneck == b.Name && w.NextKind == b.Kind && w.BoundOpsS <= b.BoundOpsS*whatIfUnchanged:
			// Nothing would change: not worth a sentence.
		case w.Lock == "":
			s = append(s, fmt.Sprintf("With no lock held across I/O the ceiling would be %s ops/s, set by %s.", formatSI(w.BoundOpsS), resourceLabel(w.NextBottleneck, w.NextKind)))
		}
	}
	return strings.Join(s, " ")
}

func isLockKind(kind string) bool { return kind == results.KindLock || kind == results.KindStripe }
