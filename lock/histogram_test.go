package lock_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"lockbench/lock"
)

// exactQuantile is the nearest-rank quantile of sorted values.
func exactQuantile(sorted []int64, q float64) int64 {
	rank := max(int(math.Ceil(q*float64(len(sorted)))), 1)
	return sorted[rank-1]
}

func TestHistogramQuantiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	distributions := []struct {
		name string
		draw func(i int) int64
	}{
		{"constant", func(int) int64 { return 1234 }},
		{"sequence", func(i int) int64 { return int64(i) }},
		{"uniform", func(int) int64 { return rng.Int64N(1_000_000) }},
		{"exponential", func(int) int64 { return int64(rng.ExpFloat64() * 50_000) }},
		{"lognormal", func(int) int64 { return int64(math.Exp(rng.NormFloat64()*2 + 10)) }},
		{"bimodal", func(int) int64 {
			if rng.IntN(100) < 95 {
				return 100 + rng.Int64N(10)
			}
			return 10_000_000 + rng.Int64N(1_000_000)
		}},
	}
	for _, d := range distributions {
		t.Run(d.name, func(t *testing.T) {
			var h lock.Histogram
			values := make([]int64, 10_000)
			for i := range values {
				values[i] = d.draw(i)
				h.Record(values[i])
			}
			slices.Sort(values)
			if h.Count() != int64(len(values)) {
				t.Fatalf("Count = %d, want %d", h.Count(), len(values))
			}
			for _, q := range []float64{0, 0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 1} {
				want, got := exactQuantile(values, q), h.Quantile(q)
				if diff := math.Abs(float64(got - want)); diff > 0.125*float64(want) {
					t.Errorf("q%v = %d, exact %d: off by %.1f%%, more than a bucket (12.5%%)",
						q, got, want, 100*diff/float64(want))
				}
			}
		})
	}
}

func TestHistogramEdges(t *testing.T) {
	var h lock.Histogram
	if h.Quantile(0.5) != 0 || h.Count() != 0 {
		t.Errorf("empty: q50 %d, count %d; want 0, 0", h.Quantile(0.5), h.Count())
	}
	h.Record(-3) // counts as 0
	if h.Quantile(1) != 0 {
		t.Errorf("negative recorded: q100 = %d, want 0", h.Quantile(1))
	}
	h.Record(math.MaxInt64)
	if got := h.Quantile(1); got < math.MaxInt64/8*7 {
		t.Errorf("MaxInt64 recorded: q100 = %d, want near MaxInt64 without overflow", got)
	}
	for _, v := range []int64{0, 1, 7} { // exact below 8
		var e lock.Histogram
		e.Record(v)
		if got := e.Quantile(0.5); got != v {
			t.Errorf("small value %d: q50 = %d", v, got)
		}
	}
	h.Reset()
	if h.Count() != 0 || h.Quantile(0.99) != 0 {
		t.Errorf("after Reset: count %d, q99 %d; want 0, 0", h.Count(), h.Quantile(0.99))
	}
}

func TestHistogramConcurrent(t *testing.T) {
	var h lock.Histogram
	const goroutines, each = 8, 2000
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				h.Record(int64(g*each + i))
				if i%500 == 0 {
					_ = h.Quantile(0.99)
				}
			}
		})
	}
	wg.Wait()
	if got := h.Count(); got != goroutines*each {
		t.Errorf("Count = %d, want %d", got, goroutines*each)
	}
	want := float64(goroutines*each) / 2
	if got := float64(h.Quantile(0.5)); math.Abs(got-want) > 0.125*want {
		t.Errorf("q50 = %v, want %v within 12.5%%", got, want)
	}
}
