//go:build linux

package timing

import (
	"math"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// How Sleep wakes an idle scheduler on time.
//
// A sleeper sleeps on an ordinary runtime timer (time.Sleep), which the
// scheduler fires precisely whenever it is running anyway. What goes wrong
// is only the idle case: the scheduler then blocks in epoll_wait with a
// timeout rounded to whole milliseconds. So Sleep keeps an alarm: a
// one-shot timerfd registered with the runtime's poller (through an
// os.File) and never read, armed near the earliest pending deadline. Its
// expiry makes epoll_wait return at once — timerfd expiry has nanosecond
// resolution and no timer slack — and the scheduler then finds the due
// runtime timers and runs them. No goroutine waits on the timerfd (one that
// did would be woken, with a thread, on every expiry: measured, that
// doubles the CPU cost with a thousand sleepers), and no thread is pinned.
//
// Keeping the alarm armed without a goroutine of its own:
//
//   - Every sleeper pushes its deadline onto a min-heap, sharded by the
//     sleeper's stack address so that a thousand sleepers on several CPUs
//     do not queue on one lock; each shard publishes its earliest deadline
//     in an atomic.
//   - The alarm is always armed for margin after the deadline of a pending
//     sleeper, its owner. The owner wakes at or after its deadline and so
//     finds the alarm due (armed <= now+margin): whoever wakes and finds
//     it so first re-arms it — pops the deadlines that have passed and arms
//     for the next. Other sleepers only read one atomic when they wake. So
//     the alarm stays armed as long as anyone sleeps, with no goroutine of
//     its own, and a lone sleeper costs one timerfd_settime beyond
//     time.Sleep.
//   - Rate limit: with many sleepers, the next alarm is armed for the first
//     deadline at least slack ahead (slack = 1/16 of the earliest sleeper's
//     delay, 4 µs to 1 ms); the sleepers due before it are woken with it,
//     at most two slacks late, about half a slack on average. With a
//     thousand sleepers whose deadlines are microseconds apart, one expiry
//     wakes a batch of them instead of one expiry (a timerfd_settime and a
//     wake-up, both costly on a virtual machine) each. If no deadline lies
//     between one and two slacks ahead, the alarm is armed for the last
//     deadline before one slack instead, so that nobody waits for a distant
//     one. Since alarms fall on real deadlines, a closed loop of sleepers
//     of one delay is woken on time, not a tick late.
//   - A newcomer whose deadline the armed alarm would miss by more than its
//     slack arms the alarm for itself.
//   - A sleeper that registers while the alarm is due but not yet re-armed
//     leaves it to whoever re-arms it, which re-reads the deadlines
//     afterwards: the burst of sleepers that an expiry wakes, sleeping
//     again at once, takes no lock but its shard's.
//   - No lock is held across a system call except armMu, which only the
//     sleepers that re-arm take.
//
// The alarm expires margin after the deadline, so that the runtime timer
// (set a few nanoseconds after it) is due when the scheduler wakes: an
// early wake-up would send it back to sleep for a millisecond.
type alarm struct {
	shards [alarmShards]shard

	armMu  sync.Mutex   // serialises arming the timerfd
	armed  atomic.Int64 // expiry of the armed alarm; math.MaxInt64: none
	rearms atomic.Bool  // someone is re-arming a due alarm

	timer timerfd
}

// shard is one part of the heap of pending deadlines.
type shard struct {
	mu      sync.Mutex
	pending deadlineHeap
	// earliest and earliestSlack publish the top of pending (MaxInt64:
	// empty) for readers that do not take mu; size publishes its length.
	earliest, earliestSlack, size atomic.Int64
	_                             [72]byte // shards on separate cache lines
	// lateness is Delay's estimate of the wake-up latency of the
	// shard's sleepers (see lateness.go).
	lateness latenessTable
}

const (
	alarmShards = 8
	margin      = 4 * time.Microsecond
	slackDiv    = 16 // slack: 1/16 of the delay
	maxSlack    = time.Millisecond
)

func slackFor(d int64) int64 { return min(max(d/slackDiv, int64(margin)), int64(maxSlack)) }

var theAlarm = sync.OnceValue(newAlarm)

func newAlarm() *alarm {
	a := &alarm{}
	if a.timer.open() != nil {
		return nil
	}
	a.armed.Store(math.MaxInt64)
	for i := range a.shards {
		a.shards[i].earliest.Store(math.MaxInt64)
	}
	return a
}

func precise() bool { return theAlarm() != nil }

// publish updates the shard's earliest and size; the caller holds mu.
func (s *shard) publish() {
	s.size.Store(int64(len(s.pending)))
	if len(s.pending) == 0 {
		s.earliest.Store(math.MaxInt64)
		return
	}
	s.earliestSlack.Store(s.pending[0].slack)
	s.earliest.Store(s.pending[0].deadline)
}

// plan pops the shard's passed deadlines (up to t) and reports, among the
// rest: the earliest (and its slack), the first at or after from, and the
// last before from (MaxInt64, MaxInt64 and MinInt64 when there is none).
// The caller holds mu. Only the entries before from are visited: in a
// heap, a node at or after from has no descendant before it.
func (s *shard) plan(t, from int64) (earliest, slack, first, last int64) {
	for len(s.pending) > 0 && s.pending[0].deadline <= t {
		s.pending.pop()
	}
	s.publish()
	earliest, slack, first, last = math.MaxInt64, 0, math.MaxInt64, math.MinInt64
	if len(s.pending) > 0 {
		earliest, slack = s.pending[0].deadline, s.pending[0].slack
	}
	s.pending.around(0, from, &first, &last)
	return earliest, slack, first, last
}

// next returns when the alarm should expire for the pending sleepers after
// t, or false if there are none; it pops the passed deadlines.
func (a *alarm) next(t int64) (at int64, ok bool) {
	// The earliest sleeper's slack sets the pace: pass one over the shards
	// for it, and a second to find the deadlines around t+slack.
	earliest, slack := a.earliest()
	if earliest == math.MaxInt64 {
		return 0, false
	}
	from := max(earliest, t+slack)
	earliest = math.MaxInt64
	first, last := int64(math.MaxInt64), int64(math.MinInt64)
	for i := range a.shards {
		s := &a.shards[i]
		s.mu.Lock()
		e, _, f, l := s.plan(t, from)
		s.mu.Unlock()
		earliest, first, last = min(earliest, e), min(first, f), max(last, l)
	}
	switch {
	case earliest == math.MaxInt64:
		return 0, false
	case first <= from+slack || last == math.MinInt64:
		return first + int64(margin), true
	default:
		return last + int64(margin), true
	}
}

// arm sets the alarm to expire at at (MaxInt64: none); the caller holds
// armMu.
func (a *alarm) arm(at int64) {
	if at != math.MaxInt64 && a.timer.set(at, 0) != nil {
		// Cannot happen with a valid descriptor and time; if it did,
		// sleepers would merely fall back to time.Sleep's precision.
		return
	}
	a.armed.Store(at)
}

// register adds a sleeper with deadline to shard and arms the alarm if it
// would otherwise wake the sleeper too late; it reports whether it armed
// it (a system call: time has passed).
func (a *alarm) register(shard int, deadline, t int64) (armed bool) {
	s := &a.shards[shard]
	slack := slackFor(deadline - t)
	s.mu.Lock()
	s.pending.push(deadlineEntry{deadline: deadline, slack: slack})
	if s.pending[0].deadline == deadline {
		s.publish() // a new earliest
	} else {
		s.size.Store(int64(len(s.pending)))
	}
	s.mu.Unlock()
	// Published the deadline, then read the alarm; rearm, after it
	// changes the alarm, does the opposite. With sequentially consistent
	// atomics one of the two sees the other.
	if at := a.armed.Load(); at <= t+int64(margin) || at <= deadline+slack {
		// Due: whoever re-arms it sees us. Or armed early enough.
		return false
	}
	a.armMu.Lock()
	if at := a.armed.Load(); at > t+int64(margin) && at > deadline+slack {
		a.arm(deadline + int64(margin))
		armed = true
	}
	a.armMu.Unlock()
	return armed
}

// woke is called by every sleeper with deadline when it wakes: the first
// to find the alarm due re-arms it; the others only read it.
func (a *alarm) woke(deadline int64) {
	if a.armed.Load() > deadline+int64(margin) {
		// Not due for us: the alarm is for a later sleeper, which will
		// find it due when it wakes. (Most sleepers stop here, without
		// reading the clock.)
		return
	}
	for a.armed.Load() <= now()+int64(margin) && a.rearms.CompareAndSwap(false, true) {
		a.armMu.Lock()
		if t := now(); a.armed.Load() <= t+int64(margin) {
			if at, ok := a.next(t); ok {
				a.arm(at)
			} else {
				a.arm(math.MaxInt64)
				// A sleeper that registered while the alarm was due
				// left it to us, and may have pushed its deadline
				// after next looked: look again. (When an alarm is
				// armed, such a sleeper is woken by it, or by the one
				// its owner arms next.)
				if e, _ := a.earliest(); e != math.MaxInt64 {
					if at, ok := a.next(now()); ok {
						a.arm(at)
					}
				}
			}
		}
		a.armMu.Unlock()
		a.rearms.Store(false)
		// The sleeper the new alarm is for may have woken meanwhile,
		// found the alarm due and left it to us: loop, and look again.
	}
}

// earliest returns the earliest published deadline and its slack.
func (a *alarm) earliest() (deadline, slack int64) {
	deadline = math.MaxInt64
	for i := range a.shards {
		s := &a.shards[i]
		if e := s.earliest.Load(); e < deadline {
			deadline, slack = e, s.earliestSlack.Load()
		}
	}
	return deadline, slack
}

// begin starts a sleep of d and returns its deadline and how long to sleep
// on a runtime timer; woke must follow. With compensate, the deadline is
// earlier than d by the shard's estimate of the lateness of sleeps like
// this one, and regime is what observe needs to learn from it.
func (a *alarm) begin(d time.Duration, compensate bool) (deadline int64, sleep time.Duration, r regime) {
	// Goroutine stacks lie apart: the address of a local spreads
	// sleepers over the shards.
	var anchor byte
	shard := int(uintptr(unsafe.Pointer(&anchor))>>12) % alarmShards
	t := now()
	if compensate {
		// The shard's sleepers times the shards: the number pending.
		s := &a.shards[shard]
		r = regime{d: int64(d), pending: s.size.Load() * alarmShards, shard: shard}
		d -= time.Duration(s.lateness.estimate(r.d, r.pending))
		r.aim = t + int64(d)
		// With many sleepers, one wake in sampleEvery is plenty to learn
		// from (thousands a second), and the others save a clock reading
		// and two writes to lines every sleeper of the shard shares.
		r.sample = r.pending < manySleepers || r.aim%sampleEvery == 0
	}
	deadline = t + int64(d)
	if a.register(shard, deadline, t) {
		// The runtime timer must not expire after the alarm, or the
		// scheduler, woken early, would sleep on for a millisecond: after
		// a system call, sleep only what is left. Otherwise the little
		// time since t is well inside margin, and a clock reading is
		// saved.
		return deadline, time.Duration(deadline - now()), r
	}
	return deadline, d, r
}

// regime identifies a compensated sleep for its lateness estimate.
type regime struct {
	d, pending int64
	shard      int
	aim        int64 // the deadline aimed at, in now() units
	sample     bool  // learn from this sleep's lateness
}

const (
	manySleepers = 64
	sampleEvery  = 8
)

func sleep(d time.Duration) {
	a := theAlarm()
	if a == nil {
		time.Sleep(d)
		return
	}
	deadline, left, _ := a.begin(d, false)
	time.Sleep(left)
	a.woke(deadline)
}

func delay(d time.Duration) {
	a := theAlarm()
	if a == nil {
		delayPlain(d)
		return
	}
	deadline, left, r := a.begin(d, true)
	time.Sleep(left)
	if r.sample {
		late := now() - r.aim
		a.woke(deadline)
		a.shards[r.shard].lateness.observe(r.d, r.pending, late)
		return
	}
	a.woke(deadline)
}
