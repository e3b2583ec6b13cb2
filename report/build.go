package report

import (
	"cmp"
	"math"
	"slices"

	"lockbench/analysis"
	"lockbench/results"
)

// knownStrategies come first, in this order, wherever strategies are listed.
var knownStrategies = []string{"naive", "refactored", "sharded"}

// NewModel computes the model of f. opt.Baseline picks the baseline (see
// Options.Baseline) and opt.Formats the plot format report.md links. A partial file — cells missing, runs failed — gives a partial
// model, never an error.
func NewModel(f *results.File, opt Options) *Model {
	if f == nil {
		f = &results.File{}
	}
	opt = opt.forFile(f).withDefaults()
	m := &Model{Meta: f.Meta, Baseline: opt.Baseline, Runs: len(f.Runs)}
	cells := analysis.Cells(f)
	for _, runs := range cells {
		m.UsableRuns += len(runs)
	}
	m.ImageFormat = FormatPNG
	if !slices.Contains(opt.Formats, FormatPNG) && slices.Contains(opt.Formats, FormatSVG) {
		m.ImageFormat = FormatSVG
	}
	m.Strategies = strategyOrder(f)
	m.MemorySource = memorySource(f)
	for _, r := range f.Runs {
		if r.Status != results.StatusOK && r.Status != "" {
			m.Problems = append(m.Problems, RunProblem{
				Workload: r.Workload, Strategy: r.Strategy,
				Concurrency: r.Concurrency, Repetition: r.Repetition,
				Status: r.Status, Reason: r.Reason,
			})
		}
	}

	throughput := analysis.CompareToBaseline(f, m.Baseline, analysis.Throughput)
	p99 := analysis.CompareToBaseline(f, m.Baseline, analysis.LatencyP99)
	fits := analysis.USLFits(f)
	warnings := analysis.Warnings(f)

	for _, name := range workloadOrder(f) {
		w := buildWorkload(name, f, cells, m)
		w.Throughput = filterComparisons(throughput, name)
		w.P99 = filterComparisons(p99, name)
		w.GeoMeans = geoMeans(w)
		for _, u := range fits {
			if u.Workload == name {
				w.Fits = append(w.Fits, u)
			}
		}
		slices.SortStableFunc(w.Fits, func(a, b analysis.USL) int {
			return cmp.Compare(strategyRank(m.Strategies, a.Strategy), strategyRank(m.Strategies, b.Strategy))
		})
		for _, wr := range warnings {
			if wr.Workload == name {
				w.Warnings = append(w.Warnings, wr)
			}
		}
		m.Missing = append(m.Missing, missingCells(w, m.Strategies)...)
		m.Workloads = append(m.Workloads, w)
		m.Summary = append(m.Summary, summarize(w, m.Baseline))
	}
	for _, wr := range warnings {
		if wr.Workload == "" {
			m.Warnings = append(m.Warnings, wr)
		}
	}
	m.Scaling = scaling(m)
	for _, s := range m.Strategies {
		var mine []analysis.Comparison
		for _, c := range throughput {
			if c.Strategy == s {
				mine = append(mine, c)
			}
		}
		if len(mine) > 0 {
			m.GeoMeans = append(m.GeoMeans, GeoMean{Strategy: s, Metric: analysis.Throughput.Name,
				Ratio: analysis.GeoMeanRatio(mine), Cells: len(mine)})
		}
	}
	return m
}

// strategyOrder lists the strategies of f: the known ones first, in their
// fixed order, then the others alphabetically.
func strategyOrder(f *results.File) []string {
	seen := map[string]bool{}
	for _, r := range f.Runs {
		seen[r.Strategy] = true
	}
	var out, others []string
	for _, s := range knownStrategies {
		if seen[s] {
			out = append(out, s)
			delete(seen, s)
		}
	}
	for s := range seen {
		others = append(others, s)
	}
	slices.Sort(others)
	return append(out, others...)
}

// strategyRank is the position of s in order (len(order) when absent).
func strategyRank(order []string, s string) int {
	if i := slices.Index(order, s); i >= 0 {
		return i
	}
	return len(order)
}

// workloadOrder lists workloads in the order the sweep first ran them.
func workloadOrder(f *results.File) []string {
	var out []string
	for _, r := range f.Runs {
		if !slices.Contains(out, r.Workload) {
			out = append(out, r.Workload)
		}
	}
	return out
}

