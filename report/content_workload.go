package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"lockbench/analysis"
	"lockbench/results"
)

func addFigure(d *document, figs map[string]Figure, w *Workload, kind string) {
	if f, ok := figs[w.Name+"\x00"+kind]; ok {
		d.add(plotBlock{Name: f.Name, Title: f.Title, Caption: f.Caption})
	}
}

// workloadSection shows one workload: plots, the figures per cell with
// their warnings, the comparison with the baseline, consistency and locks.
func workloadSection(d *document, m *Model, w *Workload, figs map[string]Figure) {
	d.heading(2, workloadHeadingPrefix+w.Name)
	d.text(workloadIntro(w))
	addFigure(d, figs, w, FigureThroughput)
	addFigure(d, figs, w, FigureLatency)

	d.heading(3, "Figures per cell")
	cellTable(d, m, w)

	d.heading(3, "Against "+m.Baseline)
	comparisons(d, m, w)

	d.heading(3, "Consistency")
	consistencySection(d, w)

	d.heading(3, "Bottlenecks")
	bottleneckSection(d, w, figs)

	d.heading(3, "Locks")
	addFigure(d, figs, w, FigureLockWait)
	addFigure(d, figs, w, FigureHeldIO)
	heldIOSection(d, w)

	d.heading(3, "CPU and memory")
	addFigure(d, figs, w, FigureResources)

	d.heading(3, "Latency spectrum and timeline")
	addFigure(d, figs, w, FigureSpectrum)
	addFigure(d, figs, w, FigureTimeline)

	d.heading(3, "Scalability")
	addFigure(d, figs, w, FigureUSL)
	var fitNotes []string
	for _, wr := range w.Warnings {
		if wr.Concurrency == 0 {
			fitNotes = append(fitNotes, warningText(wr))
		}
	}
	d.text("The fits are read per strategy under Scaling.")
	d.list(fitNotes...)
}

func workloadIntro(w *Workload) string {
	var parts []string
	if len(w.Stores) > 0 {
		parts = append(parts, "Store "+strings.Join(w.Stores, ", "))
	}
	if len(w.Arrivals) > 0 {
		parts = append(parts, strings.Join(w.Arrivals, ", ")+"-loop arrivals")
	}
	var levels []string
	for _, c := range w.Concurrencies {
		levels = append(levels, strconv.Itoa(c))
	}
	parts = append(parts, "concurrency "+strings.Join(levels, ", "))
	lo, hi := math.MaxInt, 0
	for _, c := range w.Cells {
		lo, hi = min(lo, c.Runs), max(hi, c.Runs)
	}
	switch {
	case hi == 0:
		parts = append(parts, "no usable runs")
	case lo == hi:
		parts = append(parts, plural(int64(hi), "usable repetition")+" per cell")
	default:
		parts = append(parts, fmt.Sprintf("%d to %d usable repetitions per cell", lo, hi))
	}
	intro := strings.Join(parts, "; ") + "."
	if w.Description != "" {
		// The workload's own description comes first: it may carry a
		// caveat no window size removes, which the warnings then confirm.
		intro = sentence(w.Description) + " " + intro
	}
	return intro
}

// sentence makes text a sentence: capitalised, ending with a full stop.
func sentence(text string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return ""
	}
	r, size := utf8.DecodeRuneInString(text)
	text = string(unicode.ToUpper(r)) + text[size:]
	if !strings.HasSuffix(text, ".") {
		text += "."
	}
	return text
}

