package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"lockbench/analysis"
)

// buildDocument lays out the report. Every sentence is built from a figure
// of m, and states only what that figure shows.
func buildDocument(m *Model) *document {
	d := newDocument()
	figs := map[string]Figure{}
	for _, f := range Figures(m) {
		figs[f.Workload+"\x00"+f.Kind] = f
	}
	d.heading(1, "lockbench report")
	d.text(introSentences(m)...)
	contents(d, m)

	d.heading(2, "Environment")
	environment(d, m)

	d.heading(2, "Summary")
	summarySection(d, m)

	if len(m.Problems) > 0 {
		d.heading(2, "Runs without figures")
		problems(d, m)
	}
	if len(m.Missing) > 0 {
		d.heading(2, "Missing cells")
		missing(d, m)
	}
	if len(m.Warnings) > 0 {
		d.heading(2, "Warnings")
		d.list(warningTexts(m.Warnings)...)
	}
	for i := range m.Workloads {
		workloadSection(d, m, &m.Workloads[i], figs)
	}
	d.heading(2, "Scaling")
	scalingSection(d, m)
	d.heading(2, "Method")
	method(d, m)
	return d
}

// Section titles, shared with the table of contents.
const workloadHeadingPrefix = "Workload: "

func contents(d *document, m *Model) {
	items := []string{"Environment", "Summary"}
	if len(m.Problems) > 0 {
		items = append(items, "Runs without figures")
	}
	if len(m.Missing) > 0 {
		items = append(items, "Missing cells")
	}
	if len(m.Warnings) > 0 {
		items = append(items, "Warnings")
	}
	for _, w := range m.Workloads {
		items = append(items, workloadHeadingPrefix+w.Name)
	}
	items = append(items, "Scaling", "Method")
	b := bullets{}
	for _, it := range items {
		// These headings are unique (workload names are), so their
		// anchors are their plain slugs.
		b.Items = append(b.Items, []span{{Text: it, Anchor: "#" + slug(it)}})
	}
	d.add(b)
}

func introSentences(m *Model) []string {
	var out []string
	suite := ""
	if m.Meta.Suite != "" {
		suite = "Suite " + m.Meta.Suite + ": "
	}
	out = append(out, fmt.Sprintf("%s%s (%d usable) of %s (%s) on %s.",
		suite, plural(int64(m.Runs), "run"), m.UsableRuns,
		plural(int64(len(m.Strategies)), "strategy"), strings.Join(m.Strategies, ", "),
		plural(int64(len(m.Workloads)), "workload")))
	if !m.Meta.StartedAt.IsZero() && !m.Meta.FinishedAt.IsZero() {
		out = append(out, fmt.Sprintf("Measured from %s to %s (%s).",
			m.Meta.StartedAt.UTC().Format("2006-01-02 15:04:05 MST"), m.Meta.FinishedAt.UTC().Format("2006-01-02 15:04:05 MST"),
			m.Meta.FinishedAt.Sub(m.Meta.StartedAt).Round(time.Second)))
	}
	if m.Meta.Interrupted {
		out = append(out, "The sweep was interrupted: this report covers the runs it finished.")
	}
	if len(m.Problems) > 0 {
		out = append(out, fmt.Sprintf("%s failed or %s interrupted; they are listed under Runs without figures and left out of every figure.",
			plural(int64(len(m.Problems)), "run"), pluralVerb(len(m.Problems), "was", "were")))
	}
	if len(m.Missing) > 0 {
		out = append(out, fmt.Sprintf("The file is partial: %s %s no usable run (see Missing cells).",
			plural(int64(len(m.Missing)), "cell"), pluralVerb(len(m.Missing), "has", "have")))
	}
	return out
}

func pluralVerb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func environment(d *document, m *Model) {
	meta := m.Meta
	orEmpty := func(s string) string { return cmp.Or(s, "(empty)") }
	orUnknown := func(s string) string { return cmp.Or(s, "(not recorded)") }
	rows := [][]string{
		{"Go version", orUnknown(meta.GoVersion)},
		{"OS / architecture", orUnknown(strings.Trim(meta.GOOS+"/"+meta.GOARCH, "/"))},
		{"CPU", orUnknown(meta.CPUModel)},
		{"NumCPU / GOMAXPROCS", fmt.Sprintf("%d / %d", meta.NumCPU, meta.GOMAXPROCS)},
		{"GODEBUG", orEmpty(meta.GODEBUG)},
		{"GOEXPERIMENT", orEmpty(meta.GOEXPERIMENT)},
		{"Host", orUnknown(meta.Hostname)},
		{"Seed", strconv.FormatInt(meta.Seed, 10)},
		{"Command", orUnknown(meta.Command)},
	}
	d.add(table{Header: []string{"Setting", "Value"}, Rows: rows})
	d.text("Figures are comparable only with runs made under the same Go version: the runtime's mutex-wait accounting changed in Go 1.22 and 1.24.")
}

