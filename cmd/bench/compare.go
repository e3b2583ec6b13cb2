package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchunit"

	"lockbench/analysis"
	"lockbench/results"
)

func init() { commands["compare"] = cmdCompare }

const compareUsage = `usage: bench compare OLD.json NEW.json [--threshold 5%] [--fail-on-regression]
                     [--metric throughput,p99,…] [--format text|json]

Compares every (workload, concurrency, strategy) cell present in both results
files, benchstat style: for each metric, the median of each side with the
half-width of its 95% confidence interval ("± ∞" below 6 repetitions), the
change of the medians, and the p-value of a Mann–Whitney U test with the
number of repetitions. "~" means no significant difference (p ≥ 0.05); with 3
or fewer repetitions per side no difference can be significant, and the row
says "not enough samples". The geomean row is the geometric mean of each
column; its change is the geometric mean of the cells' ratios.

A regression is a significant change for the worse (lower throughput, higher
latency, more CPU or lock wait per operation) larger than --threshold. With
--fail-on-regression, any regression makes the command exit 1: a CI gate.
Flags may come before or after the file names.

flags:
`

// compareFlags are the flags of `bench compare`.
type compareFlags struct {
	threshold        string
	failOnRegression bool
	metrics          string
	format           string
}

func newCompareFlagSet(stderr io.Writer) (*flag.FlagSet, *compareFlags) {
	f := &compareFlags{}
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.threshold, "threshold", "5%", "smallest significant change for the worse that counts as a regression: a percentage (5%) or a fraction (0.05)")
	fs.BoolVar(&f.failOnRegression, "fail-on-regression", false, "exit 1 when any cell regressed significantly beyond --threshold")
	fs.StringVar(&f.metrics, "metric", compareDefaultMetrics(), "comma-separated metrics to compare: "+compareDefaultMetrics()+" (aliases cpu, lockwait), or all")
	fs.StringVar(&f.format, "format", "text", "output format: text (benchstat-style tables) or json")
	fs.Usage = func() {
		fmt.Fprint(stderr, compareUsage)
		fs.PrintDefaults()
	}
	return fs, f
}

func compareDefaultMetrics() string {
	names := make([]string, len(analysis.Metrics))
	for i, m := range analysis.Metrics {
		names[i] = m.Name
	}
	return strings.Join(names, ",")
}

func cmdCompare(args []string, stdout, stderr io.Writer) error {
	fs, f := newCompareFlagSet(stderr)
	// Silence the flag package: a bad flag is one line, -h the usage.
	usage := fs.Usage
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	paths, err := compareParseInterspersed(fs, args)
	fs.Usage = usage
	fs.SetOutput(stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.Usage()
			return nil
		}
		return badInput("compare: %v (bench compare -h lists the flags)", err)
	}
	if len(paths) != 2 {
		return badInput("compare: want two results files, OLD.json and NEW.json; got %d argument(s) %q", len(paths), paths)
	}
	threshold, err := parseThreshold(f.threshold)
	if err != nil {
		return badInput("compare: --threshold %q: %v", f.threshold, err)
	}
	metrics, err := parseMetrics(f.metrics)
	if err != nil {
		return badInput("compare: --metric: %v", err)
	}
	if f.format != "text" && f.format != "json" {
		return badInput("compare: --format %q: want text or json", f.format)
	}
	var files [2]*results.File
	for i, path := range paths {
		files[i], err = results.ReadFile(path)
		if err != nil {
			return fmt.Errorf("%w: compare: %w", errBadInput, err)
		}
	}
	cmp := newComparison(paths, files, metrics, threshold)
	if len(cmp.shared) == 0 {
		return badInput("compare: %s and %s have no (workload, concurrency, strategy) cell with successful runs in common", paths[0], paths[1])
	}

	switch f.format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(cmp.json()); err != nil {
			return err
		}
	default:
		if err := cmp.writeText(stdout); err != nil {
			return err
		}
	}
	if n := len(cmp.regressions()); f.failOnRegression && n > 0 {
		return fmt.Errorf("%w: %d significant regression(s) beyond %s", errRegression, n, formatThreshold(threshold))
	}
	return nil
}