func cellTable(d *document, m *Model, w *Workload) {
	memName := "peak heap"
	if m.MemorySource == MemoryRSS {
		memName = "peak RSS"
	}
	t := table{
		Header: []string{"Strategy", "N", "Runs", "Throughput ops/s: median (min–max)", "p50", "p99", "CPU/op", "Lock wait/op", memName, "Anomalies", "Warnings"},
		Right:  []bool{false, true, true, true, true, true, true, true, true, true, false},
	}
	// Open loop: what was offered beside what was achieved, and the
	// service time (from the actual start) beside the latency (from the
	// intended start), so a queue building up shows.
	open := slices.Contains(w.Arrivals, "open")
	// Failed operations are not throughput: their share gets a column
	// whenever any cell of the workload had some.
	failed := slices.ContainsFunc(w.Cells, func(c Cell) bool { return c.ErrorRate.Max > 0 })
	failedAt := 4 // after the throughput, which open loop moves one right
	if open {
		failedAt++
	}
	if open {
		t.Header = slices.Insert(t.Header, 3, "Offered ops/s")
		t.Header = slices.Insert(t.Header, 7, "Service p50", "Service p99")
		t.Right = slices.Insert(t.Right, 3, true)
		t.Right = slices.Insert(t.Right, 7, true, true)
	}
	if failed {
		t.Header = slices.Insert(t.Header, failedAt, "Failed ops")
		t.Right = slices.Insert(t.Right, failedAt, true)
	}
	var notes footnotes
	var other []string
	placed := make([]bool, len(w.Warnings))
	for _, c := range w.Cells {
		var mine []analysis.Warning
		for i, wr := range w.Warnings {
			if wr.Strategy == c.Strategy && wr.Concurrency == c.Concurrency {
				mine = append(mine, wr)
				placed[i] = true
			}
		}
		var refs []string
		for _, text := range cellWarningTexts(mine) {
			refs = append(refs, "["+strconv.Itoa(notes.ref(text))+"]")
		}
		row := []string{
			c.Strategy, strconv.Itoa(c.Concurrency), strconv.Itoa(c.Runs),
			fmt.Sprintf("%s (%s–%s)", formatSI(c.Throughput.Median), formatSI(c.Throughput.Min), formatSI(c.Throughput.Max)),
			formatSeconds(c.P50.Median), formatSeconds(c.P99.Median),
			formatSeconds(c.CPUPerOp.Median), formatSeconds(c.LockWaitPerOp.Median),
			formatBytes(c.PeakMemory.Median), cellAnomalies(c), strings.Join(refs, " "),
		}
		if open {
			row = slices.Insert(row, 3, formatSI(c.Offered.Median))
			row = slices.Insert(row, 7, formatSeconds(c.ServiceP50.Median), formatSeconds(c.ServiceP99.Median))
		}
		if failed {
			row = slices.Insert(row, failedAt, formatShare(c.ErrorRate.Median))
		}
		t.Rows = append(t.Rows, row)
	}
	for i, wr := range w.Warnings {
		if !placed[i] && wr.Concurrency > 0 {
			other = append(other, warningText(wr))
		}
	}
	if len(t.Rows) == 0 {
		d.text("No cell of this workload has a usable run.")
	} else {
		d.add(t)
		d.text("Latency is over all operations; lock wait per operation sums the waits for every lock, so it can exceed the latency of operations that take several locks. Figures are medians over the repetitions.")
	}
	d.list(notes.items()...)
	if len(other) > 0 {
		d.text("Warnings about runs with no usable cell:")
		d.list(other...)
	}
}

func cellAnomalies(c Cell) string {
	switch {
	case c.CheckedRuns == 0:
		return "not checked"
	case c.CheckedRuns < c.Runs:
		return fmt.Sprintf("%d (%d of %d runs checked)", c.Anomalies, c.CheckedRuns, c.Runs)
	default:
		return strconv.FormatInt(c.Anomalies, 10)
	}
}

func comparisons(d *document, m *Model, w *Workload) {
	if !slices.Contains(w.Strategies, m.Baseline) {
		d.text(fmt.Sprintf("%s has no usable runs on this workload: nothing to compare with.", m.Baseline))
		return
	}
	if len(w.Throughput) == 0 && len(w.P99) == 0 {
		d.text(fmt.Sprintf("No other strategy shares a concurrency level with %s here: nothing to compare.", m.Baseline))
		return
	}
	t := table{
		Header: []string{"Strategy", "N", "Throughput ops/s: " + m.Baseline + " → strategy", "Throughput vs " + m.Baseline, "p99: " + m.Baseline + " → strategy", "p99 vs " + m.Baseline + " (below ×1 is faster)"},
		Right:  []bool{false, true, true, false, true, false},
	}
	for _, s := range w.Strategies {
		for _, c := range w.Concurrencies {
			tp := comparisonAt(w.Throughput, s, c)
			p99 := comparisonAt(w.P99, s, c)
			if tp == nil && p99 == nil {
				continue
			}
			row := []string{s, strconv.Itoa(c), notAvailable, notAvailable, notAvailable, notAvailable}
			if tp != nil {
				row[2] = formatSI(tp.Base.Center) + " → " + formatSI(tp.New.Center)
				row[3] = formatComparison(*tp)
			}
			if p99 != nil {
				row[4] = formatSeconds(p99.Base.Center) + " → " + formatSeconds(p99.New.Center)
				row[5] = formatComparison(*p99)
			}
			t.Rows = append(t.Rows, row)
		}
	}
	d.add(t)
	var parts []string
	for _, s := range w.Strategies {
		var tp, p99 *GeoMean
		for i := range w.GeoMeans {
			g := &w.GeoMeans[i]
			if g.Strategy == s && g.Metric == analysis.Throughput.Name {
				tp = g
			}
			if g.Strategy == s && g.Metric == analysis.LatencyP99.Name {
				p99 = g
			}
		}
		if tp != nil && p99 != nil {
			parts = append(parts, fmt.Sprintf("%s %s throughput and %s p99 latency", s, formatRatio(tp.Ratio), formatRatio(p99.Ratio)))
		}
	}
	if len(parts) > 0 {
		d.text(fmt.Sprintf("Geometric mean over the concurrency levels, relative to %s: %s.", m.Baseline, strings.Join(parts, "; ")))
	}
	if sig := significantCount(w.Throughput); sig < len(w.Throughput) {
		line := fmt.Sprintf("%d of %d throughput comparisons are significant at p<%.2g; the others (marked ~) do not show a difference.", sig, len(w.Throughput), analysis.Alpha)
		for _, c := range w.Throughput {
			if c.Note == analysis.NoteFewSamples {
				line += fmt.Sprintf(" Where the note says \"%s\", the repetitions are too few for the test ever to reach significance: \"no difference\" is not shown either.", analysis.NoteFewSamples)
				break
			}
		}
		d.text(line)
	}
}

