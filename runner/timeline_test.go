package runner

import (
	"math"
	"testing"
	"time"
)

// TestTimelineHandOver: every operation recorded in the window lands in
// exactly one timeline point — the point of the interval it completed in,
// or, when its worker spent a tick inside one operation and handed its
// counts over late, the next one — whatever order shards hand over in.
func TestTimelineHandOver(t *testing.T) {
	r := &run{rec: newRecorder(2, 1, false)}
	s0, s1 := r.rec.shardOf(0), r.rec.shardOf(1)
	rec := func(s *shard, n int, latency int64) {
		for range n {
			s.record(false, r.epoch.Load(), 0, latency, 0)
		}
	}
	tick := func(tl *timeline) { tl.sample(r.epoch.Add(1)) }
	tl := newTimeline(r, rusage{})

	rec(s0, 10, 1e6) // epoch 0: the window's first interval
	rec(s1, 5, 3e6)
	tick(tl) // epoch 1: nothing to complete yet
	if len(tl.points) != 0 {
		t.Fatalf("after the first tick: %d points, want 0 (its latencies come a tick later)", len(tl.points))
	}
	rec(s0, 3, 2e6) // s0 hands epoch 0 over; s1 is inside one long operation
	tick(tl)        // epoch 2: completes epoch 0's point, without s1's 5
	rec(s1, 1, 4e6) // s1 returns: its epoch-0 counts are late, they join epoch 1
	rec(s0, 4, 1e6)
	tick(tl) // epoch 3: epoch 1's point, s0's 3 and s1's late 5
	r.pause(&worker{shard: s0})
	r.pause(&worker{shard: s1})
	tl.last = time.Now().Add(time.Hour) // no tail
	tl.finish()                         // epoch 2's point: s0's 4 and s1's 1

	var ops []int64
	for _, p := range tl.points {
		ops = append(ops, p.Ops)
	}
	if want := []int64{10, 8, 5}; len(ops) != len(want) || ops[0] != want[0] || ops[1] != want[1] || ops[2] != want[2] {
		t.Fatalf("points with %v operations, want %v", ops, want)
	}
	if p := tl.points[0]; p.P50Ns < 0.95e6 || p.P50Ns > 1.15e6 || p.P99Ns < 0.95e6 || p.P99Ns > 1.15e6 {
		t.Errorf("first point: p50 %d, p99 %d; want about 1 ms (s1's 3 ms came late)", p.P50Ns, p.P99Ns)
	}
	if p := tl.points[1]; p.P99Ns < 2.8e6 {
		t.Errorf("second point: p99 %d, want about 3 ms (s1's late operations)", p.P99Ns)
	}

	// A tail long enough to mean something is a point of its own.
	rec(s0, 7, 1e6)
	r.pause(&worker{shard: s0})
	tl.last = time.Now().Add(-time.Hour)
	tl.finish()
	if n := len(tl.points); n != 4 || tl.points[3].Ops != 7 {
		t.Errorf("tail: %d points, last with %d operations; want 4, 7", n, tl.points[n-1].Ops)
	}
}

// TestTimelineTailAndCPU: a tail of three quarters of an interval is long
// enough to be a point; a point's CPU time counts from the window's start.
func TestTimelineTailAndCPU(t *testing.T) {
	r := &run{rec: newRecorder(1, 1, false)}
	// The window began after an hour of CPU: a point counts from there.
	ru0 := readRusage()
	ru0.user += time.Hour
	tl := newTimeline(r, ru0)
	s := r.rec.shardOf(0)
	for range 5 {
		s.record(false, r.epoch.Load(), 0, 2e6, 0)
	}
	r.pause(&worker{shard: s})
	tl.last = time.Now().Add(-timelineInterval * 3 / 4)
	tl.finish()
	if len(tl.points) != 1 || tl.points[0].Ops != 5 {
		t.Fatalf("a tail of 3/4 of an interval: points %+v, want one of 5 operations", tl.points)
	}
	if want := (readRusage().total() - ru0.total()).Seconds(); math.Abs(tl.points[0].CPUS-want) > 1 {
		t.Errorf("CPU time %v s since the window began, want %v", tl.points[0].CPUS, want)
	}
	if p := tl.points[0]; p.Goroutines <= 0 || p.HeapBytes <= 0 || tl.goroutinesPeak < p.Goroutines || tl.heapPeak <= 0 || tl.rssPeak <= 0 {
		t.Errorf("gauges: %+v, peaks %d goroutines, %d heap, %d RSS", p, tl.goroutinesPeak, tl.heapPeak, tl.rssPeak)
	}
}