func memorySource(f *results.File) string {
	for _, r := range f.Runs {
		if r.Runtime.HeapPeakBytes > 0 {
			return MemoryHeap
		}
	}
	return MemoryRSS
}

func peakMemory(r results.Run, source string) float64 {
	v := r.Process.MaxRSSBytes
	if source == MemoryHeap {
		v = r.Runtime.HeapPeakBytes
	}
	if v <= 0 {
		return math.NaN()
	}
	return float64(v)
}

func buildWorkload(name string, f *results.File, cells map[analysis.CellKey][]results.Run, m *Model) Workload {
	w := Workload{Name: name, Description: f.Meta.Workloads[name]}
	concurrencies := map[int]bool{}
	locks := map[string]bool{}
	for _, r := range f.Runs {
		if r.Workload != name {
			continue
		}
		concurrencies[r.Concurrency] = true
		addUnique(&w.Stores, r.Store.Spec)
		addUnique(&w.Arrivals, r.Arrival)
		for l := range r.Locks {
			locks[l] = true
		}
	}
	for c := range concurrencies {
		w.Concurrencies = append(w.Concurrencies, c)
	}
	slices.Sort(w.Concurrencies)
	for l := range locks {
		w.Locks = append(w.Locks, l)
	}
	slices.Sort(w.Locks)

	for _, s := range m.Strategies {
		present := false
		for _, c := range w.Concurrencies {
			runs := cells[analysis.CellKey{Workload: name, Concurrency: c, Strategy: s}]
			if len(runs) == 0 {
				continue
			}
			present = true
			w.Cells = append(w.Cells, buildCell(s, c, runs, m.MemorySource))
		}
		if present {
			w.Strategies = append(w.Strategies, s)
		}
	}
	w.Top = topConcurrency(w)
	for _, s := range w.Strategies {
		c := w.Top
		if w.cell(s, c) == nil {
			c = w.highestOf(s)
		}
		runs := cells[analysis.CellKey{Workload: name, Concurrency: c, Strategy: s}]
		w.Representative = append(w.Representative, representative(runs))
		heldIO, total := heldIOFigures(s, w.Top, cells[analysis.CellKey{Workload: name, Concurrency: w.Top, Strategy: s}])
		w.HeldIO = append(w.HeldIO, heldIO...)
		if total.HoldNs > 0 || len(heldIO) > 0 {
			w.HeldIOTotals = append(w.HeldIOTotals, total)
		}
		w.Consistency = append(w.Consistency, consistency(s, name, cells))
	}
	w.Bottlenecks, w.ResourceUse = bottleneckFigures(&w, cells)
	return w
}

func addUnique(list *[]string, s string) {
	if s != "" && !slices.Contains(*list, s) {
		*list = append(*list, s)
	}
}

func buildCell(strategy string, concurrency int, runs []results.Run, memSource string) Cell {
	c := Cell{Strategy: strategy, Concurrency: concurrency, Runs: len(runs), LockWait: map[string]float64{}}
	c.Samples = metricValues(runs, analysis.Throughput.Value)
	c.Throughput = spreadOf(c.Samples)
	c.P50 = spreadOf(metricValues(runs, analysis.LatencyP50.Value))
	c.P99 = spreadOf(metricValues(runs, analysis.LatencyP99.Value))
	c.ErrorRate = spreadOf(metricValues(runs, analysis.ErrorRate.Value))
	c.Offered = spreadOf(metricValues(runs, analysis.OfferedRate.Value))
	c.ServiceP50 = spreadOf(metricValues(runs, analysis.ServiceP50.Value))
	c.ServiceP99 = spreadOf(metricValues(runs, analysis.ServiceP99.Value))
	c.CPUPerOp = spreadOf(metricValues(runs, analysis.CPUPerOp.Value))
	c.LockWaitPerOp = spreadOf(metricValues(runs, analysis.LockWaitPerOp.Value))
	c.HeldIOMapWide = spreadOf(metricValues(runs, analysis.HeldIOMapWidePerOp.Value))
	c.HeldIOPerKey = spreadOf(metricValues(runs, analysis.HeldIOPerKeyPerOp.Value))
	c.Outliers = analysis.CellOutliers(runs)
	c.PeakMemory = spreadOf(metricValues(runs, func(r results.Run) float64 { return peakMemory(r, memSource) }))
	perLock := map[string][]float64{}
	for _, r := range runs {
		for name := range r.Locks {
			if v := analysis.LockWaitPerOpOf(r, name); !math.IsNaN(v) {
				perLock[name] = append(perLock[name], v)
			}
		}
		if r.Consistency.Checked {
			c.CheckedRuns++
		}
		for _, n := range r.Consistency.Anomalies {
			c.Anomalies += n
		}
	}
	for name, vs := range perLock {
		c.LockWait[name] = spreadOf(vs).Median
	}
	return c
}

