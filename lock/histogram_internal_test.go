package lock

import (
	"math"
	"testing"
)

func TestBucketBoundaries(t *testing.T) {
	for b := range numBuckets {
		lo, hi := lowerBound(b), upperBound(b)
		if got := bucketOf(lo); got != b {
			t.Fatalf("bucketOf(lowerBound(%d) = %d) = %d", b, lo, got)
		}
		if got := bucketOf(hi); got != b {
			t.Fatalf("bucketOf(upperBound(%d) = %d) = %d", b, hi, got)
		}
		if b > 0 && upperBound(b-1)+1 != lo {
			t.Fatalf("gap or overlap between buckets %d and %d", b-1, b)
		}
		// 8 linear buckets per power of two: a bucket is at most 1/8 of
		// its lower bound wide.
		if width := hi - lo + 1; b >= subBuckets && width*subBuckets > lo {
			t.Fatalf("bucket %d [%d, %d] is wider than 12.5%% of its lower bound", b, lo, hi)
		}
	}
	cases := []struct {
		v    int64
		want int
	}{
		{-5, 0}, {0, 0}, {7, 7}, {8, 8}, {9, 9}, {15, 15}, {16, 16}, {17, 16}, {18, 17},
		{math.MaxInt64, numBuckets - 1},
	}
	for _, c := range cases {
		if got := bucketOf(c.v); got != c.want {
			t.Errorf("bucketOf(%d) = %d, want %d", c.v, got, c.want)
		}
	}
}
