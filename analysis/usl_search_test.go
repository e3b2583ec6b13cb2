package analysis

import (
	"math"
	"testing"
)

func mustData(t *testing.T, n []float64) *uslData {
	t.Helper()
	x := make([]float64, len(n))
	for i := range x {
		x[i] = 100 * n[i]
	}
	d, err := newUSLData(n, x)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestSearchCoordinates pins the scaling of the search: σ is the square of
// the first coordinate, and κ·maxN² the square of the second, so a
// coherency term κN² of order 1 at the highest level is a coordinate of
// order 1, whatever the levels measured; and back.
func TestSearchCoordinates(t *testing.T) {
	d := mustData(t, []float64{1, 8, 64})
	if p := d.coords(0.25, 1.0/(64*64)); p[0] != 0.5 || p[1] != 1 {
		t.Errorf("coords(σ=0.25, κ=1/64²) = %v, want [0.5 1]", p)
	}
	if p := d.coords(0.04, 9.0/(64*64)); !near(p[0], 0.2, 1e-15, 0) || !near(p[1], 3, 1e-15, 0) {
		t.Errorf("coords(σ=0.04, κ=9/64²) = %v, want [0.2 3]", p)
	}
	if s, k := d.params([]float64{0.5, 2}); s != 0.25 || !near(k, 4.0/(64*64), 1e-15, 0) {
		t.Errorf("params([0.5 2]) = σ %v κ %v, want 0.25 and 4/64²", s, k)
	}
	// Negative coordinates map to the same non-negative parameters.
	if s, k := d.params([]float64{-0.5, -2}); s != 0.25 || !near(k, 4.0/(64*64), 1e-15, 0) {
		t.Errorf("params([-0.5 -2]) = σ %v κ %v, want 0.25 and 4/64²", s, k)
	}
}

// TestGridStart: data lying exactly on a grid point start the search
// there, on any scale of concurrency.
func TestGridStart(t *testing.T) {
	for _, tc := range []struct {
		levels []float64
		sigma  float64
		kappaN float64 // κ·maxN²
	}{
		{[]float64{1, 2, 4, 8}, 0.05, 0.5},
		{[]float64{1, 16, 256, 1024}, 0.2, 2},
		{[]float64{1, 4, 16}, 0.001, 10},
		{[]float64{1, 4, 16, 64, 256}, 0, 0},
	} {
		maxN := tc.levels[len(tc.levels)-1]
		truth := USL{Lambda: 1000, Sigma: tc.sigma, Kappa: tc.kappaN / (maxN * maxN)}
		d, err := newUSLData(tc.levels, curve(truth, tc.levels))
		if err != nil {
			t.Fatal(err)
		}
		sigma, kappa := d.params(d.gridStart())
		if !near(sigma, truth.Sigma, 1e-9, 0) || !near(kappa, truth.Kappa, 1e-9, 0) {
			t.Errorf("levels %v: grid start σ=%g κ=%g, want the grid point σ=%g κ=%g", tc.levels, sigma, kappa, truth.Sigma, truth.Kappa)
		}
	}
}

// TestResultBoundaries pins the diagnosis at its exact thresholds.
func TestResultBoundaries(t *testing.T) {
	// σ = 1: throughput never rises, the peak is at 1 whatever κ.
	if u := mustData(t, []float64{1, 2, 4}).result([]float64{1, 4}); u.Sigma != 1 || u.PeakN != 1 {
		t.Errorf("σ=%v: PeakN %v, want 1", u.Sigma, u.PeakN)
	}
	// κ = 1e-12 exactly (4e-6/4 squared) is coherency, with a peak at
	// √(1/κ) = 10⁶; below it κ counts as zero and the peak is infinite.
	d := mustData(t, []float64{1, 2, 4})
	if u := d.result([]float64{0, 4e-6}); u.Kappa != 1e-12 || !near(u.PeakN, 1e6, 1e-12, 0) {
		t.Errorf("κ=%v: PeakN %v, want 10⁶", u.Kappa, u.PeakN)
	}
	if u := d.result([]float64{0, 3.9e-6}); !math.IsInf(u.PeakN, 1) {
		t.Errorf("κ=%v: PeakN %v, want +Inf", u.Kappa, u.PeakN)
	}
	// σ(N−1) = 0.0015625·64 = 0.1 exactly at N = 65: no longer
	// near-linear; a little less is.
	d = mustData(t, []float64{1, 5, 65})
	if u := d.result(d.coords(0.0015625, 0)); u.Sigma*64 != 0.1 || u.Limit != LimitContention {
		t.Errorf("σ(N−1)=%v: Limit %q, want %q", u.Sigma*64, u.Limit, LimitContention)
	}
	if u := d.result(d.coords(0.00156, 0)); u.Limit != LimitNone {
		t.Errorf("σ(N−1)=%v: Limit %q, want %q", u.Sigma*64, u.Limit, LimitNone)
	}
	// At N = 4, σ = 0.25 and κ = 0.0625 make both terms 0.75: coherency is
	// named only when it dominates.
	d = mustData(t, []float64{1, 2, 4})
	u := d.result([]float64{0.5, 1})
	if u.Sigma*3 != u.Kappa*4*3 || u.Limit != LimitContention {
		t.Errorf("contention %v, coherency %v: Limit %q, want %q", u.Sigma*3, u.Kappa*12, u.Limit, LimitContention)
	}
	if u := d.result([]float64{0.5, 1.01}); u.Limit != LimitCoherency {
		t.Errorf("coherency a little above contention: Limit %q, want %q", u.Limit, LimitCoherency)
	}
}

// TestFitWarningThresholds: the poor-fit warning from R² below 0.9, the
// extrapolation warning from a peak beyond twice the highest level; at
// either threshold, none.
func TestFitWarningThresholds(t *testing.T) {
	d := mustData(t, []float64{1, 2, 4, 8, 16, 32, 64})
	tests := []struct {
		u    USL
		want string
	}{
		{USL{R2: 0.9, PeakN: math.Inf(1)}, ""},
		{USL{R2: 0.8999, PeakN: math.Inf(1)}, "poor fit (R²=0.90): the USL does not describe this curve well"},
		{USL{R2: 1, PeakN: 128}, ""},
		{USL{R2: 1, PeakN: 128.5}, "predicted peak N≈128 lies far beyond the highest measured N=64: an extrapolation"},
		{USL{R2: 1, PeakN: 1}, ""},
	}
	for _, tc := range tests {
		if got := d.warning(tc.u); got != tc.want {
			t.Errorf("R²=%v PeakN=%v: warning %q, want %q", tc.u.R2, tc.u.PeakN, got, tc.want)
		}
	}
	// Three levels: barely determined with more points, exact with three.
	if got := mustData(t, []float64{1, 1, 4, 4, 16}).warning(USL{R2: 1, PeakN: 1}); got != "only 3 concurrency levels for 3 parameters: the fit is barely determined" {
		t.Errorf("5 points at 3 levels: warning %q", got)
	}
	if got := mustData(t, []float64{1, 4, 16, 64}).warning(USL{R2: 1, PeakN: 1}); got != "" {
		t.Errorf("4 points at 4 levels: warning %q, want none", got)
	}
}

// TestObjectiveAndR2 pins the figures of the fit against hand-computed
// values: the best λ for given σ, κ (a linear least-squares solution), the
// objective (residual sum of squares relative to Σx²) and R².
func TestObjectiveAndR2(t *testing.T) {
	d, err := newUSLData([]float64{1, 2, 4}, []float64{100, 150, 200})
	if err != nil {
		t.Fatal(err)
	}
	// σ = κ = 0: X = λN, λ = Σx·N / ΣN² = 1200/21; the residual sum of
	// squares is Σx² − (Σx·N)²/ΣN² = 72500 − 1200²/21.
	if got := d.lambda(0, 0); !near(got, 1200.0/21, 1e-12, 0) {
		t.Errorf("λ(0, 0) = %v, want 1200/21", got)
	}
	if got := d.objective([]float64{0, 0}); !near(got, (72500-1200.0*1200/21)/72500, 1e-12, 0) {
		t.Errorf("objective(0, 0) = %v, want %v", got, (72500-1200.0*1200/21)/72500)
	}
	// σ = 1: X = λ, the mean 150; residuals −50, 0, 50.
	if got := d.lambda(1, 0); !near(got, 150, 1e-12, 0) {
		t.Errorf("λ(1, 0) = %v, want 150", got)
	}
	if got := d.objective([]float64{1, 0}); !near(got, 5000.0/72500, 1e-12, 0) {
		t.Errorf("objective(1, 0) = %v, want 5000/72500", got)
	}
	// Predictions 100, 200, 400: residuals 0, −50, −200 against a total
	// sum of squares about the mean 150 of 5000.
	if got := d.r2(USL{Lambda: 100}); !near(got, 1-42500.0/5000, 1e-12, 0) {
		t.Errorf("R² = %v, want 1 − 42500/5000", got)
	}
	// Flat throughput: a flat fit is perfect, anything else a miss.
	flat, err := newUSLData([]float64{1, 2, 4}, []float64{100, 100, 100})
	if err != nil {
		t.Fatal(err)
	}
	if got := flat.r2(USL{Lambda: 100, Sigma: 1}); got != 1 {
		t.Errorf("flat data, flat fit: R² = %v, want 1", got)
	}
	if got := flat.r2(USL{Lambda: 101, Sigma: 1}); got != 0 {
		t.Errorf("flat data, fit off by 1: R² = %v, want 0", got)
	}
}
