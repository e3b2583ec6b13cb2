package verdict

import (
	"fmt"
	"io"
	"strings"

	"golang.org/x/perf/benchunit"
)

// WriteMarkdown writes the comparison as a table ready to paste into a
// pull request: the gate's outcome first, then one row per judgement, the
// worst first (correctness regressions, regressions, inconclusive,
// improvements, the rest).
func (c *Comparison) WriteMarkdown(w io.Writer, allowInconclusive bool) error {
	ew := &errWriter{w: w}
	g := c.Gate(allowInconclusive)
	if g.Pass {
		fmt.Fprintf(ew, "**Verdict: pass** — no correctness regression, no significant regression beyond %s", FormatThreshold(c.Threshold))
		if n := len(c.WithVerdict(Inconclusive)); n > 0 {
			fmt.Fprintf(ew, ", %d inconclusive accepted", n)
		}
		fmt.Fprintln(ew, ".")
	} else {
		fmt.Fprintf(ew, "**Verdict: FAIL** — %s.\n", strings.Join(g.Reasons, ", "))
	}
	fmt.Fprintf(ew, "\n%s vs %s", mdEscape(c.OldName), mdEscape(c.NewName))
	if c.Map != nil {
		var parts []string
		for _, p := range c.Map {
			parts = append(parts, p.Old+" → "+p.New)
		}
		fmt.Fprintf(ew, " (%s)", strings.Join(parts, ", "))
	}
	fmt.Fprintf(ew, "; %s.\n\n", c.methodNote())

	fmt.Fprintln(ew, "| verdict | cell | metric | old | new | change | p (adjusted) |")
	fmt.Fprintln(ew, "| --- | --- | --- | --- | --- | ---: | ---: |")
	for _, k := range c.Correctness {
		if k.Verdict == CorrectnessRegression {
			fmt.Fprintf(ew, "| **correctness regression**: %s | %s | consistency | %s | %s | | |\n",
				mdEscape(k.Reason()), mdEscape(k.Cell.String()), mdEscape(k.Old.String()), mdEscape(k.New.String()))
		}
	}
	order := []string{Regression, Inconclusive, Improvement, Changed, FewSamples, NoChange}
	for _, v := range order {
		for _, d := range c.WithVerdict(v) {
			scale := benchunit.CommonScale(finite(d.Old.Center, d.New.Center), benchunit.Decimal)
			fmt.Fprintf(ew, "| %s | %s | %s | %s | %s | %s | %.3f (%.3f) |\n",
				mdVerdict(d), mdEscape(d.Cell.String()), d.Metric.Name,
				formatSummary(scale, d.Old), formatSummary(scale, d.New), FormatChange(d.Ratio), d.P, d.PAdjusted)
		}
	}
	for _, k := range c.Correctness {
		if k.Verdict != CorrectnessRegression {
			fmt.Fprintf(ew, "| %s | %s | consistency | %s | %s | | |\n",
				k.Verdict, mdEscape(k.Cell.String()), mdEscape(k.Old.String()), mdEscape(k.New.String()))
		}
	}
	if lines := c.coverage(); len(lines) > 0 {
		fmt.Fprintln(ew)
		for _, line := range lines {
			fmt.Fprintln(ew, mdEscape(line)+"  ")
		}
	}
	return ew.err
}

func mdVerdict(d Delta) string {
	switch d.Verdict {
	case Regression:
		return "**regression**"
	case Inconclusive:
		return fmt.Sprintf("**inconclusive** (needs ≥ %d repetitions per side)", d.NeededReps)
	}
	return d.Verdict
}

// mdEscape keeps a cell's text from breaking the table.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`).Replace(s)
}
