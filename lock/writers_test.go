package lock_test

import (
	"context"
	"sync"
	"testing"

	"lockbench/lock"
)

// TestStripesBusiest: one stripe held across I/O stands out as the busiest,
// with all of the family's held_io, and the family is marked striped.
func TestStripesBusiest(t *testing.T) {
	s := lock.NewSet(true)
	stripes := s.Stripes("keys", 4)
	plain := s.Mutex("map")
	ctx, _ := traced()
	for i, m := range stripes {
		m.Lock(ctx)
		if i == 2 {
			io := lock.BeginIO(ctx)
			for range 20 {
				doSomeIO()
			}
			io.End()
		}
		m.Unlock(ctx)
	}
	plain.Lock(ctx)
	plain.Unlock(ctx)

	snap := s.Snapshot()
	keys := snap["keys"]
	if !keys.Striped || keys.Locks != 4 {
		t.Errorf("keys: Striped=%v Locks=%d, want true 4", keys.Striped, keys.Locks)
	}
	if m := snap["map"]; m.Striped || m.Locks != 1 {
		t.Errorf("map: Striped=%v Locks=%d, want false 1", m.Striped, m.Locks)
	}
	b, w := keys.Busiest, keys.Writers
	if b.HeldIONs <= 0 || b.HeldIONs != w.HeldIONs {
		t.Errorf("busiest held_io = %d, family %d: want the stripe that did I/O, with all of it", b.HeldIONs, w.HeldIONs)
	}
	if b.HoldNs < b.HeldIONs || w.HoldNs < b.HoldNs || w.HoldNs != keys.HoldTotalNs {
		t.Errorf("want held_io <= busiest hold <= writers' hold = hold total, got %d, %d, %d, %d",
			b.HeldIONs, b.HoldNs, w.HoldNs, keys.HoldTotalNs)
	}
	s.Reset()
	if got := s.Snapshot()["keys"]; got.Writers != (lock.Writers{}) || got.Busiest != (lock.Writers{}) {
		t.Errorf("after Reset: %+v, want zero writer figures", got)
	}
}

// TestHeldWait: a writer that waits for another lock while holding its own
// charges the wait to its own lock's HeldWaitNs; readers are not writers.
func TestHeldWait(t *testing.T) {
	s := lock.NewSet(true)
	outer, reader, inner := s.Mutex("outer"), s.RWMutex("reader"), s.Mutex("inner")
	holder, _ := traced()
	inner.Lock(holder)

	blocked := make(chan struct{})
	restore := lock.SetBeforeWait(func() { close(blocked) })
	defer restore()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		ctx, _ := traced()
		outer.Lock(ctx)
		reader.RLock(ctx)
		inner.Lock(ctx) // waits for the holder
		inner.Unlock(ctx)
		reader.RUnlock(ctx)
		outer.Unlock(ctx)
	}()
	<-blocked
	doSomeIO()
	inner.Unlock(holder)
	wg.Wait()

	snap := s.Snapshot()
	o := snap["outer"].Writers
	if o.HeldWaitNs <= 0 || o.HeldWaitNs > o.HoldNs {
		t.Errorf("outer: held wait %d, hold %d: want 0 < wait <= hold", o.HeldWaitNs, o.HoldNs)
	}
	if o.HeldWaitNs != snap["inner"].WaitTotalNs {
		t.Errorf("outer held wait %d != inner's wait total %d", o.HeldWaitNs, snap["inner"].WaitTotalNs)
	}
	if r := snap["reader"].Writers; r != (lock.Writers{}) {
		t.Errorf("reader: writer figures %+v, want zero", r)
	}
	if w := snap["inner"].Writers; w.HeldWaitNs != 0 {
		t.Errorf("inner: held wait %d, want 0 (it waited for itself)", w.HeldWaitNs)
	}
}

// TestHoldStraddlingReset: a hold that began before a Reset counts from the
// reset on, so a lock's busy time after a reset never exceeds the time
// since. A, held long before the reset, and B, taken just before it, are
// released one after the other: both count from the reset, so A's hold
// exceeds B's by a short gap, not by the long stretch A was held before.
func TestHoldStraddlingReset(t *testing.T) {
	s := lock.NewSet(true)
	a, b := s.Mutex("a"), s.Mutex("b")
	ctx, tr := traced()
	a.Lock(ctx)
	io := lock.BeginIO(ctx)
	for range 200 {
		doSomeIO()
	}
	io.End()
	before := tr.IONs // how long A was held before B, at least
	b.Lock(ctx)
	s.Reset()
	b.Unlock(ctx)
	a.Unlock(ctx)
	snap := s.Snapshot()
	ha, hb := snap["a"].Writers.HoldNs, snap["b"].Writers.HoldNs
	if ha-hb >= before {
		t.Errorf("hold of a = %d ns, of b = %d ns: a counts the %d ns it was held before the reset", ha, hb, before)
	}
	if snap["a"].HeldIONs != 0 {
		t.Errorf("held_io of a = %d, want 0: its I/O ended before the reset", snap["a"].HeldIONs)
	}
}

// TestUnlockUsesTheLockersTrace: a writer's release is charged to the
// trace it locked with, even when Unlock gets another context: the lock
// keeps its holder, so the release needs no context lookup, and the trace
// is left holding nothing.
func TestUnlockUsesTheLockersTrace(t *testing.T) {
	for _, op := range ops {
		if op.reader {
			continue
		}
		t.Run(op.name, func(t *testing.T) {
			s := lock.NewSet(true)
			lk, unlk := op.make(s)
			ctx, tr := traced()
			lk(ctx)
			io := lock.BeginIO(ctx)
			doSomeIO()
			io.End()
			unlk(context.Background())
			if n := tr.Holding(); n != 0 {
				t.Errorf("trace holds %d locks after the release, want 0", n)
			}
			got := s.Snapshot()["l"]
			checkInvariants(t, op.name, got)
			if got.Acquisitions != 1 || got.HeldIONs <= 0 || got.Writers.HeldIONs != got.HeldIONs {
				t.Errorf("acquisitions %d, held_io %d, writer held_io %d: want 1 and the trace's I/O, charged to the writer", got.Acquisitions, got.HeldIONs, got.Writers.HeldIONs)
			}
		})
	}
}