// compareParseInterspersed parses flags that may come before, between or
// after the positional arguments (flag.Parse stops at the first positional
// one) and returns the positional arguments. Everything after "--" is
// positional.
func compareParseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		// Parse consumed a "--" just before rest: the rest is positional.
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// parseThreshold reads "5%" (a percentage) or "0.05" (a fraction). A bare
// number of 1 or more is refused: "5" could mean 5% or 500%.
func parseThreshold(s string) (float64, error) {
	text, percent := strings.CutSuffix(strings.TrimSpace(s), "%")
	v, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	switch {
	case err != nil:
		return 0, errors.New("want a percentage like 5% or a fraction like 0.05")
	case math.IsNaN(v) || math.IsInf(v, 0) || v < 0:
		return 0, errors.New("want a finite value ≥ 0")
	case percent:
		return v / 100, nil
	case v >= 1:
		return 0, fmt.Errorf("ambiguous: write %g%% for a percentage or %g for a fraction", v, v/100)
	}
	return v, nil
}

func formatThreshold(t float64) string {
	return strconv.FormatFloat(100*t, 'f', -1, 64) + "%"
}

// parseMetrics reads a comma-separated list of metric names; "all" is every
// metric.
func parseMetrics(s string) ([]analysis.Metric, error) {
	if strings.TrimSpace(s) == "all" {
		return analysis.Metrics, nil
	}
	var metrics []analysis.Metric
	seen := map[string]bool{}
	for name := range strings.SplitSeq(s, ",") {
		if strings.TrimSpace(name) == "" {
			continue
		}
		m, ok := analysis.MetricByName(name)
		if !ok {
			return nil, fmt.Errorf("unknown metric %q (want %s)", strings.TrimSpace(name), compareDefaultMetrics())
		}
		if !seen[m.Name] {
			seen[m.Name] = true
			metrics = append(metrics, m)
		}
	}
	if len(metrics) == 0 {
		return nil, fmt.Errorf("no metric named (want %s)", compareDefaultMetrics())
	}
	return metrics, nil
}

// comparison is everything `bench compare` prints, computed once for both
// formats.
type comparison struct {
	paths            [2]string
	files            [2]*results.File
	metrics          []analysis.Metric
	threshold        float64
	deltas           []analysis.Delta
	shared           []analysis.CellKey
	onlyOld, onlyNew []analysis.CellKey
}

func newComparison(paths []string, files [2]*results.File, metrics []analysis.Metric, threshold float64) *comparison {
	c := &comparison{paths: [2]string{paths[0], paths[1]}, files: files, metrics: metrics, threshold: threshold}
	c.deltas = analysis.CompareFiles(files[0], files[1], metrics, threshold)
	c.shared, c.onlyOld, c.onlyNew = analysis.SharedCells(files[0], files[1])
	return c
}

// byMetric returns the deltas of metric m, in cell order.
func (c *comparison) byMetric(m analysis.Metric) []analysis.Delta {
	var ds []analysis.Delta
	for _, d := range c.deltas {
		if d.Metric == m.Name {
			ds = append(ds, d)
		}
	}
	return ds
}

func (c *comparison) regressions() []analysis.Delta {
	var ds []analysis.Delta
	for _, d := range c.deltas {
		if d.Regression {
			ds = append(ds, d)
		}
	}
	return ds
}

// geomeans returns the geometric means of the old and new centers and of
// the ratios, as benchstat computes its summary row.
func geomeans(ds []analysis.Delta) (old, new, ratio float64) {
	var olds, news, ratios []float64
	for _, d := range ds {
		olds = append(olds, d.Old.Center)
		news = append(news, d.New.Center)
		ratios = append(ratios, d.Ratio)
	}
	return analysis.GeoMean(olds), analysis.GeoMean(news), analysis.GeoMean(ratios)
}

