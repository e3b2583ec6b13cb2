package timing

import (
	"math/bits"
	"sync/atomic"
)

// How Delay compensates the wake-up latency.
//
// A sleep on a runtime timer ends after its deadline: the scheduler has to
// notice the timer, wake a thread (on a virtual machine, an inter-processor
// interrupt through the hypervisor) and run the goroutine, and with many
// sleepers the alarm wakes them in batches (see alarm_linux.go). Measured on
// this project's machines that is 30–80 µs, 1.5–4% of a 2 ms delay, and
// it depends on how many sleepers there are and on the delay. Delay
// therefore aims earlier by the median lateness that sleeps like it have
// shown, and measures the lateness of its own sleep to update the
// estimate: sleeps "like it" share a regime, the number of pending
// sleepers (to a power of two) and the delay (to half an octave).
//
// The estimate of a regime follows the median, not the mean, because the
// median is what is aimed at: each observation moves it one step towards
// itself (up if later than the estimate, down if earlier), with steps of a
// sixteenth of the estimate (at least a microsecond), so it converges
// within a few dozen sleeps and then wanders by a few percent of the
// lateness, a fraction of a microsecond, around the median. Heavy tails
// (a preempted thread, a 50 ms stall) move it by one step only.
//
// Updates are a plain load and store, not a compare-and-swap: two
// sleepers updating one regime at once may lose a step, which an
// estimate can afford, and no lock or contended read-modify-write is added
// to a sleep.
//
// A delay drawn from a distribution (the sim store's exp, uniform,
// lognormal) falls into many regimes, each seen rarely at first: a regime
// not yet observed starts from the latest estimate of any delay with as
// many pending sleepers, since for a lone sleeper the wake-up latency
// hardly depends on the delay.
type latenessTable struct {
	est    [pendingRegimes][delayRegimes]atomic.Int64 // ns; 0: not yet observed
	latest [pendingRegimes]atomic.Int64               // the last estimate set in the row
}

const (
	pendingRegimes = 16 // bits.Len of the pending sleepers, capped
	delayRegimes   = 80 // half octaves of the delay in ns, capped
	minStep        = 1000
)

func regimeOf(d, pending int64) (p, dr int) {
	p = min(bits.Len64(uint64(max(pending, 0))), pendingRegimes-1)
	if d <= 1 {
		return p, 0
	}
	exp := bits.Len64(uint64(d)) - 1
	half := int(d>>(exp-1)) & 1 // the bit below the leading one
	return p, min(2*exp+half, delayRegimes-1)
}

// estimate returns how much earlier than d a sleep of d should aim: the
// estimated median lateness of its regime, at most half of d.
func (l *latenessTable) estimate(d, pending int64) int64 {
	p, dr := regimeOf(d, pending)
	e := l.est[p][dr].Load()
	if e == 0 {
		e = l.latest[p].Load()
	}
	return min(e, d/2)
}

// observe records that a sleep of d, with pending sleepers, woke late
// nanoseconds after the time it aimed at.
func (l *latenessTable) observe(d, pending, late int64) {
	p, dr := regimeOf(d, pending)
	e := &l.est[p][dr]
	cur := e.Load()
	if cur == 0 {
		cur = l.latest[p].Load()
	}
	step := max(cur/16, minStep)
	next := cur
	switch {
	case late > cur:
		next = cur + min(step, late-cur)
	case late < cur:
		next = cur - min(step, cur-late)
	}
	next = max(next, 1) // 0 means "not yet observed"
	e.Store(next)
	l.latest[p].Store(next)
}
