package store

import (
	"math/bits"
	"sync/atomic"
	"unsafe"
)

// histogram is a lock-free log-linear histogram of non-negative durations
// in nanoseconds, with 64 linear sub-buckets per power of two: a quantile
// (the midpoint of its bucket) is within 0.8% of the true value. It is
// finer than lock.Histogram (12.5%) because realised store latency is
// compared with the configured value to a few percent. Recording is one
// atomic add, on one of a few shards picked by the caller's stack address:
// with a fixed latency, a thousand callers record into the same few
// buckets, and one shared set of counters would bounce between CPUs.
type histogram struct {
	shards [histShards]histogramShard
}

type histogramShard struct {
	buckets [histBuckets]atomic.Int64
}

const (
	histShards     = 4
	histSubBits    = 6
	histSubBuckets = 1 << histSubBits
	// Values up to 2^histMaxExp ns (68 s, beyond the longest delay a spec
	// allows) get their own buckets; longer ones share the last.
	histMaxExp  = 36
	histBuckets = (histMaxExp - histSubBits + 1) * histSubBuckets
)

func histBucket(v int64) int {
	if v < histSubBuckets {
		return int(max(v, 0))
	}
	exp := bits.Len64(uint64(v)) - 1 // >= histSubBits
	if exp >= histMaxExp {
		return histBuckets - 1
	}
	sub := int(v>>(exp-histSubBits)) & (histSubBuckets - 1)
	return (exp-histSubBits+1)*histSubBuckets + sub
}

// histLowerBound is the smallest value in bucket b.
func histLowerBound(b int) int64 {
	if b < histSubBuckets {
		return int64(b)
	}
	exp := b/histSubBuckets + histSubBits - 1
	sub := b % histSubBuckets
	return int64(histSubBuckets+sub) << (exp - histSubBits)
}

func (h *histogram) record(v int64) {
	var anchor byte // goroutine stacks lie apart: spreads callers over shards
	shard := int(uintptr(unsafe.Pointer(&anchor))>>12) % histShards
	h.shards[shard].buckets[histBucket(v)].Add(1)
}

// counts returns the merged bucket counts and their total.
func (h *histogram) counts() (counts [histBuckets]int64, n int64) {
	for s := range h.shards {
		for b := range counts {
			c := h.shards[s].buckets[b].Load()
			counts[b] += c
			n += c
		}
	}
	return counts, n
}

// count returns the number of values recorded.
func (h *histogram) count() int64 {
	_, n := h.counts()
	return n
}

// quantile returns the value at quantile q in [0, 1], the midpoint of the
// bucket holding it; 0 when empty.
func (h *histogram) quantile(q float64) int64 {
	counts, n := h.counts()
	if n == 0 {
		return 0
	}
	rank := max(int64(q*float64(n)+0.5), 1)
	var seen int64
	for b, c := range counts {
		seen += c
		if seen >= rank {
			lo := histLowerBound(b)
			if b+1 >= histBuckets {
				return lo
			}
			return lo + (histLowerBound(b+1)-lo)/2
		}
	}
	return histLowerBound(histBuckets - 1)
}
