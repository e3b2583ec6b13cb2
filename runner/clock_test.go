package runner

import (
	"math"
	"testing"
	"time"
)

// TestClockCountsNanosecondsFromItsEpoch: a run's clock starts at 0 when
// built and advances as time.Now does. Both checks bracket one clock by
// the other, so they hold however loaded the machine is (the 1% margin is
// for the lock clock's calibrated rate).
func TestClockCountsNanosecondsFromItsEpoch(t *testing.T) {
	before := time.Now()
	c := newClock()
	first := c.now()
	if since := time.Since(before); first < 0 || float64(first) > 1.01*float64(since)+1000 {
		t.Errorf("first reading %d ns, %d ns after the clock was built: want 0 ≤ it ≤ that", first, since)
	}
	const sleep = 20 * time.Millisecond
	t0 := time.Now()
	a := c.now()
	time.Sleep(sleep)
	b := c.now()
	outer := time.Since(t0)
	if d := b - a; float64(d) < 0.99*float64(sleep) || float64(d) > 1.01*float64(outer) {
		t.Errorf("clock advanced %d ns over a %s sleep measured as %s by time.Now", d, sleep, outer)
	}
}

// TestHarnessCostIsPerOperation: harness_ns_per_op is the cheapest trial's
// time divided by its operations, so it can be no more than the whole
// measurement's time divided by all of them.
func TestHarnessCostIsPerOperation(t *testing.T) {
	t0 := time.Now()
	cost := measureHarnessCost()
	total := time.Since(t0)
	if limit := float64(total.Nanoseconds()) / (harnessTrials * harnessLoop); cost <= 0 || cost > limit {
		t.Errorf("harness cost %v ns/op, want > 0 and ≤ %v (%s over %d×%d operations)", cost, limit, total, harnessTrials, harnessLoop)
	}
}

// TestClockFixedPoint: the clock's fixed-point conversion agrees with the
// exact product to a nanosecond or one part in 10⁹ (far below the rate's
// own calibration error), from one tick to a day's worth, at the rates a
// TSC runs at and at the monotonic clock's 1 ns a tick.
func TestClockFixedPoint(t *testing.T) {
	for _, nsPerTick := range []float64{1, 0.4, 1 / 2.9, 1 / 3.7} {
		c := clock{nsPerTick32: uint64(math.Round(nsPerTick * (1 << 32)))}
		for _, d := range []int64{0, 1, 3, 1000, 123_456_789, int64(86_400e9 / nsPerTick)} {
			want := float64(d) * nsPerTick
			if got := c.ns(d); math.Abs(float64(got)-want) > max(1, 1e-9*want) {
				t.Errorf("%v ns a tick: %d ticks = %d ns, want %.1f", nsPerTick, d, got, want)
			}
		}
	}
}
