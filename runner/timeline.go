package runner

import (
	"time"

	"lockbench/internal/loghist"
	"lockbench/results"
)

// timelineInterval is the timeline's sampling period; the controller's
// watchdog ticks with it.
const timelineInterval = 100 * time.Millisecond

// timeline samples the measured phase every timelineInterval: operations
// completed and their latency in the interval, heap, goroutines and CPU
// time at its end; and it keeps the peaks of heap, goroutines and RSS.
//
// Workers hand their interval latencies over once per tick (see recorder),
// so an interval's latencies are complete one tick after it ends: each
// point is finished a tick late, from the gauges read at its end and the
// latencies of its epoch.
type timeline struct {
	r                                 *run
	ru0                               rusage
	start                             time.Time
	last                              time.Time
	interval                          loghist.Histogram
	pending                           *results.TimelinePoint // the last tick's point, awaiting its latencies
	points                            []results.TimelinePoint
	heapPeak, goroutinesPeak, rssPeak int64
}

func newTimeline(r *run, ru0 rusage) *timeline {
	now := time.Now()
	tl := &timeline{r: r, ru0: ru0, start: now, last: now}
	tl.interval.Init(loghist.Coarse)
	tl.gauges()
	return tl
}

func (tl *timeline) gauges() (heap, goroutines int64) {
	heap, goroutines = sampleGauges()
	tl.heapPeak = max(tl.heapPeak, heap)
	tl.goroutinesPeak = max(tl.goroutinesPeak, goroutines)
	tl.rssPeak = max(tl.rssPeak, currentRSS())
	return heap, goroutines
}

// sample is called at a tick, once the controller moved to epoch: it
// finishes the previous tick's point with the latencies of epoch−2 (the
// interval that ended at the previous tick, now handed over by every
// worker) and starts this tick's.
func (tl *timeline) sample(epoch int64) {
	tl.complete(epoch - 2)
	tl.pending = tl.point(time.Now())
}

// point reads the gauges at now into a point whose latencies are to come.
func (tl *timeline) point(now time.Time) *results.TimelinePoint {
	heap, goroutines := tl.gauges()
	tl.last = now
	return &results.TimelinePoint{
		TS:         now.Sub(tl.start).Seconds(),
		HeapBytes:  heap,
		Goroutines: goroutines,
		CPUS:       (readRusage().total() - tl.ru0.total()).Seconds(),
	}
}

// complete gives the pending point the latencies of epoch and keeps it.
func (tl *timeline) complete(epoch int64) {
	if tl.pending == nil {
		return
	}
	tl.r.rec.takeInterval(epoch, &tl.interval)
	p := tl.pending
	p.Ops = tl.interval.Count()
	p.P50Ns = tl.interval.Quantile(0.50)
	p.P99Ns = tl.interval.Quantile(0.99)
	tl.points = append(tl.points, *p)
	tl.pending = nil
}

// finish, once the workers have left (and handed their counts over),
// completes the last tick's point and adds the tail since it, if the tail
// is long enough to mean something.
func (tl *timeline) finish() {
	epoch := tl.r.epoch.Load()
	tl.complete(epoch - 1)
	if now := time.Now(); now.Sub(tl.last) >= timelineInterval/2 {
		tl.pending = tl.point(now)
		tl.complete(epoch)
	}
}
