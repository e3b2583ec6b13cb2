package lock_test

import (
	"context"
	"testing"
	"time"

	"lockbench/lock"
)

func TestHeldIO(t *testing.T) {
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			s := lock.NewSet(true)
			lkHeld, unlkHeld := op.make(s)
			other := s.Mutex("other")
			ctx, tr := traced()

			other.Lock(ctx) // released before the I/O: no held_io
			other.Unlock(ctx)
			lkHeld(ctx)
			outer := lock.BeginIO(ctx)
			nested := lock.BeginIO(ctx) // nested: counted once
			doSomeIO()
			nested.End()
			outer.End()
			unlkHeld(ctx)
			lock.BeginIO(ctx).End() // after release: no held_io
			ioWhileHeld := tr.IONs

			snap := s.Snapshot()
			checkInvariants(t, "l", snap["l"])
			if tr.IOCalls != 2 {
				t.Errorf("IOCalls = %d, want 2 (nested calls count once)", tr.IOCalls)
			}
			if got := snap["l"].HeldIONs; got <= 0 || got > ioWhileHeld+1 {
				t.Errorf("held_io = %d, want in (0, %d]", got, ioWhileHeld)
			}
			if got := snap["other"].HeldIONs; got != 0 {
				t.Errorf("held_io of a lock released before the I/O = %d, want 0", got)
			}
		})
	}
}

// doSomeIO stands for a store call: a round trip to another goroutine, so
// that the clock certainly moves.
func doSomeIO() {
	ch := make(chan int)
	go func() { ch <- 1 }()
	<-ch
}

func TestHeldIOExact(t *testing.T) {
	s := lock.NewSet(true)
	outer, inner := s.Mutex("outer"), s.Mutex("inner")
	ctx, tr := traced()
	outer.Lock(ctx)
	io := lock.BeginIO(ctx)
	doSomeIO()
	inner.Lock(ctx) // taken during the call: charged only from here on
	doSomeIO()
	io.End()
	inner.Unlock(ctx)
	outer.Unlock(ctx)
	snap := s.Snapshot()
	checkInvariants(t, "outer", snap["outer"])
	checkInvariants(t, "inner", snap["inner"])
	if !about(snap["outer"].HeldIONs, tr.IONs) {
		t.Errorf("outer held_io = %d, want the whole call, %d", snap["outer"].HeldIONs, tr.IONs)
	}
	if got := snap["inner"].HeldIONs; got <= 0 || got > tr.IONs+1 {
		t.Errorf("inner held_io = %d, want in (0, %d]", got, tr.IONs)
	}
}

func TestHeldIOSummedOverReaders(t *testing.T) {
	s := lock.NewSet(true)
	rw := s.RWMutex("rw")
	ctx1, tr1 := traced()
	ctx2, tr2 := traced()
	untracedCtx := context.Background()
	rw.RLock(ctx1)
	rw.RLock(ctx2)
	rw.RLock(untracedCtx)
	io := lock.BeginIO(ctx1)
	doSomeIO()
	io.End()
	io = lock.BeginIO(ctx2)
	doSomeIO()
	io.End()
	rw.RUnlock(untracedCtx)
	rw.RUnlock(ctx2)
	rw.RUnlock(ctx1)
	got := s.Snapshot()["rw"]
	checkInvariants(t, "rw", got)
	if !about(got.HeldIONs, tr1.IONs+tr2.IONs) {
		t.Errorf("held_io = %d, want the sum of both readers' I/O, %d", got.HeldIONs, tr1.IONs+tr2.IONs)
	}
	if got.Acquisitions != 3 {
		t.Errorf("acquisitions = %d, want 3", got.Acquisitions)
	}
}

