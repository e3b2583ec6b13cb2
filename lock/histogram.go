package lock

import (
	"math"
	"math/bits"
	"sync/atomic"
)

// Histogram is a lock-free log-linear histogram of non-negative int64
// values, durations (the locks record ticks of their clock): exact below 8,
// then 8 linear buckets per power of two, so a bucket is at most 12.5% of
// its lower bound wide and a quantile, reported as its bucket's midpoint, is
// within 6.25% of a recorded value. Record is one atomic add.
// hdrhistogram-go is not safe for concurrent recording, and a histogram
// behind a mutex would itself become a contended lock; atomic buckets are
// the cheapest correct choice for a lock's own figures. The zero value is
// empty and ready.
type Histogram struct {
	buckets [numBuckets]atomic.Int64
}

const (
	subBits    = 3
	subBuckets = 1 << subBits
	// The largest int64 has bit 62 set: exponents subBits..62 each get
	// subBuckets buckets after the subBuckets exact ones.
	numBuckets = (63 - subBits + 1) * subBuckets
)

// bucketCounts is a plain copy of a histogram's buckets, for merging.
type bucketCounts [numBuckets]int64

func bucketOf(v int64) int {
	if v < subBuckets {
		return int(max(v, 0))
	}
	exp := bits.Len64(uint64(v)) - 1 // >= subBits
	sub := int(v>>(exp-subBits)) & (subBuckets - 1)
	return (exp-subBits+1)*subBuckets + sub
}

// lowerBound is the smallest value in bucket b.
func lowerBound(b int) int64 {
	if b < subBuckets {
		return int64(b)
	}
	exp := b/subBuckets + subBits - 1
	sub := b % subBuckets
	return int64(subBuckets+sub) << (exp - subBits)
}

// upperBound is the largest value in bucket b.
func upperBound(b int) int64 {
	if b+1 >= numBuckets {
		return math.MaxInt64
	}
	return lowerBound(b+1) - 1
}

// Record adds one value; negative values count as 0.
func (h *Histogram) Record(v int64) { h.buckets[bucketOf(v)].Add(1) }

// Count returns the number of values recorded.
func (h *Histogram) Count() int64 {
	var n int64
	for b := range h.buckets {
		n += h.buckets[b].Load()
	}
	return n
}

// Quantile returns the value at quantile q (0..1, nearest rank): the midpoint
// of the bucket holding it; 0 when empty.
func (h *Histogram) Quantile(q float64) int64 {
	var c bucketCounts
	h.addTo(&c)
	return c.quantile(q)
}

// Reset empties h. Values recorded meanwhile may or may not survive.
func (h *Histogram) Reset() {
	for b := range h.buckets {
		h.buckets[b].Store(0)
	}
}

func (h *Histogram) addTo(c *bucketCounts) {
	for b := range h.buckets {
		c[b] += h.buckets[b].Load()
	}
}

func (c *bucketCounts) count() int64 {
	var n int64
	for _, k := range c {
		n += k
	}
	return n
}

func (c *bucketCounts) quantile(q float64) int64 {
	n := c.count()
	if n == 0 {
		return 0
	}
	rank := int64(math.Ceil(min(max(q, 0), 1) * float64(n)))
	rank = max(rank, 1)
	var seen int64
	for b, k := range c {
		seen += k
		if seen >= rank {
			lo, hi := lowerBound(b), upperBound(b)
			return lo + (hi-lo)/2
		}
	}
	return 0 // unreachable: seen reaches n >= rank
}