func summarySection(d *document, m *Model) {
	d.text(fmt.Sprintf("For each workload: the strategy with the highest median throughput at the highest concurrency every strategy reached (N), its throughput relative to %s, the consistency anomalies of all its runs on the workload, the fastest strategy whose runs were all checked and showed none, and the share of the fastest strategy's lock hold time spent inside store I/O.", m.Baseline))
	d.add(summaryTable(m))
	var notes []string
	if len(m.GeoMeans) > 0 {
		var parts []string
		for _, g := range m.GeoMeans {
			parts = append(parts, fmt.Sprintf("%s %s (%s)", g.Strategy, formatRatio(g.Ratio), plural(int64(g.Cells), "cell")))
		}
		notes = append(notes, fmt.Sprintf("Throughput relative to %s over every workload and concurrency (geometric mean of the ratios of medians): %s.", m.Baseline, strings.Join(parts, ", ")))
	}
	notes = append(notes, fmt.Sprintf("\"vs %s\" is the ratio of the medians; [lo–hi] bounds it by the two medians' 95%% confidence intervals (\"no CI\" when a cell has too few repetitions for one); p is from a two-sided Mann–Whitney U test; \"~\" marks a difference that is not significant at p<%.2g, as benchstat does.", m.Baseline, analysis.Alpha))
	d.text(notes...)
}

// summaryTable is the table a reader acts on; its golden file guards it.
func summaryTable(m *Model) table {
	t := table{
		Header: []string{"Workload", "N", "Fastest (median ops/s)", "vs " + m.Baseline, "Anomalies (fastest, all its runs)", "Fastest without anomalies", "Fastest's lock hold time in store I/O"},
		Right:  []bool{false, true, false, false, false, false, true},
	}
	for _, r := range m.Summary {
		if r.Fastest == "" {
			t.Rows = append(t.Rows, []string{r.Workload, notAvailable, "no usable runs", notAvailable, notAvailable, notAvailable, notAvailable})
			continue
		}
		t.Rows = append(t.Rows, []string{
			r.Workload,
			strconv.Itoa(r.Concurrency),
			fmt.Sprintf("%s (%s)", r.Fastest, formatSI(r.FastestThroughput)),
			vsBaseline(r.Fastest, r.VsBaseline, m.Baseline),
			summaryAnomalies(r),
			summaryClean(r, m.Baseline),
			formatShare(r.HeldIOShare),
		})
	}
	return t
}

// vsBaseline phrases a strategy against the baseline.
func vsBaseline(strategy string, c *analysis.Comparison, baseline string) string {
	switch {
	case strategy == baseline:
		return "is the baseline"
	case c == nil:
		return "no " + baseline + " runs to compare"
	default:
		return formatComparison(*c)
	}
}

func summaryAnomalies(r SummaryRow) string {
	if r.CheckedRuns == 0 {
		return "not checked"
	}
	checked := ""
	if r.CheckedRuns < r.Runs {
		checked = fmt.Sprintf(" (only %d of %d runs checked)", r.CheckedRuns, r.Runs)
	}
	if r.Anomalies == 0 {
		if checked != "" {
			return "none found" + checked
		}
		return fmt.Sprintf("none (%s checked)", plural(int64(r.Runs), "run"))
	}
	return fmt.Sprintf("fastest, but %s%s: %s", plural(r.Anomalies, "anomaly"), checked, formatKinds(r.AnomalyKinds))
}

func summaryClean(r SummaryRow, baseline string) string {
	switch {
	case r.Clean == r.Fastest:
		return r.Fastest + " (the fastest)"
	case r.Clean == "" && r.CheckedRuns == 0:
		return "unknown: not checked"
	case r.Clean == "":
		return "none: every strategy had anomalies or unchecked runs"
	default:
		return fmt.Sprintf("%s (%s; %s)", r.Clean, formatSI(r.CleanThroughput), vsBaseline(r.Clean, r.CleanVsBaseline, baseline))
	}
}

