// Package loghist is the one log-linear histogram of lockbench: lock-free
// recording of non-negative int64 values (durations in ns or clock ticks)
// into buckets that are exact below 2^SubBits and then split every power of
// two into 2^SubBits linear buckets, so a bucket is at most 2^-SubBits of
// its lower bound wide. Record is a bucket computation and one atomic add.
//
// hdrhistogram-go is not safe for concurrent recording, and a histogram
// behind a mutex would itself become a contended lock in the measurement;
// atomic buckets are the cheapest correct choice for figures recorded on
// every lock acquisition or store call. Callers that record from many cores
// keep one Histogram per shard (per P, per stack region) and merge them
// into Counts to read quantiles.
package loghist

import (
	"math"
	"math/bits"
	"sync/atomic"
)

// Layout is a bucket scheme: subBits linear buckets per power of two (as a
// power of two), and the largest exponent with buckets of its own; larger
// values share the last bucket.
type Layout struct {
	subBits, maxExp int
}

// The layouts in use.
var (
	// Coarse: buckets 12.5% wide over all of int64, 488 of them (3.9 KB):
	// lock wait and hold times, recorded per P on the hot path.
	Coarse = Layout{subBits: 3, maxExp: 62}
	// Fine: buckets at most 0.78% wide (a midpoint within 0.39% of any
	// value in it) up to 2^39 (9 minutes in ns, 3.6 at 2.5 ticks of a TSC
	// per ns), 4,224 of them (33 KB): realised store latency, which is
	// compared with the configured one to a percent.
	Fine = Layout{subBits: 7, maxExp: 38}
)

// Len is the number of buckets.
func (l Layout) Len() int { return (l.maxExp - l.subBits + 2) << l.subBits }

// Bucket returns the bucket of v; negative values count as 0.
func (l Layout) Bucket(v int64) int {
	sub := int64(1) << l.subBits
	if v < sub {
		return int(max(v, 0))
	}
	exp := bits.Len64(uint64(v)) - 1 // >= subBits
	if exp > l.maxExp {
		return l.Len() - 1
	}
	return (exp-l.subBits+1)<<l.subBits + int(v>>(exp-l.subBits)&(sub-1))
}

// Lower is the smallest value in bucket b.
func (l Layout) Lower(b int) int64 {
	sub := 1 << l.subBits
	if b < sub {
		return int64(b)
	}
	exp := b>>l.subBits + l.subBits - 1
	return int64(sub+b&(sub-1)) << (exp - l.subBits)
}

// Upper is the largest value in bucket b.
func (l Layout) Upper(b int) int64 {
	if b+1 >= l.Len() {
		return math.MaxInt64
	}
	return l.Lower(b+1) - 1
}

// mid is the value reported for bucket b: its midpoint, or its lower bound
// for the open-ended last bucket.
func (l Layout) mid(b int) int64 {
	lo := l.Lower(b)
	if b+1 >= l.Len() && l.maxExp < 62 {
		return lo
	}
	return lo + (l.Upper(b)-lo)/2
}

// Histogram is a lock-free histogram of one Layout. Init it before use.
type Histogram struct {
	layout  Layout
	buckets []atomic.Int64
}

// New returns an empty histogram of layout l.
func New(l Layout) *Histogram {
	h := &Histogram{}
	h.Init(l)
	return h
}

// Init makes h an empty histogram of layout l.
func (h *Histogram) Init(l Layout) {
	h.layout, h.buckets = l, make([]atomic.Int64, l.Len())
}

// Record adds one value; negative values count as 0.
func (h *Histogram) Record(v int64) { h.buckets[h.layout.Bucket(v)].Add(1) }

// Reset empties h. Values recorded meanwhile may or may not survive.
func (h *Histogram) Reset() {
	for b := range h.buckets {
		h.buckets[b].Store(0)
	}
}