func (c *comparison) writeText(w io.Writer) error {
	ew := &compareErrWriter{w: w}
	for i, label := range []string{"old", "new"} {
		fmt.Fprintf(ew, "%s: %s (%s)\n", label, c.paths[i], describeMeta(c.files[i].Meta))
	}
	if g0, g1 := c.files[0].Meta.GoVersion, c.files[1].Meta.GoVersion; g0 != g1 {
		fmt.Fprintf(ew, "note: different Go versions (%s, %s): lock wait figures are not comparable across Go releases\n", g0, g1)
	}
	for _, m := range c.metrics {
		ds := c.byMetric(m)
		if len(ds) == 0 {
			continue
		}
		fmt.Fprintf(ew, "\n%s (%s, %s is better)\n", m.Name, m.Unit, map[bool]string{true: "higher", false: "lower"}[m.Better > 0])
		t := compareTable{{"", "old", "new", "vs old", "", ""}}
		for _, d := range ds {
			scale := benchunit.CommonScale([]float64{d.Old.Center, d.New.Center}, benchunit.Decimal)
			delta := "~"
			if d.Significant {
				delta = formatChange(d.Ratio)
			}
			stats := "(" + benchmath.Comparison{P: d.P, N1: d.Old.N, N2: d.New.N}.String() + ")"
			if d.Note == analysis.NoteFewSamples {
				stats += " " + d.Note
			}
			flagged := ""
			if d.Regression {
				flagged = "regression"
			}
			t = append(t, []string{d.Key.String(), formatSummary(scale, d.Old), formatSummary(scale, d.New), delta, stats, flagged})
		}
		old, new, ratio := geomeans(ds)
		scale := benchunit.CommonScale(finite(old, new), benchunit.Decimal)
		t = append(t, []string{"geomean", formatValue(scale, old), formatValue(scale, new), formatChange(ratio), "", ""})
		t.write(ew)
	}
	fmt.Fprintln(ew)
	c.writeCoverage(ew)
	if rs := c.regressions(); len(rs) > 0 {
		fmt.Fprintf(ew, "%d significant regression(s) beyond %s:\n", len(rs), formatThreshold(c.threshold))
		for _, d := range rs {
			fmt.Fprintf(ew, "  %s %s %s\n", d.Metric, d.Key, formatChange(d.Ratio))
		}
	} else {
		fmt.Fprintf(ew, "no significant regression beyond %s\n", formatThreshold(c.threshold))
	}
	return ew.err
}

// writeCoverage names the cells that were not compared, so a reader knows
// a comparison left something out.
func (c *comparison) writeCoverage(w io.Writer) {
	for i, keys := range [][]analysis.CellKey{c.onlyOld, c.onlyNew} {
		if len(keys) == 0 {
			continue
		}
		names := make([]string, len(keys))
		for j, k := range keys {
			names[j] = k.String()
		}
		fmt.Fprintf(w, "not compared, only in %s: %s\n", c.paths[i], strings.Join(names, ", "))
	}
}

func describeMeta(m results.Meta) string {
	parts := []string{m.GoVersion}
	if m.GOOS != "" {
		parts[0] += " " + m.GOOS + "/" + m.GOARCH
	}
	parts = append(parts, fmt.Sprintf("GOMAXPROCS=%d", m.GOMAXPROCS))
	if m.Suite != "" {
		parts = append(parts, "suite "+m.Suite)
	}
	if m.Interrupted {
		parts = append(parts, "interrupted")
	}
	return strings.Join(parts, ", ")
}

// formatSummary is the center and the larger half-width of its confidence
// interval in percent, "± ∞" when there are too few samples for one.
func formatSummary(scale benchunit.Scaler, s analysis.Summary) string {
	ci := benchmath.Summary{Center: s.Center, Lo: s.Lo, Hi: s.Hi}.PctRangeString()
	return formatValue(scale, s.Center) + " ± " + ci
}

func formatValue(scale benchunit.Scaler, v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "?"
	}
	return scale.Format(v)
}

// formatChange renders a ratio as a signed percentage, "?" when undefined
// (a zero old value).
func formatChange(ratio float64) string {
	if math.IsNaN(ratio) || math.IsInf(ratio, 0) {
		return "?"
	}
	return fmt.Sprintf("%+.2f%%", 100*(ratio-1))
}

