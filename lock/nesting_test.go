package lock_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"lockbench/lock"
)

// A lock held inside another's hold cannot have been held longer: these
// tests time one lock by another, which needs no clock in the test.

// TestNestedHold: for every way to take a lock, traced or not, its hold is
// positive and at most that of a writer lock held around it.
func TestNestedHold(t *testing.T) {
	for _, op := range ops {
		for _, withTrace := range []bool{false, true} {
			name := op.name + "/untraced"
			if withTrace {
				name = op.name + "/traced"
			}
			t.Run(name, func(t *testing.T) {
				s := lock.NewSet(true)
				lk, unlk := op.make(s)
				outer := s.Mutex("outer")
				ctx := context.Background()
				if withTrace {
					ctx, _ = traced()
				}
				outer.Lock(ctx)
				lk(ctx)
				doSomeIO()
				unlk(ctx)
				outer.Unlock(ctx)
				snap := s.Snapshot()
				checkNested(t, snap["l"], snap["outer"])
			})
		}
	}
}

func checkNested(t *testing.T, inner, outer lock.Snapshot) {
	t.Helper()
	checkInvariants(t, "inner", inner)
	if inner.Acquisitions != 1 || inner.HoldTotalNs <= 0 || inner.HoldTotalNs > outer.HoldTotalNs {
		t.Errorf("inner: %d acquisitions holding %d ns in all; want 1 holding (0, %d], the hold of the lock around it",
			inner.Acquisitions, inner.HoldTotalNs, outer.HoldTotalNs)
	}
}

// TestUntracedReaderDuringSnapshot: a reader without a trace still holding
// at a snapshot counts up to the snapshot, and in full once released.
func TestUntracedReaderDuringSnapshot(t *testing.T) {
	s := lock.NewSet(true)
	rw, outer := s.RWMutex("l"), s.Mutex("outer")
	ctx := context.Background()
	outer.Lock(ctx)
	rw.RLock(ctx)
	doSomeIO()
	during := s.Snapshot()["l"]
	doSomeIO()
	rw.RUnlock(ctx)
	outer.Unlock(ctx)
	after := s.Snapshot()
	if h := during.HoldTotalNs; h <= 0 || h > after["l"].HoldTotalNs || during.Acquisitions != 0 {
		t.Errorf("while held: hold %d ns, %d acquisitions; want (0, %d] (the hold once released) and 0",
			h, during.Acquisitions, after["l"].HoldTotalNs)
	}
	checkNested(t, after["l"], after["outer"])
}

// TestUntracedReaderStraddlingReset: a reader without a trace that holds
// across a Reset counts from the reset on, like the writer around it.
func TestUntracedReaderStraddlingReset(t *testing.T) {
	s := lock.NewSet(true)
	rw, outer := s.RWMutex("l"), s.Mutex("outer")
	ctx := context.Background()
	rw.RLock(ctx)
	rw.RUnlock(ctx) // before the reset: forgotten
	outer.Lock(ctx)
	rw.RLock(ctx)
	doSomeIO()
	s.Reset()
	doSomeIO()
	rw.RUnlock(ctx)
	outer.Unlock(ctx)
	snap := s.Snapshot()
	checkNested(t, snap["l"], snap["outer"])
}

// TestReaderReleasedWithoutItsTrace: a reader taken with a trace and
// released without it is counted but not timed, and leaves the figures of
// the untraced readers after it intact.
func TestReaderReleasedWithoutItsTrace(t *testing.T) {
	s := lock.NewSet(true)
	rw, outer := s.RWMutex("l"), s.Mutex("outer")
	ctx, _ := traced()
	bg := context.Background()
	rw.RLock(ctx)
	rw.RUnlock(bg)
	if got := s.Snapshot()["l"]; got.Acquisitions != 1 || got.HoldTotalNs != 0 {
		t.Errorf("after the mismatch: %d acquisitions holding %d ns; want 1 holding 0", got.Acquisitions, got.HoldTotalNs)
	}
	s.Reset()
	outer.Lock(bg)
	rw.RLock(bg)
	doSomeIO()
	if h := s.Snapshot()["l"].HoldTotalNs; h <= 0 {
		t.Errorf("an untraced reader holding at the snapshot counts %d ns, want > 0", h)
	}
	rw.RUnlock(bg)
	outer.Unlock(bg)
	snap := s.Snapshot()
	checkNested(t, snap["l"], snap["outer"])
}

