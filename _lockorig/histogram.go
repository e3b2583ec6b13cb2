package lock

import (
	"math/bits"
	"sync/atomic"
)

// Histogram is a lock-free log-linear histogram of non-negative int64 values
// (nanoseconds): 8 linear sub-buckets per power of two, so a quantile is
// within 12.5% of the true value. hdrhistogram-go is not safe for concurrent
// recording, and a histogram behind a mutex would itself become contended;
// atomic buckets are the cheapest correct choice for a lock's own figures.
type Histogram struct {
	buckets [64 * subBuckets]atomic.Int64
	count   atomic.Int64
}

const subBits = 3
const subBuckets = 1 << subBits

func bucketOf(v int64) int {
	if v < subBuckets {
		if v < 0 {
			return 0
		}
		return int(v)
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

// Record adds one value.
func (h *Histogram) Record(v int64) {
	h.buckets[bucketOf(v)].Add(1)
	h.count.Add(1)
}

// Count returns the number of values recorded.
func (h *Histogram) Count() int64 { return h.count.Load() }

// Quantile returns the value at quantile q (0..1): the midpoint of the
// bucket holding it; 0 when empty.
func (h *Histogram) Quantile(q float64) int64 {
	n := h.count.Load()
	if n == 0 {
		return 0
	}
	rank := int64(q*float64(n) + 0.5)
	if rank < 1 {
		rank = 1
	}
	var seen int64
	for b := range h.buckets {
		seen += h.buckets[b].Load()
		if seen >= rank {
			lo := lowerBound(b)
			hi := lowerBound(b + 1)
			if b+1 >= len(h.buckets) {
				hi = lo
			}
			return lo + (hi-lo)/2
		}
	}
	return lowerBound(len(h.buckets) - 1)
}
