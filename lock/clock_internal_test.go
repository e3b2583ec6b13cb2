package lock

import (
	"math"
	"testing"
)

// TestTickRate: an interval timed in ticks and converted must agree with the
// monotonic clock. Not a timing assertion: both clocks measure one interval.
// A preemption between two reads can skew one attempt, so the best of a few
// is checked.
func TestTickRate(t *testing.T) {
	best := math.Inf(1)
	for range 5 {
		t0, n0 := readPair()
		for nanotime()-n0 < 2_000_000 { // let both clocks move 2 ms
		}
		t1, n1 := readPair()
		got := float64(rate().ns(t1 - t0))
		best = min(best, math.Abs(got-float64(n1-n0))/float64(n1-n0))
	}
	if best > 0.01 {
		t.Errorf("ticks converted differ from nanotime by %.2f%%, want < 1%% (clock %s)", 100*best, ClockSource())
	}
	if r := tickRate(1); r.ns(12345) != 12345 {
		t.Errorf("unit rate converts 12345 to %d", r.ns(12345))
	}
}
