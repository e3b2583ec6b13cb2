package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"lockbench/analysis"
)

// notAvailable stands in a table cell for a figure that does not exist.
const notAvailable = "–"

// formatSI formats v with three significant digits and an SI prefix:
// 12345 → "12.3k".
func formatSI(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return notAvailable
	}
	prefixes := []struct {
		scale float64
		name  string
	}{{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}}
	for _, p := range prefixes {
		if math.Abs(v) >= p.scale*0.9995 {
			return sig3(v/p.scale) + p.name
		}
	}
	return sig3(v)
}

// sig3 formats v with three significant digits, without an exponent for
// the magnitudes the report shows.
func sig3(v float64) string {
	a := math.Abs(v)
	switch {
	case a == 0:
		return "0"
	case a >= 99.95:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 9.995:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 0.9995:
		return strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}

// timeUnits from the largest down; formatSeconds picks the first that
// keeps the value at or above 1.
var timeUnits = []struct {
	scale float64 // seconds per unit
	name  string
}{{1, "s"}, {1e-3, "ms"}, {1e-6, "µs"}, {1e-9, "ns"}}

// formatSeconds formats a duration in seconds with three significant
// digits: 8.1e-5 → "81.0µs".
func formatSeconds(s float64) string {
	if math.IsNaN(s) || math.IsInf(s, 0) {
		return notAvailable
	}
	if s == 0 {
		return "0"
	}
	for _, u := range timeUnits {
		if math.Abs(s) >= u.scale*0.9995 {
			return sig3(s/u.scale) + u.name
		}
	}
	return sig3(s/1e-9) + "ns"
}

// timeUnitFor picks the unit that shows v (seconds) as a number from 1 up.
func timeUnitFor(v float64) (scale float64, name string) {
	for _, u := range timeUnits {
		if v >= u.scale {
			return u.scale, u.name
		}
	}
	last := timeUnits[len(timeUnits)-1]
	return last.scale, last.name
}

// formatBytes formats a byte count with a binary prefix: "12.3 MiB".
func formatBytes(b float64) string {
	if math.IsNaN(b) || math.IsInf(b, 0) {
		return notAvailable
	}
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	i := 0
	for math.Abs(b) >= 1023.95 && i < len(units)-1 {
		b /= 1024
		i++
	}
	return sig3(b) + " " + units[i]
}

// formatRatio formats a ratio to the baseline: "×3.10".
func formatRatio(r float64) string {
	switch {
	case math.IsInf(r, 1):
		return "×∞" // the baseline's median is zero
	case math.IsNaN(r) || math.IsInf(r, 0):
		return notAvailable
	}
	return "×" + sig3(r)
}

// formatP formats a p-value the way benchstat does.
func formatP(p float64) string {
	switch {
	case math.IsNaN(p):
		return "p=" + notAvailable
	case p < 0.001:
		return "p<0.001"
	default:
		return "p=" + strconv.FormatFloat(p, 'f', 3, 64)
	}
}

// formatShare formats a fraction as a percentage.
func formatShare(f float64) string {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return notAvailable
	case f == 0:
		return "0%"
	case f < 0.001:
		return "<0.1%"
	case f < 0.1:
		return strconv.FormatFloat(100*f, 'f', 1, 64) + "%"
	default:
		return strconv.FormatFloat(100*f, 'f', 0, 64) + "%"
	}
}

// formatCI is a summary's 95% confidence interval as benchstat shows it:
// the larger distance of a bound from the median, relative to the median.
// Without an interval (too few samples) it is "± ∞".
func formatCI(s analysis.Summary) string {
	if math.IsInf(s.Lo, 0) || math.IsInf(s.Hi, 0) || math.IsNaN(s.Lo) || math.IsNaN(s.Hi) || s.Center == 0 {
		return "± ∞"
	}
	d := math.Max(s.Center-s.Lo, s.Hi-s.Center) / math.Abs(s.Center)
	return "± " + formatShare(d)
}

// ratioBounds bounds the ratio New/Base by the two medians' 95% confidence
// intervals (lowest new over highest base, and the reverse): conservative,
// and absent (ok false) when either interval is.
func ratioBounds(c analysis.Comparison) (lo, hi float64, ok bool) {
	finite := func(v float64) bool { return !math.IsInf(v, 0) && !math.IsNaN(v) }
	if !finite(c.New.Lo) || !finite(c.New.Hi) || !finite(c.Base.Lo) || !finite(c.Base.Hi) || c.Base.Lo <= 0 || c.Base.Hi <= 0 {
		return 0, 0, false
	}
	return c.New.Lo / c.Base.Hi, c.New.Hi / c.Base.Lo, true
}

// formatComparison is a comparison in one phrase: "×3.10 [2.90–3.30],
// p=0.008", or "~ ×1.02, p=0.421" when not significant, with the analysis
// note when there is one.
func formatComparison(c analysis.Comparison) string {
	var b strings.Builder
	if !c.Significant {
		b.WriteString("~ ")
	}
	b.WriteString(formatRatio(c.Ratio))
	if lo, hi, ok := ratioBounds(c); ok {
		fmt.Fprintf(&b, " [%s–%s]", sig3(lo), sig3(hi))
	} else {
		b.WriteString(" [no CI]")
	}
	b.WriteString(", " + formatP(c.P))
	if c.Note != "" && c.Note != analysis.NoteNoChange {
		b.WriteString(", " + c.Note)
	}
	return b.String()
}

// formatKinds lists counts: "12 store_divergence, 5 version_regression".
func formatKinds(kinds []KindCount) string {
	parts := make([]string, 0, len(kinds))
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%d %s", k.Count, k.Kind))
	}
	return strings.Join(parts, ", ")
}

// plural returns "1 run" or "3 runs", "1 anomaly" or "2 anomalies".
func plural(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "y") && !strings.HasSuffix(word, "ey") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(word, "y"))
	}
	return fmt.Sprintf("%d %ss", n, word)
}
