package report

import (
	"cmp"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"lockbench/analysis"
	"lockbench/results"
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
	d.text(fmt.Sprintf("For each workload, at the highest concurrency every strategy reached (N): first the decision — the fastest strategy with no anomaly in any of its runs on the workload, all of them checked, and its throughput relative to %s — then the fastest strategy overall with its anomalies beside it, and how long locks were held inside store I/O per operation, on map-wide locks (every client waits) and on per-key locks (only writers of that key wait), for the recommended strategy and for %s, and what limits each strategy at N: its bottleneck by the operational laws, with its utilization (see each workload's Bottlenecks).", m.Baseline, m.Baseline))
	d.add(summaryTable(m))
	var notes []string
	if len(m.GeoMeans) > 0 {
		var parts []string
		for _, g := range m.GeoMeans {
			parts = append(parts, fmt.Sprintf("%s %s (%s)", g.Strategy, formatRatio(g.Ratio), plural(int64(g.Cells), "cell")))
		}
		notes = append(notes, fmt.Sprintf("Throughput relative to %s over every workload and concurrency (geometric mean of the ratios of medians): %s.", m.Baseline, strings.Join(parts, ", ")))
	}
	notes = append(notes, fmt.Sprintf("\"vs %s\" is the ratio of the medians; [lo–hi] bounds it by the two medians' 95%% confidence intervals (\"no CI\" when a cell has fewer than 6 repetitions); p is from a two-sided Mann–Whitney U test; \"~\" marks a difference that is not significant at p<%.2g, as benchstat does.", m.Baseline, analysis.Alpha))
	d.text(notes...)
}

// summaryColumn is one column of the summary table. Columns are a list so
// another verdict (what limits a strategy, say) is one more entry.
type summaryColumn struct {
	header string
	right  bool
	cell   func(m *Model, r SummaryRow) string
}

// summaryColumns lead with the decision: the fastest strategy without
// anomalies, then the fastest overall with its anomalies beside it.
func summaryColumns(m *Model) []summaryColumn {
	return []summaryColumn{
		{"Workload", false, func(_ *Model, r SummaryRow) string { return r.Workload }},
		{"N", true, func(_ *Model, r SummaryRow) string { return strconv.Itoa(r.Concurrency) }},
		{"Fastest without anomalies (median ops/s)", false, func(_ *Model, r SummaryRow) string { return summaryClean(r) }},
		{"Its speed-up over " + m.Baseline, false, func(m *Model, r SummaryRow) string {
			if r.Clean == "" {
				return notAvailable
			}
			return vsBaseline(r.Clean, r.CleanVsBaseline, m.Baseline)
		}},
		{"Fastest overall (median ops/s, vs " + m.Baseline + ")", false, func(m *Model, r SummaryRow) string {
			if r.Fastest == r.Clean {
				return r.Fastest + " (the same)"
			}
			return fmt.Sprintf("%s (%s; %s)", r.Fastest, formatSI(r.FastestThroughput), vsBaseline(r.Fastest, r.VsBaseline, m.Baseline))
		}},
		{"Its anomalies (all its runs)", false, func(_ *Model, r SummaryRow) string { return summaryAnomalies(r) }},
		{"Held in store I/O per op: map-wide / per-key locks", false, summaryHeldIO},
		{"What limits it", false, func(_ *Model, r SummaryRow) string { return summaryLimits(r.Limits) }},
	}
}

// summaryTable is the table a reader acts on; its golden file guards it.
func summaryTable(m *Model) table {
	cols := summaryColumns(m)
	t := table{}
	for _, c := range cols {
		t.Header = append(t.Header, c.header)
		t.Right = append(t.Right, c.right)
	}
	for _, r := range m.Summary {
		row := make([]string, len(cols))
		for i, c := range cols {
			switch {
			case i == 0:
				row[i] = r.Workload
			case r.Fastest == "" && i == 2:
				row[i] = "no usable runs"
			case r.Fastest == "":
				row[i] = notAvailable
			default:
				row[i] = c.cell(m, r)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// summaryLimits names each strategy's bottleneck with its utilization:
// "naive: manager.contexts 99%; sharded: the clients".
func summaryLimits(limits []BottleneckCell) string {
	if len(limits) == 0 {
		return notAvailable
	}
	parts := make([]string, 0, len(limits))
	for _, b := range limits {
		p := b.Strategy + ": " + resourceLabel(b.Name, b.Kind)
		if b.Kind != results.KindClients && b.Kind != results.KindOffered {
			p += " " + formatShare(b.Utilization)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

// summaryHeldIO shows the recommended strategy's held-in-I/O time beside
// the baseline's: "sharded 0 / 1.02 ms; naive 2.05 ms / 0".
func summaryHeldIO(m *Model, r SummaryRow) string {
	pair := func(h HeldIOPerOp) string {
		if math.IsNaN(h.MapWide) && math.IsNaN(h.PerKey) {
			return "no lock figures"
		}
		return formatHeldIO(h.MapWide) + " / " + formatHeldIO(h.PerKey)
	}
	var parts []string
	if r.Clean != "" {
		parts = append(parts, r.Clean+" "+pair(r.CleanHeldIO))
	}
	if r.Clean != m.Baseline && !math.IsNaN(r.BaselineHeldIO.MapWide+r.BaselineHeldIO.PerKey) {
		parts = append(parts, m.Baseline+" "+pair(r.BaselineHeldIO))
	}
	if len(parts) == 0 {
		return notAvailable
	}
	return strings.Join(parts, "; ")
}

// formatHeldIO is a time per operation, "0" when none.
func formatHeldIO(s float64) string {
	if s == 0 {
		return "0"
	}
	return formatSeconds(s)
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
	return fmt.Sprintf("%s%s: %s", plural(r.Anomalies, "anomaly"), checked, formatKinds(r.AnomalyKinds))
}

func summaryClean(r SummaryRow) string {
	switch {
	case r.Clean != "":
		return fmt.Sprintf("%s (%s)", r.Clean, formatSI(r.CleanThroughput))
	case r.CheckedRuns == 0:
		return "unknown: not checked"
	default:
		return "none: every strategy had anomalies or unchecked runs"
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
		"Repetitions beyond Tukey's fences on throughput (mild: 1.5 interquartile ranges beyond the quartiles, severe: 3) are named among the warnings; they stay in every figure, which are medians.",
		"bench.txt holds one line per usable run in the Go benchmark format: iterations are the run's operations, ns/op is the mean latency of an operation (not wall time divided by operations), ops/s the throughput, lockwait-nsec/op and heldio-…-nsec/op lock figures per operation (spelled nsec so benchstat keeps zeros and non-zeros in one table), all at full precision. Compare strategies with: go tool benchstat -col /strategy bench.txt",
	)
}
