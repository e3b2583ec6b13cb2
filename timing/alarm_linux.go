//go:build linux

package timing

import (
	"context"
	"math"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// The alarm.
//
// A sleeper sleeps on an ordinary runtime timer (time.Sleep), which the
// scheduler fires precisely whenever it is running anyway. The alarm only
// makes sure that an idle scheduler, blocked in epoll_wait with a timeout
// rounded to milliseconds, is woken on time: a timerfd, registered with the
// runtime's poller through an os.File and never read, armed near the
// earliest pending deadline. Its expiry makes epoll_wait return; the
// scheduler then finds the sleeper's runtime timer due and runs it. No
// goroutine waits on the timerfd and no thread is pinned.
//
// Keeping the alarm armed without a goroutine of its own:
//
//   - Every sleeper pushes (deadline, slack) onto a min-heap of pending
//     deadlines. If the alarm is not armed early enough for the heap's top,
//     or has already fired, the sleeper arms it.
//   - The alarm has an owner: the sleeper whose deadline it was armed for,
//     the top of the heap at the time. When the owner wakes (or gives up,
//     see SleepContext), it pops the deadlines that have passed and arms the
//     alarm for the new top, which becomes the owner. The chain of owners
//     keeps the alarm armed as long as anyone sleeps, with no goroutine to
//     wake in between.
//   - Rate limit: the next alarm is set no sooner than slack after the
//     current time, slack = deadline distance / 32 (between 4 µs and 1 ms).
//     With thousands of sleepers whose deadlines are microseconds apart,
//     one expiry wakes a batch of them, at most 3% late, instead of one
//     expiry per sleeper. A lone sleeper's alarm is exact.
//   - The heap lock is never held across a system call: arming
//     (timerfd_settime, costly on a virtual machine) happens under a second
//     lock, which sleepers take only when they must re-arm.
//
// The alarm expires margin after the deadline, so that the runtime timer
// (set a few nanoseconds after the deadline) is due when the scheduler
// wakes: an early wake-up would send it back to sleep for a millisecond.
type alarm struct {
	mu      sync.Mutex // guards pending
	pending deadlineHeap

	armMu sync.Mutex   // serialises arming; guards the timerfd
	armed atomic.Int64 // expiry of the armed alarm; math.MaxInt64: none
	owner atomic.Int64 // deadline of the sleeper that re-arms next; 0: none

	fd         int
	file       *os.File // keeps fd open and registered with the poller
	monoOffset int64    // CLOCK_MONOTONIC at base, in ns
}

const (
	margin   = 4 * time.Microsecond
	slackDiv = 32
	maxSlack = time.Millisecond
)

var base = time.Now()

// now is the monotonic time since base, in ns.
func now() int64 { return int64(time.Since(base)) }

func slackFor(d int64) int64 { return min(max(d/slackDiv, int64(margin)), int64(maxSlack)) }

var theAlarm = sync.OnceValue(newAlarm)

func newAlarm() *alarm {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return nil
	}
	// A non-blocking descriptor is registered with the runtime poller.
	a := &alarm{fd: fd, file: os.NewFile(uintptr(fd), "lockbench-timing-alarm")}
	a.armed.Store(math.MaxInt64)
	// Map now() to CLOCK_MONOTONIC: the sample with the tightest bracket.
	best := int64(math.MaxInt64)
	for range 5 {
		var ts unix.Timespec
		before := now()
		if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
			a.file.Close()
			return nil
		}
		after := now()
		if after-before < best {
			best = after - before
			a.monoOffset = ts.Nano() - (before+after)/2
		}
	}
	if err := a.settime(0); err != nil { // fails where timerfd is a stub
		a.file.Close()
		return nil
	}
	return a
}

func precise() bool { return theAlarm() != nil }

// settime arms the timerfd to expire at at (now() time); 0 disarms it.
func (a *alarm) settime(at int64) error {
	var spec unix.ItimerSpec
	if at != 0 {
		spec.Value = unix.NsecToTimespec(at + a.monoOffset)
	}
	return unix.TimerfdSettime(a.fd, unix.TFD_TIMER_ABSTIME, &spec, nil)
}

// wanted pops the deadlines that have passed and returns when the alarm
// should expire for the rest, and the owner of that alarm; ok is false when
// nobody is waiting. The caller holds mu.
func (a *alarm) wanted(t int64) (at, owner int64, ok bool) {
	for len(a.pending) > 0 && a.pending[0].deadline <= t {
		a.pending.pop()
	}
	if len(a.pending) == 0 {
		return 0, 0, false
	}
	top := a.pending[0]
	return max(top.deadline+int64(margin), t+top.slack), top.deadline, true
}

// setAlarm arms the alarm for at with its owner; the caller holds armMu.
func (a *alarm) setAlarm(at, owner int64) {
	if a.settime(at) != nil {
		// Cannot happen with a valid descriptor and time; if it did,
		// sleepers would merely fall back to time.Sleep's precision.
		return
	}
	a.armed.Store(at)
	a.owner.Store(owner)
}

// register adds a sleeper with deadline and arms the alarm if needed.
func (a *alarm) register(deadline, t int64) {
	a.mu.Lock()
	a.pending.push(deadlineEntry{deadline: deadline, slack: slackFor(deadline - t)})
	at, owner, _ := a.wanted(t)
	a.mu.Unlock()
	if armed := a.armed.Load(); armed > t && armed <= at {
		return // armed early enough, and not fired yet
	}
	a.armMu.Lock()
	if armed := a.armed.Load(); armed <= t || at < armed {
		a.setAlarm(at, owner)
	}
	a.armMu.Unlock()
}

// done is called by every sleeper when it stops sleeping; the owner
// re-arms the alarm for the next.
func (a *alarm) done(deadline int64) {
	if a.owner.Load() != deadline {
		return
	}
	a.handOver(deadline)
}

func (a *alarm) handOver(deadline int64) {
	a.mu.Lock()
	at, owner, ok := a.wanted(now())
	a.mu.Unlock()
	a.armMu.Lock()
	defer a.armMu.Unlock()
	if a.owner.Load() != deadline {
		return // a newcomer armed an earlier alarm and owns it
	}
	if !ok {
		a.armed.Store(math.MaxInt64)
		a.owner.Store(0)
		return
	}
	a.setAlarm(at, owner)
}

// cancel removes a sleeper that gives up before its deadline, so that it
// does not stay in the heap as an owner that never wakes.
func (a *alarm) cancel(deadline int64) {
	a.mu.Lock()
	a.pending.remove(deadline)
	a.mu.Unlock()
	a.done(deadline)
}

func sleep(d time.Duration) {
	a := theAlarm()
	if a == nil {
		time.Sleep(d)
		return
	}
	t := now()
	deadline := t + int64(d)
	a.register(deadline, t)
	time.Sleep(time.Duration(deadline - now()))
	a.done(deadline)
}

var timerPool sync.Pool // of *time.Timer, stopped or fired

func sleepContext(ctx context.Context, d time.Duration) error {
	a := theAlarm()
	t := now()
	deadline := t + int64(d)
	if a != nil {
		a.register(deadline, t)
	}
	timer, _ := timerPool.Get().(*time.Timer)
	if timer == nil {
		timer = time.NewTimer(time.Duration(deadline - now()))
	} else {
		timer.Reset(time.Duration(deadline - now()))
	}
	defer timerPool.Put(timer)
	select {
	case <-timer.C:
		if a != nil {
			a.done(deadline)
		}
		return nil
	case <-ctx.Done():
		timer.Stop()
		if a != nil {
			a.cancel(deadline)
		}
		return ctx.Err()
	}
}
