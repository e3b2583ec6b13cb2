package runner

import (
	"context"
	"math/rand/v2"
	"time"

	"lockbench/timing"
)

// A Pacer decides the open loop's intended start times, in the manner of
// vegeta's Pacer: given the time elapsed since the schedule began and the
// operations scheduled so far (hits), it returns how long after elapsed the
// next one is due, or stop when the schedule is over. Unlike vegeta's, wait
// is negative when the schedule is behind: the operation was due that long
// ago, and its latency counts from then. Intended times follow the
// pacer, never the clock: when workers fall behind, the queue grows and the
// waiting counts in latency.
type Pacer interface {
	Pace(elapsed time.Duration, hits uint64) (wait time.Duration, stop bool)
}

// UniformPacer schedules operations evenly, Rate per second.
type UniformPacer struct{ Rate float64 }

// Pace implements Pacer: the hits-th operation is due at hits/Rate.
func (p UniformPacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if p.Rate <= 0 {
		return 0, true
	}
	due := time.Duration(float64(hits) * 1e9 / p.Rate)
	return due - elapsed, false
}

// PoissonPacer schedules operations as a Poisson process of Rate per
// second: exponential gaps drawn from Rand, so a seeded run repeats its
// schedule.
type PoissonPacer struct {
	Rate float64
	Rand *rand.Rand
	next time.Duration // due time of the hits-th operation
	hits uint64
}

// Pace implements Pacer. It draws one gap per scheduled operation.
func (p *PoissonPacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if p.Rate <= 0 {
		return 0, true
	}
	for p.hits < hits {
		p.next += time.Duration(p.Rand.ExpFloat64() * 1e9 / p.Rate)
		p.hits++
	}
	return p.next - elapsed, false
}

var (
	_ Pacer = UniformPacer{}
	_ Pacer = (*PoissonPacer)(nil)
)

// newPacer returns the pacer the workload asks for.
func newPacer(interarrival string, rate float64, seed int64, repetition int) Pacer {
	if interarrival == "uniform" {
		return UniformPacer{Rate: rate}
	}
	return &PoissonPacer{Rate: rate, Rand: rand.New(rand.NewPCG(uint64(seed), uint64(repetition)))}
}

// pace feeds intended start times (run clock) into the schedule until the
// window closes, the run stops or the pacer says stop.
func (r *run) pace(ctx context.Context, p Pacer) {
	defer close(r.sched)
	begin := r.clock.now()
	var hits uint64
	for ctx.Err() == nil && !r.stop.Load() {
		elapsed := r.clock.now() - begin
		wait, stop := p.Pace(time.Duration(elapsed), hits)
		if stop {
			return
		}
		// The intended time is the pacer's, not the time the sleep
		// (or the send into a full queue) happened to end.
		intended := begin + elapsed + int64(wait)
		if t1 := r.t1.Load(); t1 != 0 && intended >= t1 {
			return
		}
		if wait > 0 {
			sleepFor(wait)
		}
		select {
		case r.sched <- intended:
		case <-ctx.Done():
			return
		}
		hits++
	}
}

// sleepFor waits d; the pacer and think time use it.
// timing.Sleep is accurate where time.Sleep rounds short sleeps up to ~1 ms.
var sleepFor = timing.Sleep