// TestReleasedOutOfOrder: locks need not be released in the reverse order
// of acquisition; each is timed, and the trace ends holding none.
func TestReleasedOutOfOrder(t *testing.T) {
	s := lock.NewSet(true)
	a, b, c := s.Mutex("a"), s.RWMutex("b"), s.Mutex("c")
	ctx, tr := traced()
	a.Lock(ctx)
	b.RLock(ctx)
	c.Lock(ctx)
	a.Unlock(ctx)
	b.RUnlock(ctx)
	c.Unlock(ctx)
	if tr.Holding() != 0 {
		t.Errorf("trace holds %d locks after releasing all", tr.Holding())
	}
	for name, got := range s.Snapshot() {
		checkInvariants(t, name, got)
		if got.Acquisitions != 1 || got.HoldTotalNs <= 0 {
			t.Errorf("%s: %d acquisitions holding %d ns; want 1 holding > 0", name, got.Acquisitions, got.HoldTotalNs)
		}
	}
}

// TestBusiestByOwnDemand: the busiest stripe is the one with the most hold
// of its own, not counting waits for other locks. One stripe is held longer,
// but mostly waiting for a lock that the other goroutine holds throughout
// its hold of the other stripe; either stripe may be the waiting one.
func TestBusiestByOwnDemand(t *testing.T) {
	for waiting := range 2 {
		t.Run(fmt.Sprintf("stripe %d waits", waiting), func(t *testing.T) {
			s := lock.NewSet(true)
			stripes := s.Stripes("keys", 2)
			other := s.Mutex("other")
			holder, _ := traced()
			other.Lock(holder)
			blocked := make(chan struct{})
			defer lock.SetBeforeWait(func() { close(blocked) })()
			done := make(chan struct{})
			go func() {
				defer close(done)
				ctx, _ := traced()
				stripes[waiting].Lock(ctx)
				other.Lock(ctx) // waits for the holder
				other.Unlock(ctx)
				stripes[waiting].Unlock(ctx)
			}()
			<-blocked
			busy := stripes[1-waiting]
			busy.Lock(holder)
			time.Sleep(time.Millisecond) // the busy stripe's own demand
			busy.Unlock(holder)
			other.Unlock(holder)
			<-done

			keys := s.Snapshot()["keys"]
			busiest, all := keys.Busiest, keys.Writers
			rest := lock.Writers{HoldNs: all.HoldNs - busiest.HoldNs, HeldWaitNs: all.HeldWaitNs - busiest.HeldWaitNs}
			if all.HeldWaitNs <= 0 || busiest.HoldNs <= 0 || rest.HoldNs <= 0 {
				t.Fatalf("busiest %+v of %+v: want both stripes held, one waiting", busiest, all)
			}
			if own, restOwn := busiest.HoldNs-busiest.HeldWaitNs, rest.HoldNs-rest.HeldWaitNs; own < restOwn {
				t.Errorf("busiest stripe's own hold %d ns < the other's %d ns (held %d, waiting %d)",
					own, restOwn, rest.HoldNs, rest.HeldWaitNs)
			}
		})
	}
}

// TestGOMAXPROCSGrows: a Set made with few Ps keeps working, and counting,
// when more Ps run its locks later.
func TestGOMAXPROCSGrows(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	s := lock.NewSet(true)
	m, rw := s.Mutex("m"), s.RWMutex("rw")
	runtime.GOMAXPROCS(8)
	const workers, iterations = 8, 200
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			ctx, _ := traced()
			for range iterations {
				m.Lock(ctx)
				m.Unlock(ctx)
				rw.RLock(ctx)
				rw.RUnlock(ctx)
				runtime.Gosched()
			}
		})
	}
	wg.Wait()
	for name, got := range s.Snapshot() {
		if got.Acquisitions != workers*iterations {
			t.Errorf("%s: %d acquisitions, want %d", name, got.Acquisitions, workers*iterations)
		}
	}
}