// TakeInto moves h's counts into dst, of the same layout, and leaves h
// empty. Each bucket is swapped out atomically, so a value recorded
// meanwhile lands in h or in dst, never nowhere: a sampler can take a
// histogram that others go on recording into (the runner's timeline does,
// every 100 ms).
func (h *Histogram) TakeInto(dst *Histogram) {
	for b := range h.buckets {
		if h.buckets[b].Load() != 0 {
			dst.buckets[b].Add(h.buckets[b].Swap(0))
		}
	}
}

// AddCounts adds c's counts to h, which must have c's layout, one atomic
// add per non-empty bucket: a writer that keeps its own Counts and hands
// them over now and then pays no atomic add per value. Only the buckets c
// touched are read, so handing over a few values costs a few buckets.
func (h *Histogram) AddCounts(c *Counts) {
	for b := c.lo; b <= c.hi; b++ {
		if k := c.n[b]; k != 0 {
			h.buckets[b].Add(k)
		}
	}
}

// AddTo adds h's counts to c, which must have h's layout.
func (h *Histogram) AddTo(c *Counts) {
	if c.n == nil {
		*c = NewCounts(h.layout)
	}
	for b := range h.buckets {
		c.n[b] += h.buckets[b].Load()
	}
	c.lo, c.hi = 0, len(c.n)-1
}

// Count returns the number of values recorded.
func (h *Histogram) Count() int64 {
	var c Counts
	h.AddTo(&c)
	return c.Count()
}

// Quantile returns the value at quantile q of h (see Counts.Quantile).
func (h *Histogram) Quantile(q float64) int64 {
	var c Counts
	h.AddTo(&c)
	return c.Quantile(q)
}

// Counts is a plain copy of bucket counts, for merging histograms and
// reading them. The zero value takes the layout of the first histogram
// added to it.
type Counts struct {
	layout Layout
	n      []int64
	// lo and hi bound the buckets that may be non-empty (lo > hi: none),
	// so that Reset and Histogram.AddCounts cost what was counted, not
	// the whole layout.
	lo, hi int
}

// NewCounts returns empty counts of layout l.
func NewCounts(l Layout) Counts {
	n := l.Len()
	return Counts{layout: l, n: make([]int64, n), lo: n, hi: -1}
}

// Add counts k more values in the bucket of v.
func (c *Counts) Add(v int64, k int64) { c.AddBucket(c.layout.Bucket(v), k) }

// AddBucket counts k more values in bucket b (of c's layout, from
// Layout.Bucket): a caller on a hot path computes the bucket inline and
// this stays inlined too.
func (c *Counts) AddBucket(b int, k int64) {
	c.n[b] += k
	// Branches, not min and max: in a steady state neither bound moves,
	// so nothing is stored.
	if b < c.lo {
		c.lo = b
	}
	if b > c.hi {
		c.hi = b
	}
}

// Reset empties c.
func (c *Counts) Reset() {
	if c.lo <= c.hi {
		clear(c.n[c.lo : c.hi+1])
	}
	c.lo, c.hi = len(c.n), -1
}

// Count returns the number of values counted.
func (c *Counts) Count() int64 {
	var n int64
	for _, k := range c.n {
		n += k
	}
	return n
}

// Quantile returns the value at quantile q in [0, 1] by nearest rank: the
// midpoint of the bucket holding it; 0 when empty.
func (c *Counts) Quantile(q float64) int64 {
	n := c.Count()
	if n == 0 {
		return 0
	}
	rank := max(int64(math.Ceil(min(max(q, 0), 1)*float64(n))), 1)
	var seen int64
	for b, k := range c.n {
		if seen += k; seen >= rank {
			return c.layout.mid(b)
		}
	}
	return 0 // unreachable: seen reaches n >= rank
}

// Stddev returns the standard deviation of the counted values, taking each
// at its bucket's midpoint (within half a bucket); 0 when empty.
func (c *Counts) Stddev() float64 {
	var n, sum, sumSq float64
	for b, k := range c.n {
		if k == 0 {
			continue
		}
		v := float64(c.layout.mid(b))
		n += float64(k)
		sum += float64(k) * v
		sumSq += float64(k) * v * v
	}
	if n == 0 {
		return 0
	}
	mean := sum / n
	return math.Sqrt(max(sumSq/n-mean*mean, 0))
}