func significantCount(cs []analysis.Comparison) int {
	n := 0
	for _, c := range cs {
		if c.Significant {
			n++
		}
	}
	return n
}

func consistencySection(d *document, w *Workload) {
	t := table{
		Header: []string{"Strategy", "Runs checked", "Anomalies", "By kind", "Linearizability (runs)", "Checker notes"},
		Right:  []bool{false, true, true, false, false, false},
	}
	var viz bullets
	for _, c := range w.Consistency {
		total := strconv.FormatInt(c.Total, 10)
		kinds := formatKinds(c.Anomalies)
		if c.Checked == 0 {
			total, kinds = "not checked", notAvailable
		}
		var lin []string
		for _, v := range c.Linearizable {
			lin = append(lin, fmt.Sprintf("%s: %d", v.Kind, v.Count))
		}
		t.Rows = append(t.Rows, []string{
			c.Strategy, fmt.Sprintf("%d of %d", c.Checked, c.Runs), total, cmp.Or(kinds, "none"),
			cmp.Or(strings.Join(lin, ", "), "not recorded"), cmp.Or(strings.Join(c.Notes, "; "), notAvailable),
		})
		for _, v := range c.Visualizations {
			viz.Items = append(viz.Items, []span{
				{Text: c.Strategy + ": an illegal history is drawn in "},
				{Text: v, File: v},
				{Text: " (beside results.json)."},
			})
		}
	}
	if len(t.Rows) == 0 {
		d.text("No usable runs.")
		return
	}
	d.add(t)
	var clean, dirty, unchecked []string
	for _, c := range w.Consistency {
		switch {
		case c.Checked == 0:
			unchecked = append(unchecked, c.Strategy)
		case c.Total > 0:
			dirty = append(dirty, fmt.Sprintf("%s (%s)", c.Strategy, plural(c.Total, "anomaly")))
		case c.Checked == c.Runs:
			clean = append(clean, c.Strategy)
		}
	}
	var s []string
	if len(dirty) > 0 {
		s = append(s, "Anomalies found: "+strings.Join(dirty, ", ")+". A strategy that shows them loses or corrupts data under this load, whatever its speed.")
	}
	if len(clean) > 0 {
		s = append(s, "No anomaly in any checked run: "+strings.Join(clean, ", ")+".")
	}
	if len(unchecked) > 0 {
		s = append(s, "Not checked, so nothing is known of their consistency: "+strings.Join(unchecked, ", ")+".")
	}
	d.text(s...)
	if len(viz.Items) > 0 {
		d.add(viz)
	}
}

func heldIOSection(d *document, w *Workload) {
	if len(w.HeldIOTotals) == 0 {
		d.text("No lock figures were recorded.")
		return
	}
	var mapWide, perKey []string
	for _, h := range w.HeldIO {
		if h.HeldIONs <= 0 || h.Ops <= 0 {
			continue
		}
		item := fmt.Sprintf("%s %s (%s per operation)", h.Strategy, h.Lock, formatSeconds(heldIOPerOp(h)))
		if h.Scope == results.ScopePerKey {
			perKey = append(perKey, item)
		} else {
			mapWide = append(mapWide, item)
		}
	}
	s := []string{fmt.Sprintf("Time each lock was held while its holder was inside store I/O, per operation, at N=%d (summed over the repetitions, divided by their operations). A map-wide lock covers every key; a per-key lock is a striped family whose stripes each guard the keys that hash to them.", w.Top)}
	switch {
	case len(mapWide) > 0:
		s = append(s, "Map-wide locks held across store I/O — every other user of the lock waits for the store too: "+strings.Join(mapWide, ", ")+".")
	default:
		s = append(s, "No map-wide lock was held across store I/O.")
	}
	if len(perKey) > 0 {
		s = append(s, "Per-key locks held across store I/O, which serialise only the writers of one key: "+strings.Join(perKey, ", ")+". That is the cost of keeping the store's order equal to memory's for each key, not a lock every client waits for.")
	}
	d.text(s...)
	t := table{Header: []string{"Strategy", "Lock", "Scope", "Held in store I/O per op", "Hold per op"}, Right: []bool{false, false, false, true, true}}
	for _, h := range w.HeldIO {
		t.Rows = append(t.Rows, []string{h.Strategy, h.Lock, scopeText(h.Scope), formatSeconds(heldIOPerOp(h)), formatSeconds(perOpOf(h.HoldNs, h.Ops))})
	}
	d.add(t)
}

// heldIOPerOp is a lock's held-in-I/O time per operation, in seconds.
func heldIOPerOp(h HeldIO) float64 { return perOpOf(h.HeldIONs, h.Ops) }

func perOpOf(ns, ops int64) float64 {
	if ops <= 0 {
		return math.NaN()
	}
	return float64(ns) / 1e9 / float64(ops)
}

// scopeText says what a lock covers; results files from before locks had
// a scope do not say.
func scopeText(scope string) string { return cmp.Or(scope, "not recorded") }
