package lock_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"lockbench/lock"
)

// about: figures added up in the lock clock's ticks and converted at
// different moments may differ by a rounding.
func about(a, b int64) bool { return max(a-b, b-a) <= 1+b/1000 }

func traced() (context.Context, *lock.Trace) {
	tr := &lock.Trace{}
	return lock.WithTrace(context.Background(), tr), tr
}

// checkInvariants asserts what must hold of any snapshot.
func checkInvariants(t *testing.T, name string, s lock.Snapshot) {
	t.Helper()
	switch {
	case s.Contended > s.Acquisitions:
		t.Errorf("%s: contended %d > acquisitions %d", name, s.Contended, s.Acquisitions)
	case s.WaitMaxNs > s.WaitTotalNs || s.WaitP99Ns > s.WaitMaxNs:
		t.Errorf("%s: wait p99 %d, max %d, total %d out of order", name, s.WaitP99Ns, s.WaitMaxNs, s.WaitTotalNs)
	case s.HoldMaxNs > s.HoldTotalNs || s.HoldP99Ns > s.HoldMaxNs:
		t.Errorf("%s: hold p99 %d, max %d, total %d out of order", name, s.HoldP99Ns, s.HoldMaxNs, s.HoldTotalNs)
	case s.HeldIONs > s.HoldTotalNs:
		t.Errorf("%s: held_io %d > hold total %d", name, s.HeldIONs, s.HoldTotalNs)
	case s.WaitTotalNs < 0 || s.HoldTotalNs < 0 || s.HeldIONs < 0:
		t.Errorf("%s: negative time in %+v", name, s)
	}
}

// ops are the ways to take and release a lock of the package.
var ops = []struct {
	name   string
	make   func(*lock.Set) (lock, unlock func(context.Context))
	reader bool
}{
	{name: "Mutex", make: func(s *lock.Set) (func(context.Context), func(context.Context)) {
		m := s.Mutex("l")
		return m.Lock, m.Unlock
	}},
	{name: "RWMutex.Lock", make: func(s *lock.Set) (func(context.Context), func(context.Context)) {
		rw := s.RWMutex("l")
		return rw.Lock, rw.Unlock
	}},
	{name: "RWMutex.RLock", reader: true, make: func(s *lock.Set) (func(context.Context), func(context.Context)) {
		rw := s.RWMutex("l")
		return rw.RLock, rw.RUnlock
	}},
}

func TestZeroValueIsPlain(t *testing.T) {
	ctx, tr := traced()
	var m lock.Mutex
	var rw lock.RWMutex
	m.Lock(ctx)
	rw.RLock(ctx)
	rw.RLock(context.Background())
	lock.BeginIO(ctx).End()
	if n := tr.Holding(); n != 0 {
		t.Errorf("trace holds %d locks, want 0: plain locks are not traced", n)
	}
	rw.RUnlock(context.Background())
	rw.RUnlock(ctx)
	m.Unlock(ctx)
	rw.Lock(ctx)
	rw.Unlock(ctx)
	if tr.IOCalls != 1 {
		t.Errorf("IOCalls = %d, want 1: I/O is traced whatever the locks", tr.IOCalls)
	}
}

func TestNilSetMakesPlainLocks(t *testing.T) {
	var s *lock.Set
	m, rw := s.Mutex("m"), s.RWMutex("rw")
	m.Lock(context.Background())
	m.Unlock(context.Background())
	rw.RLock(context.Background())
	rw.RUnlock(context.Background())
	if s.Enabled() || len(s.Names()) != 0 || len(s.Held()) != 0 || len(s.Snapshot()) != 0 {
		t.Errorf("nil set: Enabled %v, Names %v, Held %v, Snapshot %v", s.Enabled(), s.Names(), s.Held(), s.Snapshot())
	}
	s.Reset()
}

func TestDisabledSetRecordsNothing(t *testing.T) {
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			s := lock.NewSet(false)
			lk, unlk := op.make(s)
			ctx, tr := traced()
			lk(ctx)
			lock.BeginIO(ctx).End()
			if got := s.Held(); !slices.Equal(got, []string{"l"}) {
				t.Errorf("Held while held = %v, want [l]: a disabled set still knows its locks", got)
			}
			unlk(ctx)
			if got := s.Snapshot(); !figuresZero(got["l"]) || len(got) != 1 {
				t.Errorf("Snapshot = %+v, want one name with zero figures", got)
			}
			if tr.Holding() != 0 || tr.LockWaitNs != 0 {
				t.Errorf("trace holding %d, lock wait %d; want 0, 0", tr.Holding(), tr.LockWaitNs)
			}
			if len(s.Held()) != 0 {
				t.Errorf("Held after release = %v, want none", s.Held())
			}
		})
	}
}

