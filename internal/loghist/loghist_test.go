package loghist

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

var layouts = map[string]Layout{"coarse": Coarse, "fine": Fine}

// width is the relative width of a bucket in l: 2^-subBits.
func width(l Layout) float64 { return 1 / float64(int(1)<<l.subBits) }

func TestLayoutBoundaries(t *testing.T) {
	for name, l := range layouts {
		t.Run(name, func(t *testing.T) {
			for b := range l.Len() {
				lo, hi := l.Lower(b), l.Upper(b)
				if got := l.Bucket(lo); got != b {
					t.Fatalf("Bucket(Lower(%d) = %d) = %d", b, lo, got)
				}
				if b+1 < l.Len() && l.Bucket(hi) != b {
					t.Fatalf("Bucket(Upper(%d) = %d) = %d", b, hi, l.Bucket(hi))
				}
				if b > 0 && l.Upper(b-1)+1 != lo {
					t.Fatalf("gap or overlap between buckets %d and %d", b-1, b)
				}
				if w := float64(hi - lo + 1); b >= 1<<l.subBits && b+1 < l.Len() && w > width(l)*float64(lo) {
					t.Fatalf("bucket %d [%d, %d] wider than %.2f%% of its lower bound", b, lo, hi, 100*width(l))
				}
			}
			if got := l.Bucket(math.MaxInt64); got != l.Len()-1 {
				t.Errorf("Bucket(MaxInt64) = %d, want the last, %d", got, l.Len()-1)
			}
			if got := l.Bucket(-5); got != 0 {
				t.Errorf("Bucket(-5) = %d, want 0", got)
			}
		})
	}
	// The coarse layout is the lock package's former one, value for value.
	for _, c := range []struct {
		v    int64
		want int
	}{{0, 0}, {7, 7}, {8, 8}, {9, 9}, {15, 15}, {16, 16}, {17, 16}, {18, 17}, {math.MaxInt64, 487}} {
		if got := Coarse.Bucket(c.v); got != c.want {
			t.Errorf("Coarse.Bucket(%d) = %d, want %d", c.v, got, c.want)
		}
	}
	// Fine: values from the top bucket below 2^39 on share the last
	// bucket, reported at its lower bound.
	if last := Fine.Len() - 1; Fine.Bucket(1<<39) != last || Fine.Bucket(1<<38*3/2) == last {
		t.Errorf("Fine: 2^39 in bucket %d, 1.5×2^38 in %d of %d", Fine.Bucket(1<<39), Fine.Bucket(1<<38*3/2), Fine.Len())
	}
}

// exactQuantile is the nearest-rank quantile of sorted values.
func exactQuantile(sorted []int64, q float64) int64 {
	rank := max(int(math.Ceil(q*float64(len(sorted)))), 1)
	return sorted[rank-1]
}

func TestQuantilesWithinHalfABucket(t *testing.T) {
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
	for name, l := range layouts {
		for _, d := range distributions {
			t.Run(name+"/"+d.name, func(t *testing.T) {
				h := New(l)
				values := make([]int64, 10_000)
				for i := range values {
					values[i] = d.draw(i)
					h.Record(values[i])
				}
				slices.Sort(values)
				if h.Count() != int64(len(values)) {
					t.Fatalf("Count = %d, want %d", h.Count(), len(values))
				}
				for _, q := range []float64{0, 0.01, 0.5, 0.9, 0.99, 0.999, 1} {
					want, got := exactQuantile(values, q), h.Quantile(q)
					// The midpoint of a bucket is within half its
					// width of every value in it.
					if diff := math.Abs(float64(got - want)); diff > width(l)/2*float64(want)+0.5 {
						t.Errorf("q%v = %d, exact %d: off by %.2f%%, more than half a bucket", q, got, want, 100*diff/float64(want))
					}
				}
			})
		}
	}
}

