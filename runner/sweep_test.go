package runner

import (
	"testing"
	"time"

	"lockbench/workload"
)

// TestETA: the time left is the remaining runs' planned phases (warm-up,
// window, 100 ms of set-up, and a second for an ops-mode window of unknown
// length), scaled by how long the finished runs took against their plan.
func TestETA(t *testing.T) {
	timed := Params{Spec: &workload.Spec{Warmup: 500 * time.Millisecond, Duration: 2 * time.Second}} // 2.6 s
	ops := Params{Spec: &workload.Spec{Ops: 400}}                                                    // 1.1 s
	plan := []Params{timed, ops}
	if got := eta(time.Now(), 0, plan); got != 4*time.Second {
		t.Errorf("nothing done: ETA %s, want 3.7 s rounded, 4s", got)
	}
	// The first run took 10,000 times its plan: the ops run left is
	// 1.1 s × 10,000 = 11,000 s. (The test's own microseconds count for
	// a ten-thousandth of a second or so.)
	began := time.Now().Add(-26_000 * time.Second)
	if got := eta(began, 1, plan); got != 11_000*time.Second {
		t.Errorf("one run done at 10,000× its plan: ETA %s, want %s", got, 11_000*time.Second)
	}
	if got := eta(began, 2, plan); got != 0 {
		t.Errorf("all done: ETA %s", got)
	}
}