// metricValues applies value to each run, dropping NaN (undefined) values.
func metricValues(runs []results.Run, value func(results.Run) float64) []float64 {
	out := make([]float64, 0, len(runs))
	for _, r := range runs {
		if v := value(r); !math.IsNaN(v) {
			out = append(out, v)
		}
	}
	return out
}

// spreadOf summarises vs; the median of an even count is the mean of the
// two middle values.
func spreadOf(vs []float64) Spread {
	if len(vs) == 0 {
		return Spread{Median: math.NaN(), Min: math.NaN(), Max: math.NaN()}
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	n := len(s)
	median := s[n/2]
	if n%2 == 0 {
		median = (s[n/2-1] + s[n/2]) / 2
	}
	return Spread{Median: median, Min: s[0], Max: s[n-1], N: n}
}

// cell finds the cell of strategy s at concurrency c; nil when absent.
func (w *Workload) cell(s string, c int) *Cell {
	for i := range w.Cells {
		if w.Cells[i].Strategy == s && w.Cells[i].Concurrency == c {
			return &w.Cells[i]
		}
	}
	return nil
}

// cellsOf returns the cells of strategy s, ascending concurrency.
func (w *Workload) cellsOf(s string) []Cell {
	var out []Cell
	for _, c := range w.Cells {
		if c.Strategy == s {
			out = append(out, c)
		}
	}
	return out
}

// highestOf is the highest concurrency strategy s has usable runs at.
func (w *Workload) highestOf(s string) int {
	high := 0
	for _, c := range w.cellsOf(s) {
		high = max(high, c.Concurrency)
	}
	return high
}

func topConcurrency(w Workload) int {
	for i := len(w.Concurrencies) - 1; i >= 0; i-- {
		c := w.Concurrencies[i]
		all := len(w.Strategies) > 0
		for _, s := range w.Strategies {
			if w.cell(s, c) == nil {
				all = false
				break
			}
		}
		if all {
			return c
		}
	}
	high := 0
	for _, c := range w.Cells {
		high = max(high, c.Concurrency)
	}
	return high
}

// representative picks the run with the median throughput (the lower middle
// one of an even count), so the per-run plots show a typical run, not the
// best or the worst.
func representative(runs []results.Run) RunRef {
	if len(runs) == 0 {
		return RunRef{}
	}
	r := medianRun(runs)
	return RunRef{
		Strategy: r.Strategy, Concurrency: r.Concurrency, Repetition: r.Repetition,
		Throughput: r.ThroughputOpsS,
		Spectrum:   r.Latency["all"].Spectrum,
		Timeline:   r.Timeline,
	}
}

// heldIOFigures sums held-in-I/O and hold time per lock over runs.
func heldIOFigures(strategy string, concurrency int, runs []results.Run) (perLock []HeldIO, total HeldIO) {
	sums := map[string]*HeldIO{}
	total = HeldIO{Strategy: strategy, Concurrency: concurrency}
	for _, r := range runs {
		total.Ops += r.Ops
		for name, l := range r.Locks {
			h := sums[name]
			if h == nil {
				h = &HeldIO{Strategy: strategy, Lock: name, Concurrency: concurrency, Scope: l.Scope}
				sums[name] = h
			}
			h.HeldIONs += l.HeldIONs
			h.HoldNs += l.HoldTotalNs
			h.Ops += r.Ops
			total.HeldIONs += l.HeldIONs
			total.HoldNs += l.HoldTotalNs
		}
	}
	for _, h := range sums {
		h.Share = share(h.HeldIONs, h.HoldNs)
		perLock = append(perLock, *h)
	}
	slices.SortFunc(perLock, func(a, b HeldIO) int { return cmp.Compare(a.Lock, b.Lock) })
	total.Share = share(total.HeldIONs, total.HoldNs)
	return perLock, total
}

func share(part, whole int64) float64 {
	if whole <= 0 {
		return math.NaN()
	}
	return float64(part) / float64(whole)
}

func consistency(strategy, workload string, cells map[analysis.CellKey][]results.Run) Consistency {
	c := Consistency{Strategy: strategy}
	anomalies := map[string]int64{}
	verdicts := map[string]int64{}
	for _, k := range analysis.SortedKeys(cells) {
		if k.Workload != workload || k.Strategy != strategy {
			continue
		}
		for _, r := range cells[k] {
			c.Runs++
			if r.Consistency.Checked {
				c.Checked++
			}
			for kind, n := range r.Consistency.Anomalies {
				if n > 0 {
					anomalies[kind] += n
					c.Total += n
				}
			}
			if v := r.Consistency.Linearizable; v != "" {
				verdicts[v]++
			}
			addUnique(&c.Visualizations, r.Consistency.Visualization)
			for _, n := range r.Consistency.Notes {
				addUnique(&c.Notes, n)
			}
		}
	}
	c.Anomalies = sortedCounts(anomalies)
	c.Linearizable = sortedCounts(verdicts)
	return c
}

// sortedCounts lists counts largest first, ties by kind.
func sortedCounts(m map[string]int64) []KindCount {
	out := make([]KindCount, 0, len(m))
	for k, n := range m {
		out = append(out, KindCount{Kind: k, Count: n})
	}
	slices.SortFunc(out, func(a, b KindCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Kind, b.Kind))
	})
	return out
}

