package analysis_test

import (
	"fmt"

	"lockbench/analysis"
)

func ExampleFitUSL() {
	// Throughput of a system with 5% serialisation and a small coherency
	// cost, measured at doubling concurrency.
	truth := analysis.USL{Lambda: 1000, Sigma: 0.05, Kappa: 0.0001}
	var n, x []float64
	for c := 1.0; c <= 128; c *= 2 {
		n = append(n, c)
		x = append(x, truth.Predict(c))
	}
	fit, err := analysis.FitUSL(n, x)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("λ=%.0f ops/s σ=%.3f κ=%.5f\n", fit.Lambda, fit.Sigma, fit.Kappa)
	fmt.Printf("peak at N≈%.0f, limited by %s, R²=%.3f\n", fit.PeakN, fit.Limit, fit.R2)

	_, err = analysis.FitUSL([]float64{1, 2}, []float64{100, 180})
	fmt.Println(err)
	// Output:
	// λ=1000 ops/s σ=0.050 κ=0.00010
	// peak at N≈97, limited by contention, R²=1.000
	// analysis: USL fit needs at least 3 distinct concurrency levels (have 2)
}