func TestEdges(t *testing.T) {
	for name, l := range layouts {
		t.Run(name, func(t *testing.T) {
			h := New(l)
			if h.Quantile(0.5) != 0 || h.Count() != 0 {
				t.Errorf("empty: q50 %d, count %d; want 0, 0", h.Quantile(0.5), h.Count())
			}
			h.Record(-3) // counts as 0
			if h.Quantile(1) != 0 {
				t.Errorf("negative recorded: q100 = %d, want 0", h.Quantile(1))
			}
			h.Record(math.MaxInt64)
			if got := h.Quantile(1); got <= 0 {
				t.Errorf("MaxInt64 recorded: q100 = %d, want positive (no overflow)", got)
			}
			for _, v := range []int64{0, 1, 7} { // exact below 2^subBits
				e := New(l)
				e.Record(v)
				if got := e.Quantile(0.5); got != v {
					t.Errorf("small value %d: q50 = %d", v, got)
				}
			}
			h.Reset()
			if h.Count() != 0 || h.Quantile(0.99) != 0 {
				t.Errorf("after Reset: count %d, q99 %d; want 0, 0", h.Count(), h.Quantile(0.99))
			}
		})
	}
}

func TestMergeAndStddev(t *testing.T) {
	a, b := New(Fine), New(Fine)
	for v := int64(1); v <= 1000; v++ {
		a.Record(v * 1000)
		b.Record(v * 1000)
	}
	var c Counts
	a.AddTo(&c)
	b.AddTo(&c)
	if c.Count() != 2000 {
		t.Fatalf("merged count %d, want 2000", c.Count())
	}
	if got := float64(c.Quantile(0.5)); math.Abs(got-500e3) > 0.004*500e3 {
		t.Errorf("merged q50 = %v, want 500000 within 0.4%%", got)
	}
	// 1..1000 µs uniformly: stddev = 1000 µs × sqrt((n²-1)/12)/n.
	want := 1000 * math.Sqrt((1000.0*1000-1)/12)
	if got := c.Stddev(); math.Abs(got-want) > 0.01*want {
		t.Errorf("stddev %v, want %v within 1%%", got, want)
	}
	var empty Counts
	if empty.Count() != 0 || empty.Quantile(0.5) != 0 || empty.Stddev() != 0 {
		t.Error("empty counts must read 0")
	}
}

// TestHandOverCounts: counts kept apart and added to a histogram land in
// the same buckets as values recorded into it directly, and Reset empties
// them for the next round.
func TestHandOverCounts(t *testing.T) {
	direct, handed := New(Coarse), New(Coarse)
	c := NewCounts(Coarse)
	for round := range 3 {
		for v := int64(1); v <= 5000; v += 7 {
			direct.Record(v * int64(round+1))
			c.Add(v*int64(round+1), 1)
		}
		handed.AddCounts(&c)
		c.Reset()
		if c.Count() != 0 {
			t.Fatalf("round %d: %d counts left after Reset", round, c.Count())
		}
	}
	var want, got Counts
	direct.AddTo(&want)
	handed.AddTo(&got)
	if !slices.Equal(want.n, got.n) {
		t.Errorf("handed-over counts differ from recorded ones: %d vs %d values", got.Count(), want.Count())
	}
}

// TestCountsRangeCoversEveryCount: the range Reset and AddCounts walk
// covers every count however it got there — Add at either end of the
// layout, AddTo from a histogram — and empty counts hand over nothing.
func TestCountsRangeCoversEveryCount(t *testing.T) {
	h := New(Coarse)
	c := NewCounts(Coarse)
	c.Reset() // empty: nothing to clear
	h.AddCounts(&c)
	if h.Count() != 0 {
		t.Fatalf("empty counts handed over %d values", h.Count())
	}
	c.Add(0, 1)
	c.Add(math.MaxInt64, 2)
	h.AddCounts(&c)
	if h.Count() != 3 {
		t.Errorf("counts at both ends of the layout: %d handed over, want 3", h.Count())
	}
	c.Reset()
	var filled Counts
	h.AddTo(&filled)
	filled.Add(5000, 1)
	filled.Reset()
	if c.Count() != 0 || filled.Count() != 0 {
		t.Errorf("after Reset: %d and %d values left, want none", c.Count(), filled.Count())
	}
}

func TestConcurrentRecording(t *testing.T) {
	h := New(Coarse)
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
}

func BenchmarkRecord(b *testing.B) {
	for name, l := range layouts {
		h := New(l)
		b.Run(name+"/serial", func(b *testing.B) {
			v := int64(1)
			for b.Loop() {
				h.Record(v)
				v = v*3 + 1&0xfffff
			}
		})
		b.Run(name+"/parallel", func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				v := int64(1)
				for pb.Next() {
					h.Record(v)
					v = v*3 + 1&0xfffff
				}
			})
		})
	}
}
