package store

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// TestSimDelayDistributions checks the draws of each distribution (without
// sleeping): mean, spread and bounds over many calls.
func TestSimDelayDistributions(t *testing.T) {
	const n = 200_000
	ms := float64(time.Millisecond)
	for _, tc := range []struct {
		cfg          SimConfig
		mean, stddev float64 // wanted, in ns
		lo, hi       float64 // bounds of every draw
	}{
		{SimConfig{Latency: time.Millisecond, Dist: DistFixed}, ms, 0, ms, ms},
		{SimConfig{Latency: time.Millisecond, Dist: DistUniform, Jitter: 200 * time.Microsecond}, ms, 0.4 * ms / math.Sqrt(12), 0.8 * ms, 1.2 * ms},
		{SimConfig{Latency: time.Millisecond, Dist: DistUniform}, ms, 2 * ms / math.Sqrt(12), 0, 2 * ms},
		{SimConfig{Latency: time.Millisecond, Dist: DistExp}, ms, ms, 0, math.Inf(1)},
		{SimConfig{Latency: time.Millisecond, Dist: DistLognormal}, ms, ms / 2, 0, math.Inf(1)},
		{SimConfig{Latency: time.Millisecond, Dist: DistLognormal, Jitter: 2 * time.Millisecond}, ms, 2 * ms, 0, math.Inf(1)},
	} {
		t.Run(fmt.Sprintf("%s/jitter=%v", tc.cfg.Dist, tc.cfg.Jitter), func(t *testing.T) {
			f := delayFunc(tc.cfg)
			var sum, sumSq float64
			for i := range n {
				u := newDraws(1, uint64(i))
				d := float64(f(&u))
				if d < tc.lo || d > tc.hi {
					t.Fatalf("draw %v outside [%v, %v]", time.Duration(d), time.Duration(tc.lo), time.Duration(tc.hi))
				}
				sum += d
				sumSq += d * d
			}
			mean := sum / n
			stddev := math.Sqrt(sumSq/n - mean*mean)
			// Heavy tails (lognormal with sigma > 1) converge slowly: 5%.
			if math.Abs(mean-tc.mean) > 0.02*tc.mean {
				t.Errorf("mean %v, want %v ±2%%", time.Duration(mean), time.Duration(tc.mean))
			}
			if math.Abs(stddev-tc.stddev) > 0.05*tc.mean {
				t.Errorf("stddev %v, want %v", time.Duration(stddev), time.Duration(tc.stddev))
			}
		})
	}
	if delayFunc(SimConfig{Dist: DistExp}) != nil {
		t.Error("latency 0 must mean no delay draw at all")
	}
}

func TestDrawsUniform(t *testing.T) {
	var buckets [10]int
	for i := range 100_000 {
		u := newDraws(9, uint64(i))
		for range 3 {
			buckets[int(u.float()*10)]++
		}
	}
	for b, c := range buckets {
		if c < 29_000 || c > 31_000 {
			t.Fatalf("bucket %d holds %d of 300000 draws", b, c)
		}
	}
}

func TestHistogramQuantile(t *testing.T) {
	var h histogram
	if h.quantile(0.5) != 0 {
		t.Fatal("empty histogram")
	}
	for v := int64(1); v <= 1000; v++ {
		h.record(v * 1000) // 1 µs .. 1 ms
	}
	for _, q := range []float64{0.01, 0.5, 0.99} {
		want := q * 1e6
		if got := float64(h.quantile(q)); math.Abs(got-want) > 0.01*want+1000 {
			t.Errorf("quantile(%v) = %v, want %v ±1%%", q, got, want)
		}
	}
	for _, v := range []int64{0, 1, 63, 64, 65, 1<<36 - 1, 1 << 20 * 3} {
		b := histBucket(v)
		if lo := histLowerBound(b); lo > v || (b+1 < histBuckets && histLowerBound(b+1) <= v) {
			t.Errorf("value %d in bucket %d [%d, %d)", v, b, lo, histLowerBound(b+1))
		}
	}
	for _, v := range []int64{1 << 36, 1 << 40, math.MaxInt64} {
		if b := histBucket(v); b != histBuckets-1 {
			t.Errorf("value %d in bucket %d, want the last", v, b)
		}
	}
}
