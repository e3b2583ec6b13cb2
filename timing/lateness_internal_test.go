package timing

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestLatenessFollowsTheMedian feeds a regime synthetic lateness with a
// heavy tail: the estimate settles at the median (what Delay aims at),
// not at the mean, which the tail drags far above it.
func TestLatenessFollowsTheMedian(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	draw := func() int64 {
		if rng.IntN(100) < 10 { // 10%: a preempted thread, a stall
			return int64(5*time.Millisecond) + rng.Int64N(int64(50*time.Millisecond))
		}
		return int64(60*time.Microsecond) + rng.Int64N(int64(20*time.Microsecond))
	}
	var l latenessTable
	const d, pending = int64(2 * time.Millisecond), 1000
	seen := make([]int64, 0, 2000)
	for range 2000 {
		late := draw()
		seen = append(seen, late)
		l.observe(d, pending, late)
	}
	slices.Sort(seen)
	median := seen[len(seen)/2]
	got := l.estimate(d, pending)
	if diff := got - median; diff < -int64(5*time.Microsecond) || diff > int64(5*time.Microsecond) {
		t.Fatalf("estimate %v, median lateness %v: want within 5µs", time.Duration(got), time.Duration(median))
	}
	// Another number of pending sleepers has learnt nothing.
	if e := l.estimate(d, 1); e != 0 {
		t.Errorf("regime of 1 pending sleeper: estimate %v, want 0", time.Duration(e))
	}
	// A delay not seen yet starts from the latest estimate of its row,
	// and then learns on its own.
	if e := l.estimate(10*d, pending); e != got {
		t.Errorf("unseen delay: estimate %v, want the row's latest %v", time.Duration(e), time.Duration(got))
	}
	for range 200 {
		l.observe(10*d, pending, int64(300*time.Microsecond))
	}
	if e := l.estimate(10*d, pending); e != int64(300*time.Microsecond) {
		t.Errorf("10× longer delay after 200 sleeps 300µs late: estimate %v", time.Duration(e))
	}
	if e := l.estimate(d, pending); e != got {
		t.Errorf("the first delay's estimate moved to %v with the other's observations", time.Duration(e))
	}
}

// TestLatenessFallsBack: when the machine wakes sleepers faster than
// before, the estimate comes down again.
func TestLatenessFallsBack(t *testing.T) {
	var l latenessTable
	const d = int64(time.Millisecond)
	for range 500 {
		l.observe(d, 1, int64(80*time.Microsecond))
	}
	for range 500 {
		l.observe(d, 1, int64(10*time.Microsecond))
	}
	if got := l.estimate(d, 1); got != int64(10*time.Microsecond) {
		t.Fatalf("estimate %v after lateness fell to 10µs", time.Duration(got))
	}
}

// TestLatenessCapped: a delay never aims earlier than half of itself,
// whatever the machine did.
func TestLatenessCapped(t *testing.T) {
	var l latenessTable
	const d = int64(100 * time.Microsecond)
	for range 1000 {
		l.observe(d, 0, int64(time.Millisecond))
	}
	if got := l.estimate(d, 0); got != d/2 {
		t.Fatalf("estimate %v for a %v delay, want %v", time.Duration(got), time.Duration(d), time.Duration(d/2))
	}
}

func TestRegimes(t *testing.T) {
	for _, tc := range []struct {
		d, pending int64
		p, dr      int
	}{
		{0, 0, 0, 0},
		{1, 1, 1, 0},
		{2, 2, 2, 2},
		{3, 3, 2, 3}, // 0b11: upper half of the octave
		{int64(time.Millisecond), 1000, 10, 2*19 + 1},
		{int64(1500 * time.Microsecond), 1 << 40, pendingRegimes - 1, 2*20 + 0},
		{1 << 62, 0, 0, delayRegimes - 1},
	} {
		if p, dr := regimeOf(tc.d, tc.pending); p != tc.p || dr != tc.dr {
			t.Errorf("regimeOf(%d, %d) = %d, %d; want %d, %d", tc.d, tc.pending, p, dr, tc.p, tc.dr)
		}
	}
}
