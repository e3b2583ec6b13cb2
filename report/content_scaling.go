package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"lockbench/analysis"
)

// scalingSection closes the report: per strategy, where it peaks and
// whether contention or coherency limits it — the seed's unfinished
// "document performance characteristics and scaling considerations".
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

// minUSLLevels is the number of concurrency levels a USL fit needs: one
// per parameter (λ, σ, κ).
const minUSLLevels = 3

// scalingSentences reads one fit against what was measured.
func scalingSentences(f ScalingFit) string {
	s := []string{measuredShape(f)}
	if !f.Fitted {
		switch {
		case f.Levels < minUSLLevels:
			s = append(s, fmt.Sprintf("Insufficient data for a fit: measured at %s, and the USL needs at least %d.", plural(int64(f.Levels), "concurrency level"), minUSLLevels))
		case !(f.BestMeasured > 0):
			s = append(s, "No fit: throughput is zero at every level.")
		default:
			s = append(s, "No fit: the USL could not be fitted to these points.")
		}
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
	if c := ceilingSentence(f); c != "" {
		s = append(s, c)
	}
	return strings.Join(s, " ")
}

// ceilingsAgree: the USL's and the operational ceiling agree when within
// this factor of each other. Both are estimates from the same points, one
// from a curve's shape, the other from measured demands.
const ceilingsAgree = 1.25

// uslCeiling is the highest throughput the fit allows: at its peak, or its
// asymptote λ/σ when it has none; +Inf when it has neither.
func uslCeiling(u analysis.USL) float64 {
	switch {
	case u.Kappa > 0 && !math.IsInf(u.PeakN, 1):
		return u.Predict(u.PeakN)
	case u.Sigma > 0:
		return u.Lambda / u.Sigma
	}
	return math.Inf(1)
}

// ceilingSentence compares the USL's ceiling with the operational bound at
// the highest concurrency measured.
func ceilingSentence(f ScalingFit) string {
	op := f.OperationalCeiling
	if math.IsNaN(op) || !(op > 0) {
		return ""
	}
	usl := uslCeiling(f.USL)
	opText := fmt.Sprintf("the operational laws put the ceiling at %s ops/s (%s at N=%d)", formatSI(op), f.OperationalCeilingBy, f.MaxMeasured)
	switch {
	case math.IsInf(usl, 1):
		return "The USL sets no ceiling; " + opText + "."
	case usl <= op*ceilingsAgree && op <= usl*ceilingsAgree:
		return fmt.Sprintf("Its ceiling, %s ops/s, agrees with the operational bound: %s.", formatSI(usl), opText)
	case usl > op:
		return fmt.Sprintf("Its ceiling, %s ops/s, is above the operational bound — %s — and no server goes past its bound: the fit extrapolates too far.", formatSI(usl), opText)
	}
	return fmt.Sprintf("Its ceiling, %s ops/s, is below the operational bound — %s: something the measured demands do not show (queueing spread over many resources, or a per-pair cost) would stop it first.", formatSI(usl), opText)
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
		best := p.Concurrency == f.BestMeasuredAt && f.BestMeasured > 0
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
