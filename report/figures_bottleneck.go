package report

import "fmt"

// utilizationPanels is how many resources the utilization figure shows.
const utilizationPanels = 4

// utilizationFigure draws, for the resources that come closest to
// saturation anywhere in w, their utilization against concurrency, one line
// per strategy: the knee shows where a lock saturates.
func utilizationFigure(w *Workload) Figure {
	var panels []Panel
	for _, res := range topResources(w.ResourceUse, utilizationPanels) {
		p := Panel{
			Title: res, XLabel: concurrencyLabel, YLabel: "utilization (%)", XLog: true,
			XTicks: concurrencyTicks(w.Concurrencies), YMin: 0, YMax: 105,
			Empty: "not a resource of any strategy",
		}
		for _, s := range w.Strategies {
			ser := Series{Strategy: s, Markers: true}
			for _, u := range w.ResourceUse {
				if u.Strategy == s && u.Resource == res {
					ser.Line = append(ser.Line, Point{float64(u.Concurrency), 100 * u.Utilization})
				}
			}
			p.Series = append(p.Series, ser)
		}
		panels = append(panels, p)
	}
	if len(panels) == 0 {
		panels = []Panel{{XLabel: concurrencyLabel, YLabel: "utilization (%)", Empty: "no bottleneck analysis in the runs"}}
	}
	cols := 2
	if len(panels) == 1 {
		cols = 1
	}
	return Figure{
		Title: w.Name + ": utilization of the busiest resources",
		Caption: fmt.Sprintf("Utilization (U = X·D / servers, operational laws) of the %d resources of %s that come closest to saturation, against concurrency, one line per strategy, median over the repetitions. A lock is an exclusive server for its writers; a striped family's hottest stripe is drawn on its own; the CPUs are GOMAXPROCS servers. A line reaching 100%% marks the resource that caps throughput.",
			len(panels), w.Name),
		Panels: panels, Cols: cols,
	}
}
