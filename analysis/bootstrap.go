package analysis

import (
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// DefaultResamples is the number of bootstrap resamples USLFits draws.
const DefaultResamples = 500

// FitUSLBootstrap fits like FitUSL and adds 95% percentile-bootstrap
// intervals on σ and κ. It is a residual bootstrap with multiplicative
// residuals: each resample keeps the measured concurrency levels and puts
// X̂(Nᵢ)·(1+e) at each, e drawn from the fit's relative residuals (inflated by
// √(n/(n−3)) for the three fitted parameters). Relative residuals because
// throughput noise grows with throughput. Deterministic given seed;
// resamples ≤ 0 means DefaultResamples.
func FitUSLBootstrap(n, x []float64, resamples int, seed uint64) (USL, error) {
	d, err := newUSLData(n, x)
	if err != nil {
		return USL{}, err
	}
	if resamples <= 0 {
		resamples = DefaultResamples
	}
	u := d.result(d.minimize(d.gridStart(), 2))

	fitted := make([]float64, len(n))
	for i := range n {
		fitted[i] = u.Predict(n[i])
	}
	residuals := relativeResiduals(fitted, x)

	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	sigmas := make([]float64, 0, resamples)
	kappas := make([]float64, 0, resamples)
	resampled := make([]float64, len(n))
	for range resamples {
		resample(resampled, fitted, residuals, rng)
		rd, err := newUSLData(n, resampled)
		if err != nil {
			continue // every throughput drawn as zero: nothing to fit
		}
		// A resample lies near the data: one pass from the estimate
		// finds its optimum.
		sigma, kappa := rd.params(rd.minimize(rd.coords(u.Sigma, u.Kappa), 1))
		sigmas = append(sigmas, sigma)
		kappas = append(kappas, kappa)
	}
	u.SigmaCI = percentileInterval(sigmas)
	u.KappaCI = percentileInterval(kappas)
	u.Warning = d.warning(u)
	return u, nil
}

// relativeResiduals are the fit's residuals relative to it, x/X̂ − 1,
// inflated by √(n/(n−3)): residuals of a fit of three parameters to n
// points understate the noise by that factor. A point the fit predicts no
// throughput at has residual 0.
func relativeResiduals(fitted, x []float64) []float64 {
	n := len(fitted)
	inflate := 1.0
	if n > 3 {
		inflate = math.Sqrt(float64(n) / float64(n-3))
	}
	residuals := make([]float64, n)
	for i := range fitted {
		if fitted[i] > 0 {
			residuals[i] = (x[i]/fitted[i] - 1) * inflate
		}
	}
	return residuals
}

// resample puts into out one bootstrap resample: X̂(Nᵢ)·(1+e) at each point,
// e drawn with replacement from residuals.
func resample(out, fitted, residuals []float64, rng *rand.Rand) {
	for i := range out {
		// Throughput cannot be negative, however large the residual.
		out[i] = math.Max(0, fitted[i]*(1+residuals[rng.IntN(len(residuals))]))
	}
}

// percentileInterval is the central 95% of vs; NaN when vs is empty.
func percentileInterval(vs []float64) [2]float64 {
	if len(vs) == 0 {
		return [2]float64{math.NaN(), math.NaN()}
	}
	slices.Sort(vs)
	tail := (1 - Confidence) / 2
	return [2]float64{
		stat.Quantile(tail, stat.Empirical, vs, nil),
		stat.Quantile(1-tail, stat.Empirical, vs, nil),
	}
}
