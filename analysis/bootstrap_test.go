package analysis

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestRelativeResiduals pins the residuals the bootstrap draws from:
// x/X̂ − 1, inflated by √(n/(n−3)) for the three fitted parameters (not at
// all with 3 points, which leave no residual degrees of freedom to
// correct for); 0 where the fit predicts nothing.
func TestRelativeResiduals(t *testing.T) {
	tests := []struct {
		name      string
		fitted, x []float64
		want      []float64
	}{
		{"3 points: not inflated", []float64{100, 200, 400}, []float64{110, 180, 400}, []float64{0.1, -0.1, 0}},
		// √(4/1) = 2.
		{"4 points: doubled", []float64{100, 200, 400, 0}, []float64{110, 180, 400, 5}, []float64{0.2, -0.2, 0, 0}},
		// √(6/3) = √2.
		{"6 points", []float64{100, 100, 100, 100, 100, 100}, []float64{110, 90, 100, 100, 100, 100},
			[]float64{0.1 * math.Sqrt2, -0.1 * math.Sqrt2, 0, 0, 0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := relativeResiduals(tc.fitted, tc.x)
			for i := range tc.want {
				if !near(got[i], tc.want[i], 1e-12, 1e-15) {
					t.Fatalf("residuals %v, want %v", got, tc.want)
				}
			}
		})
	}
}

// TestResample: a resample is the fit times 1 + a drawn residual, never
// below zero.
func TestResample(t *testing.T) {
	fitted := []float64{100, 200, 400}
	out := make([]float64, 3)
	rng := rand.New(rand.NewPCG(1, 2))
	resample(out, fitted, []float64{0.25}, rng)
	if out[0] != 125 || out[1] != 250 || out[2] != 500 {
		t.Errorf("resample with residual 0.25: %v, want [125 250 500]", out)
	}
	resample(out, fitted, []float64{-1.5}, rng)
	if out[0] != 0 || out[1] != 0 || out[2] != 0 {
		t.Errorf("resample with residual -1.5: %v, want zeros, not negative throughput", out)
	}
	for range 20 {
		resample(out, fitted, []float64{0.5, -0.5}, rng)
		for i, v := range out {
			if v != fitted[i]*1.5 && v != fitted[i]*0.5 {
				t.Fatalf("resample %v: point %d is neither 1.5 nor 0.5 times the fit %v", out, i, fitted[i])
			}
		}
	}
}

// TestPercentileInterval: the central 95% of a sample, 2.5% cut off each
// side; NaN for nothing.
func TestPercentileInterval(t *testing.T) {
	vs := make([]float64, 200)
	for i := range vs {
		vs[i] = float64(200 - i) // unsorted: 200, 199, …, 1
	}
	if got := percentileInterval(vs); got != [2]float64{5, 195} {
		t.Errorf("interval of 1..200: %v, want [5 195]", got)
	}
	if got := percentileInterval(nil); !math.IsNaN(got[0]) || !math.IsNaN(got[1]) {
		t.Errorf("interval of nothing: %v, want NaN", got)
	}
}

// TestBootstrapResamples: resamples is how many resamples are drawn: one
// gives a single value, no width. (0 meaning DefaultResamples is pinned by
// TestUSLFits.)
func TestBootstrapResamples(t *testing.T) {
	ns, xs := noisy(USL{Lambda: 100, Sigma: 0.1, Kappa: 1e-3}, []float64{1, 8, 64}, 2, 0.05, 3)
	one, err := FitUSLBootstrap(ns, xs, 1, 7)
	if err != nil {
		t.Fatal(err)
	}
	if one.SigmaCI[0] != one.SigmaCI[1] || one.KappaCI[0] != one.KappaCI[1] || math.IsNaN(one.SigmaCI[0]) {
		t.Errorf("one resample: σ interval %v, κ interval %v, want each a single value", one.SigmaCI, one.KappaCI)
	}
}
