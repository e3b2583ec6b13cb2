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
//   - Every sleeper pushes its deadline onto a min-heap; the heap is
//     sharded (by the sleeper's stack address) so that a thousand sleepers
//     on several CPUs do not queue on one lock, and each shard publishes its
//     earliest deadline in an atomic.
//   - The alarm has an owner: the sleeper whose deadline it was armed for,
//     the earliest at the time. When the owner wakes, it pops the
//     deadlines that have passed and arms the alarm for the new earliest,
//     which becomes the owner. A
//     newcomer whose deadline the armed alarm would miss by more than its
//     slack arms it for itself and takes it over. The chain of owners keeps
//     the alarm armed as long as anyone sleeps, and costs a lone sleeper
//     one timerfd_settime beyond time.Sleep.
//   - A new owner's deadline may pass while it is being made owner, so that
//     it stopped sleeping before it could see it: whoever makes it owner
//     then checks, and hands the alarm over on its behalf.
//   - A sleeper that registers while the alarm has fired but not been
//     handed over yet leaves it to the owner, which re-reads the deadlines
//     after handing over: a burst of sleepers registering right after an
//     expiry (the ones it woke, sleeping again) takes no lock but its
//     shard's.
//   - Rate limit: an alarm is set no sooner than slack after the current
//     time, where slack is 1/16 of the earliest sleeper's delay (4 µs to
//     1 ms). With thousands of sleepers whose deadlines are microseconds
//     apart, one expiry wakes a batch of them, at most 1/16 of their delay
//     late, instead of one expiry per sleeper.
//   - Locks are never held across a system call except armMu, which only
//     the few sleepers that re-arm take.
//
// The alarm expires margin after the deadline, so that the runtime timer
// (set a few nanoseconds after it) is due when the scheduler wakes: an
// early wake-up would send it back to sleep for a millisecond.
type alarm struct {
	shards [alarmShards]shard

	armMu sync.Mutex   // serialises arming the timerfd
	armed atomic.Int64 // expiry of the armed alarm; math.MaxInt64: none pending
	owner atomic.Int64 // deadline of the sleeper that re-arms next; 0: none

	timer timerfd
}

// shard is one part of the heap of pending deadlines.
type shard struct {
	mu      sync.Mutex
	pending deadlineHeap
	// earliest and earliestSlack publish the top of pending (MaxInt64:
	// empty) for readers that do not take mu.
	earliest, earliestSlack atomic.Int64
	_                       [80]byte // shards on separate cache lines
}

const (
	alarmShards = 8
	margin      = 4 * time.Microsecond
	slackDiv    = 16 // slack: 1/16 of the delay
	maxSlack    = time.Millisecond
)

var base = time.Now()

// now is the monotonic time since base, in ns; deadlines are in its units.
func now() int64 { return int64(time.Since(base)) }

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

// publish updates the shard's earliest; the caller holds mu.
func (s *shard) publish() {
	if len(s.pending) == 0 {
		s.earliest.Store(math.MaxInt64)
		return
	}
	s.earliestSlack.Store(s.pending[0].slack)
	s.earliest.Store(s.pending[0].deadline)
}

// popPassed pops the deadlines up to t, if the shard has any.
func (s *shard) popPassed(t int64) {
	if s.earliest.Load() > t {
		return
	}
	s.mu.Lock()
	for len(s.pending) > 0 && s.pending[0].deadline <= t {
		s.pending.pop()
	}
	s.publish()
	s.mu.Unlock()
}

// wanted pops the deadlines that have passed and returns when the alarm
// should expire for the rest, and its owner; ok is false when nobody is
// waiting. It reads the shards' earliest deadlines without their locks: a
// deadline pushed meanwhile is its sleeper's to arm for (see register).
func (a *alarm) wanted(t int64) (at, owner int64, ok bool) {
	earliest, slack := int64(math.MaxInt64), int64(0)
	for i := range a.shards {
		s := &a.shards[i]
		s.popPassed(t)
		if e := s.earliest.Load(); e < earliest {
			earliest, slack = e, s.earliestSlack.Load()
		}
	}
	if earliest == math.MaxInt64 {
		return 0, 0, false
	}
	return max(earliest+int64(margin), t+slack), earliest, true
}

// setAlarm arms the alarm for at with its owner; the caller holds armMu.
func (a *alarm) setAlarm(at, owner int64) {
	if a.timer.set(at, 0) != nil {
		// Cannot happen with a valid descriptor and time; if it did,
		// sleepers would merely fall back to time.Sleep's precision.
		return
	}
	a.armed.Store(at)
	a.owner.Store(owner)
}

// register adds a sleeper with deadline to shard and arms the alarm if it
// would otherwise wake the sleeper too late.
func (a *alarm) register(shard int, deadline, t int64) {
	s := &a.shards[shard]
	slack := slackFor(deadline - t)
	s.mu.Lock()
	s.pending.push(deadlineEntry{deadline: deadline, slack: slack})
	s.publish()
	s.mu.Unlock()
	// Published the deadline, then read the alarm; settle, after an
	// alarm changes, does the opposite. With sequentially consistent
	// atomics one of the two sees the other.
	switch armed := a.armed.Load(); {
	case armed <= t:
		// Fired: its owner is due, hands over and settles, seeing us.
		// (With a thousand sleepers, a batch of them registers again in
		// this window; none of them needs the arming lock.)
	case armed <= deadline+slack:
		// Armed early enough for us, and not fired yet.
	default:
		a.settle()
	}
}

// done is called by every sleeper when it stops sleeping; the owner hands
// the alarm over to the next.
func (a *alarm) done(deadline int64) {
	if a.owner.Load() != deadline {
		return
	}
	at, owner, ok := a.wanted(now())
	a.armMu.Lock()
	if a.owner.Load() != deadline {
		a.armMu.Unlock()
		return // a newcomer armed an earlier alarm and owns it
	}
	if ok {
		a.setAlarm(at, owner)
	} else {
		a.armed.Store(math.MaxInt64)
		a.owner.Store(0)
	}
	a.armMu.Unlock()
	a.settle()
}

// settle makes the alarm cover the earliest pending deadline after the
// alarm or the deadlines changed: it re-reads the deadlines (a sleeper
// that registered while the alarm was changing may have relied on the
// change), arms the alarm earlier if needed, and hands it over on behalf
// of an owner whose deadline passed while it was being made owner (it may
// have stopped sleeping, and checked whether it owned the alarm, before).
func (a *alarm) settle() {
	t := now()
	if at, owner, ok := a.wanted(t); ok {
		if armed := a.armed.Load(); armed <= t || at < armed {
			a.armMu.Lock()
			if armed := a.armed.Load(); armed <= t || at < armed {
				a.setAlarm(at, owner)
			}
			a.armMu.Unlock()
		}
	}
	if owner := a.owner.Load(); owner != 0 && owner <= now() {
		a.done(owner)
	}
}

// begin starts a sleep of d and returns its deadline; done must follow.
func (a *alarm) begin(d time.Duration) (deadline int64) {
	// Goroutine stacks lie apart: the address of a local spreads
	// sleepers over the shards.
	var anchor byte
	shard := int(uintptr(unsafe.Pointer(&anchor))>>12) % alarmShards
	t := now()
	deadline = t + int64(d)
	a.register(shard, deadline, t)
	return deadline
}

func sleep(d time.Duration) {
	a := theAlarm()
	if a == nil {
		time.Sleep(d)
		return
	}
	deadline := a.begin(d)
	time.Sleep(time.Duration(deadline - now()))
	a.done(deadline)
}
