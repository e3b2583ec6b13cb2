package analysis

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/optimize"
)

// Errors of the USL fit.
var (
	// ErrTooFewLevels: the USL has three parameters, so it needs throughput
	// at three or more distinct concurrency levels.
	ErrTooFewLevels = errors.New("analysis: USL fit needs at least 3 distinct concurrency levels")
	// ErrBadPoints: the points cannot be fitted (mismatched lengths,
	// concurrency below 1, negative or non-finite throughput, no throughput
	// at all).
	ErrBadPoints = errors.New("analysis: bad USL points")
)

// Scalability limits, by which term of the USL dominates at the highest
// measured concurrency.
const (
	LimitContention = "contention" // σ(N−1): serialisation, a queue on a lock
	LimitCoherency  = "coherency"  // κN(N−1): crosstalk, throughput falls past a peak
	LimitNone       = "none"       // both small: near-linear over the measured range
)

// USL is a fit of Gunther's Universal Scalability Law
//
//	X(N) = λN / (1 + σ(N−1) + κN(N−1))
//
// to throughput X against concurrency N.
type USL struct {
	Workload, Strategy string
	// Lambda is the throughput of one client without contention (ops/s).
	Lambda float64
	// Sigma is the contention (serialised) fraction, ≥ 0.
	Sigma float64
	// Kappa is the coherency (crosstalk) cost, ≥ 0.
	Kappa float64
	// SigmaCI and KappaCI are bootstrap 95% intervals; NaN when no
	// bootstrap was run (FitUSL alone).
	SigmaCI, KappaCI [2]float64
	// PeakN is the concurrency of peak throughput, √((1−σ)/κ): +Inf when κ
	// is zero (throughput never falls), 1 when σ ≥ 1 (it never rises).
	PeakN float64
	// R2 is the coefficient of determination of the fit.
	R2 float64
	// Points is the number of (N, X) points fitted.
	Points int
	// Limit is LimitContention, LimitCoherency or LimitNone.
	Limit string
	// Warning says why the fit deserves caution; empty when it does not.
	Warning string
}

// Predict is the throughput the fit predicts at concurrency n.
func (u USL) Predict(n float64) float64 {
	return u.Lambda * n / (1 + u.Sigma*(n-1) + u.Kappa*n*(n-1))
}

// Thresholds of the fit's diagnosis.
const (
	// kappaZero: below this κ, coherency is absent and PeakN is +Inf.
	kappaZero = 1e-12
	// limitNoneBelow: when σ(N−1)+κN(N−1) at the highest N is below this,
	// throughput is within ~10% of linear and nothing limits it yet.
	limitNoneBelow = 0.1
	// poorFitR2 is the R² below which the fit is flagged.
	poorFitR2 = 0.9
)

// FitUSL fits the USL to points (n[i], x[i]) by non-linear least squares on
// throughput. For given σ and κ the best λ is a linear least-squares
// solution, so only σ and κ are searched (Nelder–Mead from the best point of
// a coarse grid), over squares that keep them non-negative.
func FitUSL(n, x []float64) (USL, error) {
	d, err := newUSLData(n, x)
	if err != nil {
		return USL{}, err
	}
	u := d.result(d.minimize(d.gridStart(), 2))
	u.SigmaCI = [2]float64{math.NaN(), math.NaN()}
	u.KappaCI = [2]float64{math.NaN(), math.NaN()}
	u.Warning = d.warning(u)
	return u, nil
}

// uslData holds validated points and the scale of the search.
type uslData struct {
	n, x []float64
	maxN float64
	// sumSq is Σx², which normalises the objective to about 1.
	sumSq float64
}

func newUSLData(n, x []float64) (*uslData, error) {
	if len(n) != len(x) {
		return nil, fmt.Errorf("%w: %d concurrency values but %d throughputs", ErrBadPoints, len(n), len(x))
	}
	d := &uslData{n: n, x: x}
	levels := map[float64]bool{}
	for i := range n {
		switch {
		case !(n[i] >= 1) || math.IsInf(n[i], 0):
			return nil, fmt.Errorf("%w: concurrency %v (point %d) is not ≥ 1", ErrBadPoints, n[i], i)
		case !(x[i] >= 0) || math.IsInf(x[i], 0):
			return nil, fmt.Errorf("%w: throughput %v (point %d) is not a finite number ≥ 0", ErrBadPoints, x[i], i)
		}
		levels[n[i]] = true
		d.maxN = math.Max(d.maxN, n[i])
		d.sumSq += x[i] * x[i]
	}
	if len(levels) < 3 {
		return nil, fmt.Errorf("%w (have %d)", ErrTooFewLevels, len(levels))
	}
	if d.sumSq == 0 {
		return nil, fmt.Errorf("%w: all throughputs are zero", ErrBadPoints)
	}
	return d, nil
}

// params maps search coordinates to (σ, κ). Squares keep both ≥ 0 and let
// them reach 0 exactly; κ is scaled by the largest N because κN² is what
// matters, so both coordinates are of order 1 where they matter.
func (d *uslData) params(p []float64) (sigma, kappa float64) {
	c := p[1] / d.maxN
	return p[0] * p[0], c * c
}