func TestAcquisitionsCounted(t *testing.T) {
	const n = 100
	for _, op := range ops {
		for _, withTrace := range []bool{false, true} {
			name := op.name + "/untraced"
			if withTrace {
				name = op.name + "/traced"
			}
			t.Run(name, func(t *testing.T) {
				s := lock.NewSet(true)
				lk, unlk := op.make(s)
				ctx, tr := context.Background(), (*lock.Trace)(nil)
				if withTrace {
					ctx, tr = traced()
				}
				for range n {
					lk(ctx)
					unlk(ctx)
				}
				got := s.Snapshot()["l"]
				checkInvariants(t, name, got)
				if got.Acquisitions != n || got.Contended != 0 || got.WaitTotalNs != 0 || got.WaitP99Ns != 0 {
					t.Errorf("got %+v, want %d uncontended acquisitions", got, n)
				}
				if got.HeldIONs != 0 {
					t.Errorf("held_io = %d without I/O", got.HeldIONs)
				}
				// An untraced reader's hold is in the total, not in max or p99.
				if untimed := op.reader && !withTrace; untimed && (got.HoldMaxNs != 0 || got.HoldP99Ns != 0) {
					t.Errorf("untraced readers: hold max %d, p99 %d; want 0, 0", got.HoldMaxNs, got.HoldP99Ns)
				}
				if tr != nil && tr.Holding() != 0 {
					t.Errorf("trace still holds %d locks", tr.Holding())
				}
			})
		}
	}
}

// TestContended makes one acquisition wait for a holder: the waiter's
// first attempt fails, which the before-wait hook reports, and only then is
// the holder released. Wait p99 is over every acquisition, the uncontended
// ones waiting 0: one wait in 99 acquisitions is the p99, one in 202 is not.
func TestContended(t *testing.T) {
	cases := []struct {
		name           string
		holder, waiter func(rw *lock.RWMutex) (lock, unlock func(context.Context))
	}{
		{"writer waits for writer", writer, writer},
		{"writer waits for reader", reader, writer},
		{"reader waits for writer", writer, reader},
	}
	for _, c := range cases {
		for _, uncontended := range []int64{200, 97} {
			name := fmt.Sprintf("%s/%d", c.name, uncontended+2)
			t.Run(name, func(t *testing.T) { contendOnce(t, c.holder, c.waiter, uncontended) })
		}
	}
}

// contendOnce makes one contended acquisition after uncontended ones.
func contendOnce(t *testing.T, holder, waiter func(rw *lock.RWMutex) (lock, unlock func(context.Context)), uncontended int64) {
	blocked := make(chan struct{}, 1)
	defer lock.SetBeforeWait(func() { blocked <- struct{}{} })()

	s := lock.NewSet(true)
	rw := s.RWMutex("l")
	holdLock, holdUnlock := holder(rw)
	waitLock, waitUnlock := waiter(rw)
	for range uncontended {
		holdLock(context.Background())
		holdUnlock(context.Background())
	}
	holdLock(context.Background())
	waiterCtx, waiterTrace := traced()
	done := make(chan struct{})
	go func() {
		defer close(done)
		waitLock(waiterCtx)
		waitUnlock(waiterCtx)
	}()
	<-blocked
	holdUnlock(context.Background())
	<-done

	got := s.Snapshot()["l"]
	checkInvariants(t, "l", got)
	if got.Acquisitions != uncontended+2 || got.Contended != 1 {
		t.Errorf("acquisitions %d, contended %d; want %d, 1", got.Acquisitions, got.Contended, uncontended+2)
	}
	if got.WaitMaxNs != got.WaitTotalNs || !about(waiterTrace.LockWaitNs, got.WaitTotalNs) {
		t.Errorf("wait max %d, total %d, waiter's trace %d: want all equal (one wait)",
			got.WaitMaxNs, got.WaitTotalNs, waiterTrace.LockWaitNs)
	}
	if p99IsWait := got.Acquisitions < 100; p99IsWait != (got.WaitP99Ns > 0) {
		t.Errorf("wait p99 = %d with 1 contended acquisition in %d: want > 0 below 100 acquisitions, else 0",
			got.WaitP99Ns, got.Acquisitions)
	}
}

func writer(rw *lock.RWMutex) (func(context.Context), func(context.Context)) {
	return rw.Lock, rw.Unlock
}

func reader(rw *lock.RWMutex) (func(context.Context), func(context.Context)) {
	return rw.RLock, rw.RUnlock
}