func problems(d *document, m *Model) {
	t := table{Header: []string{"Workload", "Strategy", "N", "Repetition", "Status", "Reason"}, Right: []bool{false, false, true, true, false, false}}
	for _, p := range m.Problems {
		t.Rows = append(t.Rows, []string{p.Workload, p.Strategy, strconv.Itoa(p.Concurrency), strconv.Itoa(p.Repetition), p.Status, cmp.Or(p.Reason, notAvailable)})
	}
	d.add(t)
}

func missing(d *document, m *Model) {
	d.text("No usable run exists for these cells (strategy at concurrency N); the tables and plots leave them out.")
	var items []string
	for _, w := range m.Workloads {
		var parts []string
		for _, k := range m.Missing {
			if k.Workload == w.Name {
				parts = append(parts, fmt.Sprintf("%s at N=%d", k.Strategy, k.Concurrency))
			}
		}
		if len(parts) > 0 {
			items = append(items, w.Name+": "+strings.Join(parts, ", "))
		}
	}
	d.list(items...)
}

// warningText places a warning: strategy, concurrency and repetition when
// it concerns one, then its message.
func warningText(w analysis.Warning) string {
	var where []string
	if w.Strategy != "" {
		where = append(where, w.Strategy)
	}
	if w.Concurrency > 0 {
		where = append(where, "N="+strconv.Itoa(w.Concurrency))
	}
	if w.Repetition >= 0 && w.Concurrency > 0 {
		where = append(where, "repetition "+strconv.Itoa(w.Repetition))
	}
	if len(where) == 0 {
		return w.Message
	}
	return strings.Join(where, ", ") + ": " + w.Message
}

func warningTexts(ws []analysis.Warning) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		out = append(out, warningText(w))
	}
	return out
}

func addFigure(d *document, figs map[string]Figure, w *Workload, kind string) {
	if f, ok := figs[w.Name+"\x00"+kind]; ok {
		d.add(plotBlock{Name: f.Name, Title: f.Title, Caption: f.Caption})
	}
}

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
	return strings.Join(parts, "; ") + "."
}

// footnotes numbers distinct warning texts in order of first use.
type footnotes struct {
	texts []string
}

func (f *footnotes) ref(text string) int {
	if i := slices.Index(f.texts, text); i >= 0 {
		return i + 1
	}
	f.texts = append(f.texts, text)
	return len(f.texts)
}

