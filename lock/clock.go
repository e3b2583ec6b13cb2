package lock

import (
	"math"
	"sync/atomic"
	"time"
)

// The lock clock, ticks, is read on every acquisition and release, so it is
// the cheapest monotonic counter at hand. On linux/amd64, where the kernel
// has checked the TSC (invariant, in step across CPUs) and times its own
// monotonic clock with it, ticks is RDTSC: ~9 ns here, against ~23 ns for
// time.Since (one vDSO call) and ~45 ns for time.Now (which reads the wall
// clock too). Elsewhere, or built with -tags lock_nanotime, ticks is the
// monotonic clock in nanoseconds.
//
// Figures stay in ticks until they are reported: Snapshot, and the trace's
// per-operation nanoseconds, convert them at the rate measured between
// package load and the first conversion at least calibrationNs later
// (until then, between load and now). Over 100 ms the error of the rate is
// a few parts in ten million.

// epoch anchors nanotime.
var epoch = time.Now()

// nanotime returns monotonic nanoseconds since the package was loaded.
func nanotime() int64 { return int64(time.Since(epoch)) }

const calibrationNs = 100 * int64(time.Millisecond)

// Calibration point, taken at load.
var tick0, nano0 = readPair()

// readPair reads both clocks at (nearly) one instant: nanotime between two
// tick reads, keeping the tightest of a few tries, so that a preemption
// between two reads (under load it can last milliseconds) does not skew the
// rate.
func readPair() (tick, nano int64) { return tightestPair(ticks, nanotime) }

// tightestPair is readPair over the clocks it is given (a test gives it
// scripted ones).
func tightestPair(ticks, nanotime func() int64) (tick, nano int64) {
	width := int64(math.MaxInt64)
	for range 5 {
		t1 := ticks()
		n := nanotime()
		t2 := ticks()
		if t2-t1 < width {
			width, tick, nano = t2-t1, t1+(t2-t1)/2, n
		}
	}
	return tick, nano
}

// calibrated holds the rate's float64 bits once measured over
// calibrationNs; 0 until then.
var calibrated atomic.Uint64

// tickRate is nanoseconds per tick.
type tickRate float64

// rate returns the current tickRate.
func rate() tickRate {
	if !useTSC {
		return 1
	}
	if bits := calibrated.Load(); bits != 0 {
		return tickRate(math.Float64frombits(bits))
	}
	t, n := readPair()
	r, final := rateBetween(tick0, nano0, t, n)
	if final {
		calibrated.Store(math.Float64bits(float64(r)))
	}
	return r
}

// rateBetween is the rate measured from the pair (t0, n0) to (t, n), and
// whether the interval is long enough, calibrationNs, to keep it for good.
func rateBetween(t0, n0, t, n int64) (r tickRate, final bool) {
	if t <= t0 || n <= n0 {
		return 1 / tscTicksPerNsGuess, false
	}
	return tickRate(float64(n-n0) / float64(t-t0)), n-n0 >= calibrationNs
}

// ns converts a duration in ticks.
func (r tickRate) ns(t int64) int64 {
	if r == 1 {
		return t
	}
	return int64(float64(t) * float64(r))
}

// ClockSource names the clock that times locks and I/O, "tsc" or
// "monotonic", for the environment section of a report.
func ClockSource() string {
	if useTSC {
		return "tsc"
	}
	return "monotonic"
}
