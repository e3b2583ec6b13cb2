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
			lock.BeginIO(ctx)
			lock.BeginIO(ctx) // nested: counted once
			doSomeIO()
			lock.EndIO(ctx)
			lock.EndIO(ctx)
			unlkHeld(ctx)
			lock.BeginIO(ctx) // after release: no held_io
			lock.EndIO(ctx)
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
	lock.BeginIO(ctx)
	doSomeIO()
	inner.Lock(ctx) // taken during the call: charged only from here on
	doSomeIO()
	lock.EndIO(ctx)
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
	lock.BeginIO(ctx1)
	doSomeIO()
	lock.EndIO(ctx1)
	lock.BeginIO(ctx2)
	doSomeIO()
	lock.EndIO(ctx2)
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
				lock.BeginIO(ctx)
				time.Sleep(time.Millisecond) // the bulk of the call, before the lock
				lk(ctx)
				doSomeIO()
				lock.EndIO(ctx)
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