func (d *uslData) coords(sigma, kappa float64) []float64 {
	return []float64{math.Sqrt(sigma), math.Sqrt(kappa) * d.maxN}
}

// lambda is the least-squares λ for given σ and κ: X = λ·g(N) is linear in λ.
func (d *uslData) lambda(sigma, kappa float64) float64 {
	var xg, gg float64
	for i, n := range d.n {
		g := n / (1 + sigma*(n-1) + kappa*n*(n-1))
		xg += d.x[i] * g
		gg += g * g
	}
	return xg / gg
}

// objective is the residual sum of squares relative to Σx².
func (d *uslData) objective(p []float64) float64 {
	sigma, kappa := d.params(p)
	lambda := d.lambda(sigma, kappa)
	var sse float64
	for i, n := range d.n {
		r := d.x[i] - lambda*n/(1+sigma*(n-1)+kappa*n*(n-1))
		sse += r * r
	}
	return sse / d.sumSq
}

// gridStart picks the best of a coarse grid as the starting point, so that
// the local search starts in the right basin whatever the scale of the data.
func (d *uslData) gridStart() []float64 {
	sigmas := []float64{0, 0.001, 0.01, 0.05, 0.2, 0.5, 0.9, 1.5}
	// κ·maxN² from "negligible" to "throughput collapses".
	coherencies := []float64{0, 0.01, 0.1, 0.5, 2, 10, 100}
	var best []float64
	bestF := math.Inf(1)
	for _, s := range sigmas {
		for _, c := range coherencies {
			p := d.coords(s, c/(d.maxN*d.maxN))
			if f := d.objective(p); f < bestF {
				best, bestF = p, f
			}
		}
	}
	return best
}

// minimize runs Nelder–Mead from start, passes times: a restart from the
// first optimum rebuilds a simplex that may have collapsed early.
func (d *uslData) minimize(start []float64, passes int) []float64 {
	best := slices.Clone(start)
	bestF := d.objective(best)
	for range passes {
		res, err := optimize.Minimize(
			optimize.Problem{Func: d.objective},
			best,
			&optimize.Settings{
				Converger:       &optimize.FunctionConverge{Absolute: 1e-18, Relative: 1e-12, Iterations: 20},
				FuncEvaluations: 20000,
				Concurrent:      1,
			},
			&optimize.NelderMead{SimplexSize: 0.1},
		)
		// An error means the search stopped early (evaluation limit);
		// its best point so far is still better than the start.
		if res != nil && res.F < bestF {
			best, bestF = slices.Clone(res.X), res.F
		}
		if err != nil {
			break
		}
	}
	return best
}

// result fills in the parameters and diagnostics at p.
func (d *uslData) result(p []float64) USL {
	sigma, kappa := d.params(p)
	u := USL{Sigma: sigma, Kappa: kappa, Lambda: d.lambda(sigma, kappa), Points: len(d.n)}
	switch {
	case sigma >= 1:
		u.PeakN = 1
	case kappa < kappaZero:
		u.PeakN = math.Inf(1)
	default:
		u.PeakN = math.Sqrt((1 - sigma) / kappa)
	}
	u.R2 = d.r2(u)
	contention := sigma * (d.maxN - 1)
	coherency := kappa * d.maxN * (d.maxN - 1)
	switch {
	case contention+coherency < limitNoneBelow:
		u.Limit = LimitNone
	case coherency > contention:
		u.Limit = LimitCoherency
	default:
		u.Limit = LimitContention
	}
	return u
}

func (d *uslData) r2(u USL) float64 {
	var mean float64
	for _, x := range d.x {
		mean += x
	}
	mean /= float64(len(d.x))
	var ssRes, ssTot float64
	for i, n := range d.n {
		r := d.x[i] - u.Predict(n)
		ssRes += r * r
		t := d.x[i] - mean
		ssTot += t * t
	}
	if ssTot == 0 {
		// Flat throughput: any residual is a miss, none is a perfect fit.
		if ssRes <= 1e-12*d.sumSq {
			return 1
		}
		return 0
	}
	return 1 - ssRes/ssTot
}

func (d *uslData) warning(u USL) string {
	var ws []string
	levels := map[float64]bool{}
	for _, n := range d.n {
		levels[n] = true
	}
	switch {
	case len(d.n) == 3:
		ws = append(ws, "3 points for 3 parameters: the fit is exact whatever the data, and there are no residuals to bootstrap")
	case len(levels) == 3:
		ws = append(ws, "only 3 concurrency levels for 3 parameters: the fit is barely determined")
	}
	if u.R2 < poorFitR2 {
		ws = append(ws, fmt.Sprintf("poor fit (R²=%.2f): the USL does not describe this curve well", u.R2))
	}
	if !math.IsInf(u.PeakN, 1) && u.PeakN > 2*d.maxN {
		ws = append(ws, fmt.Sprintf("predicted peak N≈%.0f lies far beyond the highest measured N=%.0f: an extrapolation", u.PeakN, d.maxN))
	}
	return strings.Join(ws, "; ")
}
