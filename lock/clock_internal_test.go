package lock

import (
	"math"
	"runtime"
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
	if !(best <= 0.01) { // NaN too: clocks that never moved
		t.Errorf("ticks converted differ from nanotime by %.2f%%, want < 1%% (clock %s)", 100*best, ClockSource())
	}
	if r := tickRate(1); r.ns(12345) != 12345 {
		t.Errorf("unit rate converts 12345 to %d", r.ns(12345))
	}
}

// TestTightestPair gives readPair scripted clocks: it must keep the try
// whose two tick reads are closest (the first of equals), and date it at
// their midpoint.
func TestTightestPair(t *testing.T) {
	widths := []int64{30, 10, 50, 10, 20} // tick reads around each nanotime
	var tickReads []int64
	for i, w := range widths {
		start := int64(1000 * (i + 1))
		tickReads = append(tickReads, start, start+w)
	}
	var nanoReads []int64
	for i := range widths {
		nanoReads = append(nanoReads, int64(7*(i+1)))
	}
	next := func(reads *[]int64) func() int64 {
		return func() int64 { v := (*reads)[0]; *reads = (*reads)[1:]; return v }
	}
	tick, nano := tightestPair(next(&tickReads), next(&nanoReads))
	if tick != 2005 || nano != 14 {
		t.Errorf("tightestPair = (%d, %d), want (2005, 14): the second try, 10 ticks wide", tick, nano)
	}
	if len(tickReads) != 0 || len(nanoReads) != 0 {
		t.Errorf("%d tick and %d nano reads left of five tries", len(tickReads), len(nanoReads))
	}
}

func TestRateBetween(t *testing.T) {
	const t0, n0 = 3_000_000, 99_000_000 // a pair taken at load
	for _, c := range []struct {
		name      string
		t, n      int64
		want      tickRate
		wantFinal bool
	}{
		{"short interval", t0 + 4000, n0 + 1000, 0.25, false},
		{"calibration interval", t0 + 4*calibrationNs, n0 + calibrationNs, 0.25, true},
		{"longer", t0 + 2*calibrationNs, n0 + 2*calibrationNs, 1, true},
		{"ticks did not move", t0, n0 + 1000, 1 / tscTicksPerNsGuess, false},
		{"nanotime did not move", t0 + 1000, n0, 1 / tscTicksPerNsGuess, false},
	} {
		r, final := rateBetween(t0, n0, c.t, c.n)
		if r != c.want || final != c.wantFinal {
			t.Errorf("%s: rate %v, final %v; want %v, %v", c.name, r, final, c.want, c.wantFinal)
		}
	}
}

// TestShardCount: one shard per P, a power of two, at most maxShards.
func TestShardCount(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for procs, want := range map[int]int{1: 1, 2: 2, 3: 4, 4: 4, 5: 8, 64: 64, 65: 64, 200: 64} {
		runtime.GOMAXPROCS(procs)
		if got := shardCount(); got != want {
			t.Errorf("GOMAXPROCS %d: %d shards, want %d", procs, got, want)
		}
	}
}
