package verdict

import (
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchunit"

	"lockbench/analysis"
	"lockbench/results"
)

// WriteText writes the comparison benchstat style: where each side comes
// from, correctness per cell, one table per metric, what was left out, and
// the verdicts with the gate's outcome last.
func (c *Comparison) WriteText(w io.Writer, allowInconclusive bool) error {
	ew := &errWriter{w: w}
	c.writeSources(ew)
	c.writeCorrectness(ew)

	for _, m := range c.Metrics {
		ds := c.ByMetric(m.Name)
		if len(ds) == 0 {
			continue
		}
		fmt.Fprintf(ew, "\n%s (%s, %s is better)\n", m.Name, m.Unit, map[bool]string{true: "higher", false: "lower"}[m.Better > 0])
		t := table{{"", "old", "new", "vs old", "", ""}}
		for _, d := range ds {
			scale := benchunit.CommonScale(finite(d.Old.Center, d.New.Center), benchunit.Decimal)
			t = append(t, []string{d.Cell.String(), formatSummary(scale, d.Old), formatSummary(scale, d.New),
				changeColumn(d), "(" + testColumn(d) + ")", verdictColumn(d)})
		}
		old, new, ratio := GeoMeans(ds)
		scale := benchunit.CommonScale(finite(old, new), benchunit.Decimal)
		t = append(t, []string{"geomean", formatValue(scale, old), formatValue(scale, new), FormatChange(ratio), "", ""})
		t.write(ew, map[int]bool{0: true, 4: true, 5: true})
	}
	fmt.Fprintln(ew)
	for _, line := range c.coverage() {
		fmt.Fprintln(ew, line)
	}
	fmt.Fprintln(ew, c.methodNote())
	for _, line := range c.verdictLines(allowInconclusive) {
		fmt.Fprintln(ew, line)
	}
	return ew.err
}

// writeCorrectness is one row per cell, or one line when neither side of
// any cell was checked (a table of "not checked" says nothing more).
func (c *Comparison) writeCorrectness(w io.Writer) {
	checked := false
	for _, k := range c.Correctness {
		checked = checked || k.Old.Checked > 0 || k.New.Checked > 0
	}
	if !checked {
		fmt.Fprintf(w, "\ncorrectness: not checked — no run on either side had the consistency checks on\n")
		return
	}
	fmt.Fprintf(w, "\ncorrectness (anomalies by kind and linearizability of every run; judged before speed)\n")
	t := table{{"", "old", "new", "verdict"}}
	for _, k := range c.Correctness {
		verdict := k.Verdict
		if k.Verdict == CorrectnessRegression {
			verdict = "CORRECTNESS REGRESSION: " + k.Reason()
		}
		t = append(t, []string{k.Cell.String(), k.Old.String(), k.New.String(), verdict})
	}
	t.write(w, map[int]bool{0: true, 1: true, 2: true, 3: true})
}

func (c *Comparison) writeSources(w io.Writer) {
	fmt.Fprintf(w, "old: %s (%s)\n", c.OldName, describeMeta(c.OldMeta))
	fmt.Fprintf(w, "new: %s (%s)\n", c.NewName, describeMeta(c.NewMeta))
	if c.Map != nil {
		var parts []string
		for _, p := range c.Map {
			parts = append(parts, p.Old+" → "+p.New)
		}
		fmt.Fprintf(w, "pairs: %s\n", strings.Join(parts, ", "))
	}
	if g0, g1 := c.OldMeta.GoVersion, c.NewMeta.GoVersion; g0 != g1 {
		fmt.Fprintf(w, "note: different Go versions (%s, %s): lock wait figures are not comparable across Go releases\n", g0, g1)
	}
}

// changeColumn is the change of the medians when significant, "~"
// otherwise (as benchstat).
func changeColumn(d Delta) string {
	if d.PAdjusted < analysis.Alpha {
		return FormatChange(d.Ratio)
	}
	return "~"
}