func filterComparisons(cs []analysis.Comparison, workload string) []analysis.Comparison {
	var out []analysis.Comparison
	for _, c := range cs {
		if c.Workload == workload {
			out = append(out, c)
		}
	}
	return out
}

func geoMeans(w Workload) []GeoMean {
	var out []GeoMean
	for _, metric := range []struct {
		name string
		cs   []analysis.Comparison
	}{{analysis.Throughput.Name, w.Throughput}, {analysis.LatencyP99.Name, w.P99}} {
		for _, s := range w.Strategies {
			var mine []analysis.Comparison
			for _, c := range metric.cs {
				if c.Strategy == s {
					mine = append(mine, c)
				}
			}
			if len(mine) == 0 {
				continue
			}
			out = append(out, GeoMean{Strategy: s, Metric: metric.name, Ratio: analysis.GeoMeanRatio(mine), Cells: len(mine)})
		}
	}
	return out
}

// missingCells lists the cells of w with no usable run, over every strategy
// of the file and every concurrency of the workload.
func missingCells(w Workload, strategies []string) []analysis.CellKey {
	var out []analysis.CellKey
	for _, s := range strategies {
		for _, c := range w.Concurrencies {
			if w.cell(s, c) == nil {
				out = append(out, analysis.CellKey{Workload: w.Name, Concurrency: c, Strategy: s})
			}
		}
	}
	return out
}

func scaling(m *Model) []Scaling {
	var out []Scaling
	for _, s := range m.Strategies {
		sc := Scaling{Strategy: s}
		for _, w := range m.Workloads {
			cells := w.cellsOf(s)
			if len(cells) == 0 {
				continue
			}
			fit := ScalingFit{
				USL:         analysis.USL{Workload: w.Name, Strategy: s},
				Levels:      len(cells),
				MaxMeasured: w.highestOf(s), BestMeasured: math.NaN(),
			}
			for _, u := range w.Fits {
				if u.Strategy == s {
					fit.USL, fit.Fitted = u, true
				}
			}
			for _, c := range cells {
				if math.IsNaN(c.Throughput.Median) {
					continue
				}
				fit.Measured = append(fit.Measured, MeasuredPoint{Concurrency: c.Concurrency, Throughput: c.Throughput.Median})
				if math.IsNaN(fit.BestMeasured) || c.Throughput.Median > fit.BestMeasured {
					fit.BestMeasured, fit.BestMeasuredAt = c.Throughput.Median, c.Concurrency
				}
			}
			fit.OperationalCeiling, fit.OperationalCeilingBy = operationalCeiling(&w, s)
			sc.Fits = append(sc.Fits, fit)
		}
		out = append(out, sc)
	}
	return out
}
