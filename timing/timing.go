// Package timing sleeps accurately and cheaply, for the sim store's
// injected latency and the runner's open-loop pacer.
//
// Go's time.Sleep is cheap but coarse when the process is idle: the
// scheduler waits for its next timer in epoll_wait, whose timeout is in
// whole milliseconds, so a 200 µs sleep takes about 1.1 ms and a 2 ms one
// about 2.2 ms. Busy-waiting is accurate but burns the CPU the system under
// test needs, and a blocking nanosleep per sleeper pins one OS thread each.
//
// Sleep keeps time.Sleep's cheap runtime timer for the wake-up itself and
// fixes only the idle case: on Linux it keeps a timerfd — registered with
// the runtime's network poller and never read — armed near the earliest
// pending deadline. When it expires, epoll_wait returns at once (timerfd
// expiry has nanosecond resolution and no timer slack), and the scheduler
// runs the runtime timers that are due. See alarm_linux.go for how the
// alarm is kept armed without a lock hot spot. Elsewhere, and if the
// timerfd cannot be created, Sleep is time.Sleep.
package timing

import (
	"context"
	"time"
)

// Sleep pauses the current goroutine for at least d; it returns at once
// for d <= 0.
func Sleep(d time.Duration) {
	if d <= 0 {
		return
	}
	sleep(d)
}

// SleepUntil pauses the current goroutine until t (on the monotonic clock
// when t has a monotonic reading, as time.Now's results do).
func SleepUntil(t time.Time) { Sleep(time.Until(t)) }

// SleepContext pauses for at least d, or until ctx is done, whichever
// comes first; in the second case it returns ctx.Err(). It notices that ctx
// is done within CancelLatency: it sleeps in steps of at most that long and
// checks ctx between them, rather than selecting on ctx.Done(). A select
// costs a lock on the context's channel, and a thousand sleepers sharing
// one context (a benchmark's workers) would all queue on it; checking
// ctx.Err() is an atomic load.
func SleepContext(ctx context.Context, d time.Duration) error {
	if ctx.Done() == nil {
		Sleep(d)
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= CancelLatency {
		Sleep(d)
		return ctx.Err()
	}
	deadline := time.Now().Add(d)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return nil
		}
		Sleep(min(left, CancelLatency))
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// Delay pauses for d, or until ctx is done, whichever comes first; in the
// second case it returns ctx.Err() (within CancelLatency). Unlike Sleep,
// which lasts at least d and so ends late by the wake-up latency (tens of
// microseconds), Delay aims at d on the median: it wakes earlier by the
// median lateness that recent sleeps like it have shown (see lateness.go),
// so about half its delays end a little before d and half a little after,
// and its realised median is d to within a few microseconds. It is for
// injected latency, where the service time's distribution matters, not a
// lower bound; a pacer that must never start early uses SleepUntil.
func Delay(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	if ctx.Done() == nil {
		delay(d)
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= CancelLatency {
		delay(d)
		return ctx.Err()
	}
	deadline := now() + int64(d)
	for {
		// Plain steps until the last, which is compensated.
		left := time.Duration(deadline - now())
		if left <= CancelLatency {
			delay(left)
			return ctx.Err()
		}
		Sleep(CancelLatency)
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// plainLateness is the lateness estimate of delayPlain, by delay only.
var plainLateness latenessTable

// delayPlain is delay on plain time.Sleep (no alarm).
func delayPlain(d time.Duration) {
	aim := d - time.Duration(plainLateness.estimate(int64(d), 0))
	start := now()
	time.Sleep(aim)
	plainLateness.observe(int64(d), 0, now()-start-int64(aim))
}

var base = time.Now()

// now is the monotonic time since base, in ns; deadlines are in its units.
func now() int64 { return int64(time.Since(base)) }

// CancelLatency bounds how late SleepContext returns after its context is
// done.
const CancelLatency = 10 * time.Millisecond

// Precise reports whether Sleep uses the precise mechanism (Linux with a
// working timerfd) rather than plain time.Sleep.
func Precise() bool { return precise() }