func (f *footnotes) items() []string {
	out := make([]string, len(f.texts))
	for i, t := range f.texts {
		out[i] = fmt.Sprintf("[%d] %s", i+1, t)
	}
	return out
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
	var notes footnotes
	var other []string
	placed := make([]bool, len(w.Warnings))
	for _, c := range w.Cells {
		var refs []string
		for i, wr := range w.Warnings {
			if wr.Strategy == c.Strategy && wr.Concurrency == c.Concurrency {
				refs = append(refs, "["+strconv.Itoa(notes.ref(cellWarningText(wr)))+"]")
				placed[i] = true
			}
		}
		t.Rows = append(t.Rows, []string{
			c.Strategy, strconv.Itoa(c.Concurrency), strconv.Itoa(c.Runs),
			fmt.Sprintf("%s (%s–%s)", formatSI(c.Throughput.Median), formatSI(c.Throughput.Min), formatSI(c.Throughput.Max)),
			formatSeconds(c.P50.Median), formatSeconds(c.P99.Median),
			formatSeconds(c.CPUPerOp.Median), formatSeconds(c.LockWaitPerOp.Median),
			formatBytes(c.PeakMemory.Median), cellAnomalies(c), strings.Join(refs, " "),
		})
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

// cellWarningText is a warning beside its row: the row already names the
// strategy and concurrency.
func cellWarningText(w analysis.Warning) string {
	if w.Repetition >= 0 {
		return fmt.Sprintf("%s, N=%d, repetition %d: %s", w.Strategy, w.Concurrency, w.Repetition, w.Message)
	}
	return fmt.Sprintf("%s, N=%d: %s", w.Strategy, w.Concurrency, w.Message)
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
	var viz []string
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
			viz = append(viz, fmt.Sprintf("%s: an illegal history is drawn in %s (beside results.json).", c.Strategy, v))
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
	d.list(viz...)
}

func heldIOSection(d *document, w *Workload) {
	if len(w.HeldIOTotals) == 0 {
		d.text("No lock figures were recorded.")
		return
	}
	var parts []string
	for _, h := range w.HeldIOTotals {
		if math.IsNaN(h.Share) {
			parts = append(parts, h.Strategy+" never held a lock")
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %s", h.Strategy, formatShare(h.Share)))
	}
	d.text(fmt.Sprintf("Share of lock hold time spent inside store I/O at N=%d, over all locks: %s. Holding a lock across I/O makes every waiter wait for the store too.", w.Top, strings.Join(parts, ", ")))
	t := table{Header: []string{"Strategy", "Lock", "Hold time", "Held in store I/O", "Share"}, Right: []bool{false, false, true, true, true}}
	for _, h := range w.HeldIO {
		t.Rows = append(t.Rows, []string{h.Strategy, h.Lock, formatSeconds(float64(h.HoldNs) / 1e9), formatSeconds(float64(h.HeldIONs) / 1e9), formatShare(h.Share)})
	}
	d.add(t)
	d.text(fmt.Sprintf("Hold times are summed over the repetitions at N=%d.", w.Top))
}

func scalingSection(d *document, m *Model) {
	d.text("Each strategy's throughput is fitted with the Universal Scalability Law, X(N) = λN / (1 + σ(N−1) + κN(N−1)), over every repetition, by non-linear least squares, with 95% bootstrap intervals on σ and κ.",
		"σ is contention: work serialised behind a lock or a single store connection, which caps throughput at λ/σ.",
		"κ is coherency: a cost paid for every pair of clients, which makes throughput fall past a peak at N = √((1−σ)/κ).")
	for _, sc := range m.Scaling {
		d.heading(3, sc.Strategy)
		if len(sc.Fits) == 0 {
			d.text("No usable runs.")
			continue
		}
		var items []string
		t := table{
			Header: []string{"Workload", "λ ops/s", "σ [95% CI]", "κ [95% CI]", "Peak N", "R²", "Points", "Limited by"},
			Right:  []bool{false, true, true, true, true, true, true, false},
		}
		for _, f := range sc.Fits {
			items = append(items, f.Workload+": "+scalingSentences(f))
			if !f.Fitted {
				continue
			}
			t.Rows = append(t.Rows, []string{
				f.Workload, formatSI(f.Lambda),
				formatSmall(f.Sigma) + " " + formatInterval(f.SigmaCI),
				formatSmall(f.Kappa) + " " + formatInterval(f.KappaCI),
				formatPeak(f.PeakN), strconv.FormatFloat(f.R2, 'f', 3, 64), strconv.Itoa(f.Points), f.Limit,
			})
		}
		d.list(items...)
		if len(t.Rows) > 0 {
			d.add(t)
		}
	}
}

// scalingSentences reads one fit against what was measured.
func scalingSentences(f ScalingFit) string {
	s := []string{measuredShape(f)}
	if !f.Fitted {
		s = append(s, fmt.Sprintf("Insufficient data for a fit: measured at %s, and the USL needs at least 3.", plural(int64(f.Levels), "concurrency level")))
		return strings.Join(s, " ")
	}
	s = append(s, fmt.Sprintf("USL fit over %s: λ = %s ops/s, σ = %s %s, κ = %s %s, R² = %.3f.",
		plural(int64(f.Points), "point"), formatSI(f.Lambda), formatSmall(f.Sigma), formatInterval(f.SigmaCI),
		formatSmall(f.Kappa), formatInterval(f.KappaCI), f.R2))
	// The caution comes before the reading of the fit, so nobody reads
	// the reading without it.
	if f.Warning != "" {
		s = append(s, "Caution: "+f.Warning+".")
	}
	top := strconv.Itoa(f.MaxMeasured)
	switch f.Limit {
	case analysis.LimitContention:
		line := "Contention (σ) limits it: at N=" + top + " the serialised share σ(N−1) outweighs the coherency term κN(N−1)"
		if ciReachesZero(f.SigmaCI) {
			line += ", though σ's 95% interval reaches 0"
		}
		s = append(s, line+".")
	case analysis.LimitCoherency:
		s = append(s, "Coherency (κ) limits it: at N="+top+" the per-pair cost κN(N−1) outweighs the serialised share σ(N−1).")
	case analysis.LimitNone:
		s = append(s, "Neither term limits it yet: at N="+top+" both are small and throughput grows almost linearly; higher concurrency would show where it stops.")
	}
	s = append(s, peakSentence(f))
	return strings.Join(s, " ")
}

// measuredShape lists the measured median throughput, before any model:
// every level when there are few, else the first, the best and the last.
func measuredShape(f ScalingFit) string {
	if len(f.Measured) == 0 {
		return "No usable throughput."
	}
	const listAll = 6
	var parts []string
	for i, p := range f.Measured {
		best := p.Concurrency == f.BestMeasuredAt
		if len(f.Measured) > listAll && i != 0 && i != len(f.Measured)-1 && !best {
			continue
		}
		part := fmt.Sprintf("%s at N=%d", formatSI(p.Throughput), p.Concurrency)
		if best && len(f.Measured) > 1 {
			part += " (best)"
		}
		parts = append(parts, part)
	}
	return "Measured median throughput (ops/s): " + strings.Join(parts, ", ") + "."
}

func peakSentence(f ScalingFit) string {
	uncertain := ""
	if ciReachesZero(f.KappaCI) {
		uncertain = " κ's 95% interval reaches 0, so the peak may not exist."
	}
	switch {
	case math.IsInf(f.PeakN, 1):
		if f.Sigma > 0 {
			return fmt.Sprintf("The model has no peak (κ = 0): throughput levels off towards λ/σ ≈ %s ops/s.", formatSI(f.Lambda/f.Sigma))
		}
		return "The model has no peak and no ceiling over any N (σ = κ = 0)."
	case f.PeakN <= 1:
		return "σ ≥ 1: in the model, adding clients never adds throughput."
	case f.PeakN > float64(f.MaxMeasured):
		return fmt.Sprintf("The model peaks at N ≈ %s, beyond the highest measured N=%d: an extrapolation.", formatPeak(f.PeakN), f.MaxMeasured) + uncertain
	default:
		return fmt.Sprintf("The model peaks at N ≈ %s, within the measured range: in the model, more clients than that lower throughput.", formatPeak(f.PeakN)) + uncertain
	}
}

// ciReachesZero: the interval's lower bound is zero but for rounding.
func ciReachesZero(ci [2]float64) bool { return !math.IsNaN(ci[0]) && ci[0] < negligibleCoefficient }

func formatInterval(ci [2]float64) string {
	if math.IsNaN(ci[0]) || math.IsNaN(ci[1]) {
		return "[no CI]"
	}
	return "[" + formatSmall(ci[0]) + "–" + formatSmall(ci[1]) + "]"
}

// negligibleCoefficient: a USL coefficient below it is zero but for
// floating-point noise (analysis treats κ below 1e-12 as absent).
const negligibleCoefficient = 1e-12

// formatSmall formats USL coefficients, which span from 1 down to 1e-7.
func formatSmall(v float64) string {
	switch {
	case math.IsNaN(v):
		return notAvailable
	case v == 0:
		return "0"
	case math.Abs(v) < negligibleCoefficient:
		return "≈0"
	case math.Abs(v) >= 0.001:
		return sig3(v)
	default:
		return strconv.FormatFloat(v, 'e', 2, 64)
	}
}

func formatPeak(n float64) string {
	switch {
	case math.IsInf(n, 1):
		return "none"
	case math.IsNaN(n):
		return notAvailable
	default:
		return strconv.FormatFloat(n, 'f', 0, 64)
	}
}

func method(d *document, m *Model) {
	memory := "the peak of the Go heap during the run (" + MemoryHeap + ")"
	if m.MemorySource == MemoryRSS {
		memory = "the process's peak resident set size (" + MemoryRSS + "), which also counts memory not yet returned to the OS after earlier runs"
	}
	d.list(
		"Each cell is one strategy at one concurrency on one workload, repeated; a run is measured on a freshly built system. Failed and interrupted runs are left out of every figure.",
		"Throughput is completed operations per second; latency is per operation, over all operations (closed loop: from issue to return; open loop: from the intended start, correcting coordinated omission).",
		"Lock wait and hold times come from the instrumented locks; \"held in store I/O\" is the time a lock was held while its holder was inside a store call.",
		"Peak memory is "+memory+".",
		"The per-run plots (spectrum, timeline) show the repetition with the median throughput of its cell.",
		"bench.txt holds one line per usable run in the Go benchmark format: iterations are the run's operations, ns/op is the mean latency of an operation (not wall time divided by operations), ops/s the throughput. Compare strategies with: benchstat -col /strategy bench.txt",
	)
}