func finite(vs ...float64) []float64 {
	var out []float64
	for _, v := range vs {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			out = append(out, v)
		}
	}
	return out
}

// compareTable is rows of cells; the first column is left-aligned, the
// figures right-aligned, the test statistics and flags left-aligned, as
// benchstat lays them out.
type compareTable [][]string

func (t compareTable) write(w io.Writer) {
	leftAligned := map[int]bool{0: true, 4: true, 5: true}
	var widths []int
	for _, row := range t {
		for i, cell := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	for _, row := range t {
		var b strings.Builder
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
			if i > 0 {
				b.WriteString("  ")
			}
			if leftAligned[i] {
				b.WriteString(cell + pad)
			} else {
				b.WriteString(pad + cell)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// compareErrWriter keeps the first write error so the text writer can print
// freely and report once.
type compareErrWriter struct {
	w   io.Writer
	err error
}

func (e *compareErrWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

// compareJSON is the --format json output. Figures that are not finite (an
// unbounded confidence interval, a ratio over zero) are null: JSON has no
// infinity.
type compareJSON struct {
	Old         string              `json:"old"`
	New         string              `json:"new"`
	Threshold   float64             `json:"threshold"`
	Alpha       float64             `json:"alpha"`
	Metrics     []compareMetricJSON `json:"metrics"`
	OnlyOld     []string            `json:"only_old"`
	OnlyNew     []string            `json:"only_new"`
	Regressions int                 `json:"regressions"`
}

type compareMetricJSON struct {
	Name         string             `json:"name"`
	Unit         string             `json:"unit"`
	Better       int                `json:"better"`
	GeomeanRatio *float64           `json:"geomean_ratio"`
	Cells        []compareDeltaJSON `json:"cells"`
}

type compareDeltaJSON struct {
	Workload    string             `json:"workload"`
	Concurrency int                `json:"concurrency"`
	Strategy    string             `json:"strategy"`
	Old         compareSummaryJSON `json:"old"`
	New         compareSummaryJSON `json:"new"`
	Ratio       *float64           `json:"ratio"`
	P           *float64           `json:"p"`
	Significant bool               `json:"significant"`
	Regression  bool               `json:"regression"`
	Note        string             `json:"note,omitempty"`
}

type compareSummaryJSON struct {
	Center *float64 `json:"center"`
	Lo     *float64 `json:"lo"`
	Hi     *float64 `json:"hi"`
	N      int      `json:"n"`
}

func (c *comparison) json() compareJSON {
	out := compareJSON{
		Old: c.paths[0], New: c.paths[1], Threshold: c.threshold, Alpha: analysis.Alpha,
		OnlyOld: cellNames(c.onlyOld), OnlyNew: cellNames(c.onlyNew),
		Regressions: len(c.regressions()),
	}
	for _, m := range c.metrics {
		ds := c.byMetric(m)
		_, _, ratio := geomeans(ds)
		mj := compareMetricJSON{Name: m.Name, Unit: m.Unit, Better: m.Better, GeomeanRatio: finitePtr(ratio), Cells: []compareDeltaJSON{}}
		for _, d := range ds {
			mj.Cells = append(mj.Cells, compareDeltaJSON{
				Workload: d.Key.Workload, Concurrency: d.Key.Concurrency, Strategy: d.Key.Strategy,
				Old: summaryJSON(d.Old), New: summaryJSON(d.New),
				Ratio: finitePtr(d.Ratio), P: finitePtr(d.P),
				Significant: d.Significant, Regression: d.Regression, Note: d.Note,
			})
		}
		out.Metrics = append(out.Metrics, mj)
	}
	return out
}

func summaryJSON(s analysis.Summary) compareSummaryJSON {
	return compareSummaryJSON{Center: finitePtr(s.Center), Lo: finitePtr(s.Lo), Hi: finitePtr(s.Hi), N: s.N}
}

func finitePtr(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func cellNames(keys []analysis.CellKey) []string {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.String()
	}
	return names
}