// TestHeldIOCountsFromAcquisition: a lock taken during a store call is
// charged only the part of the call after it was taken. Most of the call
// here comes before the lock, so charging the whole call would make held_io
// exceed the lock's hold; a preemption between the end of the call and the
// release could hide that once, hence a few rounds.
func TestHeldIOCountsFromAcquisition(t *testing.T) {
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			for round := range 3 {
				s := lock.NewSet(true)
				lk, unlk := op.make(s)
				ctx, tr := traced()
				io := lock.BeginIO(ctx)
				time.Sleep(time.Millisecond) // the bulk of the call, before the lock
				lk(ctx)
				doSomeIO()
				io.End()
				unlk(ctx)
				got := s.Snapshot()["l"]
				checkInvariants(t, op.name, got)
				if got.HeldIONs <= 0 || got.HeldIONs > got.HoldTotalNs {
					t.Fatalf("round %d: held_io = %d, want in (0, hold %d] (call %d)", round, got.HeldIONs, got.HoldTotalNs, tr.IONs)
				}
				if w := got.Writers; w.HeldIONs > w.HoldNs || (!op.reader && w.HeldIONs != got.HeldIONs) {
					t.Fatalf("round %d: writer held_io %d, hold %d; family held_io %d", round, w.HeldIONs, w.HoldNs, got.HeldIONs)
				}
			}
		})
	}
}

// TestHeldIOAcrossReset: of a hold that straddles a Reset, only the I/O
// after the reset counts; the I/O before it ended before the figures
// began. The I/O before is much longer, so counting it would make held_io
// exceed the hold since the reset.
func TestHeldIOAcrossReset(t *testing.T) {
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			s := lock.NewSet(true)
			lk, unlk := op.make(s)
			ctx, tr := traced()
			lk(ctx)
			io := lock.BeginIO(ctx)
			for range 200 {
				doSomeIO()
			}
			io.End()
			s.Reset()
			before := tr.IONs
			io = lock.BeginIO(ctx)
			doSomeIO()
			io.End()
			after := tr.IONs - before
			unlk(ctx)
			got := s.Snapshot()["l"]
			checkInvariants(t, op.name, got)
			if got.HeldIONs <= 0 || got.HeldIONs > after+1 {
				t.Errorf("held_io = %d ns, want in (0, %d]: the I/O after the reset only (before it: %d ns)", got.HeldIONs, after, before)
			}
		})
	}
}

// TestIOAt: a bracket opened and closed at times the caller read counts
// exactly the time between them, nested brackets once, and a context
// without a trace counts nothing.
func TestIOAt(t *testing.T) {
	ctx, tr := traced()
	t0 := lock.Ticks()
	outer := lock.BeginIOAt(ctx, t0)
	nested := lock.BeginIOAt(ctx, t0+10)
	nested.EndAt(t0 + 20)
	outer.EndAt(t0 + 1_000_000)
	want := int64(float64(1_000_000) * lock.NsPerTick())
	if tr.IOCalls != 1 || !about(tr.IONs, want) {
		t.Errorf("IOCalls %d, IONs %d; want 1 and %d (1e6 ticks)", tr.IOCalls, tr.IONs, want)
	}
	lock.BeginIOAt(context.Background(), t0).EndAt(t0 + 1000) // no trace: nothing to count, no panic
}

// TestReleaseOutOfOrder: a lock released before one taken after it leaves
// the trace, and I/O after its release is charged only to the lock still
// held.
func TestReleaseOutOfOrder(t *testing.T) {
	s := lock.NewSet(true)
	a, b := s.Mutex("a"), s.RWMutex("b")
	ctx, tr := traced()
	a.Lock(ctx)
	b.RLock(ctx)
	a.Unlock(ctx) // not the last taken
	if n := tr.Holding(); n != 1 {
		t.Fatalf("trace holds %d locks after releasing a, want 1 (b)", n)
	}
	io := lock.BeginIO(ctx)
	doSomeIO()
	io.End()
	b.RUnlock(ctx)
	if n := tr.Holding(); n != 0 {
		t.Errorf("trace holds %d locks after releasing both, want 0", n)
	}
	snap := s.Snapshot()
	if snap["a"].HeldIONs != 0 || snap["b"].HeldIONs <= 0 {
		t.Errorf("held_io: a %d (released before the I/O, want 0), b %d (want > 0)", snap["a"].HeldIONs, snap["b"].HeldIONs)
	}
}
