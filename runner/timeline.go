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
// completed and their latency since the last sample, heap, goroutines and
// CPU time; and it keeps the peaks of heap, goroutines and RSS.
type timeline struct {
	r                                 *run
	ru0                               rusage
	start                             time.Time
	last                              time.Time
	interval                          loghist.Histogram
	points                            []results.TimelinePoint
	heapPeak, goroutinesPeak, rssPeak int64
}

func newTimeline(r *run, ru0 rusage) *timeline {
	now := time.Now()
	tl := &timeline{r: r, ru0: ru0, start: now, last: now}
	tl.interval.Init(loghist.Coarse)
	r.rec.takeInterval(&tl.interval) // warm-up's operations are not the window's
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

func (tl *timeline) sample() {
	now := time.Now()
	tl.r.rec.takeInterval(&tl.interval)
	heap, goroutines := tl.gauges()
	tl.points = append(tl.points, results.TimelinePoint{
		TS:         now.Sub(tl.start).Seconds(),
		Ops:        tl.interval.Count(),
		P50Ns:      tl.interval.Quantile(0.50),
		P99Ns:      tl.interval.Quantile(0.99),
		HeapBytes:  heap,
		Goroutines: goroutines,
		CPUS:       (readRusage().total() - tl.ru0.total()).Seconds(),
	})
	tl.last = now
}

// finish takes a last sample if the tail since the last one is long enough
// to mean something.
func (tl *timeline) finish() {
	if time.Since(tl.last) >= timelineInterval/2 {
		tl.sample()
	}
}