// testColumn is benchstat's "p=… n=…" with the adjusted p beside it when
// the correction moved it.
func testColumn(d Delta) string {
	s := benchmath.Comparison{P: d.P, N1: d.Old.N, N2: d.New.N}.String()
	if !math.IsNaN(d.PAdjusted) && math.Abs(d.PAdjusted-d.P) > 5e-4 {
		s += fmt.Sprintf(" adj=%.3f", d.PAdjusted)
	}
	return s
}

func verdictColumn(d Delta) string {
	switch d.Verdict {
	case Regression:
		return "REGRESSION"
	case Inconclusive:
		return fmt.Sprintf("INCONCLUSIVE %s (needs ≥ %d repetitions per side)", FormatChange(d.Ratio), d.NeededReps)
	case FewSamples, Improvement:
		return d.Verdict
	}
	return ""
}

// coverage names what was not compared, so a reader knows a comparison
// left something out.
func (c *Comparison) coverage() []string {
	var out []string
	for i, keys := range [][]analysis.CellKey{c.OnlyOld, c.OnlyNew} {
		if len(keys) == 0 {
			continue
		}
		names := make([]string, len(keys))
		for j, k := range keys {
			names[j] = k.String()
		}
		out = append(out, fmt.Sprintf("not compared, only in %s: %s", []string{c.OldName, c.NewName}[i], strings.Join(names, ", ")))
	}
	return out
}

// methodNote says how significance was decided over the whole comparison.
func (c *Comparison) methodNote() string {
	m := c.Tests()
	if m == 0 {
		return "no U test was possible"
	}
	return fmt.Sprintf("%d U tests judged together: p-values adjusted by Benjamini–Hochberg (false discovery rate %g%%); a lone change must reach p < %.2g",
		m, 100*analysis.Alpha, analysis.Alpha/float64(m))
}

// verdictLines list correctness regressions, then regressions, then
// inconclusive cells, then the gate's outcome.
func (c *Comparison) verdictLines(allowInconclusive bool) []string {
	var out []string
	if ks := c.CorrectnessRegressions(); len(ks) > 0 {
		out = append(out, fmt.Sprintf("%d correctness regression(s):", len(ks)))
		for _, k := range ks {
			out = append(out, fmt.Sprintf("  %s: %s (old %s; new %s)", k.Cell, k.Reason(), k.Old, k.New))
		}
	} else {
		out = append(out, "no correctness regression")
	}
	if ds := c.WithVerdict(Regression); len(ds) > 0 {
		out = append(out, fmt.Sprintf("%d significant regression(s) beyond %s:", len(ds), FormatThreshold(c.Threshold)))
		for _, d := range ds {
			out = append(out, fmt.Sprintf("  %s %s %s (p=%.3f adjusted)", d.Metric.Name, d.Cell, FormatChange(d.Ratio), d.PAdjusted))
		}
	} else {
		out = append(out, fmt.Sprintf("no significant regression beyond %s", FormatThreshold(c.Threshold)))
	}
	if ds := c.WithVerdict(Inconclusive); len(ds) > 0 {
		accepted := ""
		if allowInconclusive {
			accepted = " (accepted: --allow-inconclusive)"
		}
		out = append(out, fmt.Sprintf("%d inconclusive%s: worse beyond %s, too few repetitions to tell:", len(ds), accepted, FormatThreshold(c.Threshold)))
		for _, d := range ds {
			out = append(out, fmt.Sprintf("  %s %s %s with %d and %d repetitions; needs ≥ %d per side", d.Metric.Name, d.Cell, FormatChange(d.Ratio), d.Old.N, d.New.N, d.NeededReps))
		}
	}
	return out
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

// FormatChange renders a ratio as a signed percentage, "?" when undefined
// (a zero old value).
func FormatChange(ratio float64) string {
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

// table is rows of cells laid out as benchstat does: the columns in left
// left-aligned, the others (figures) right-aligned.
type table [][]string

func (t table) write(w io.Writer, left map[int]bool) {
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
			if left[i] {
				b.WriteString(cell + pad)
			} else {
				b.WriteString(pad + cell)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// errWriter keeps the first write error so the writers can print freely
// and report once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
