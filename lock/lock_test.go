package lock_test

import (
	"context"
	"slices"
	"sync"
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
	lock.BeginIO(ctx)
	lock.EndIO(ctx)
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
			lock.BeginIO(ctx)
			lock.EndIO(ctx)
			if got := s.Held(); !slices.Equal(got, []string{"l"}) {
				t.Errorf("Held while held = %v, want [l]: a disabled set still knows its locks", got)
			}
			unlk(ctx)
			if got := s.Snapshot(); got["l"] != (lock.Snapshot{}) || len(got) != 1 {
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
// the holder released.
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
		t.Run(c.name, func(t *testing.T) {
			blocked := make(chan struct{}, 1)
			defer lock.SetBeforeWait(func() { blocked <- struct{}{} })()

			s := lock.NewSet(true)
			rw := s.RWMutex("l")
			holdLock, holdUnlock := c.holder(rw)
			waitLock, waitUnlock := c.waiter(rw)
			const uncontended = 200
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
			checkInvariants(t, c.name, got)
			if got.Acquisitions != uncontended+2 || got.Contended != 1 {
				t.Errorf("acquisitions %d, contended %d; want %d, 1", got.Acquisitions, got.Contended, uncontended+2)
			}
			if got.WaitMaxNs != got.WaitTotalNs || !about(waiterTrace.LockWaitNs, got.WaitTotalNs) {
				t.Errorf("wait max %d, total %d, waiter's trace %d: want all equal (one wait)",
					got.WaitMaxNs, got.WaitTotalNs, waiterTrace.LockWaitNs)
			}
			if got.WaitP99Ns != 0 {
				t.Errorf("wait p99 = %d, want 0: 1 contended acquisition in %d is above p99",
					got.WaitP99Ns, got.Acquisitions)
			}
		})
	}
}

func writer(rw *lock.RWMutex) (func(context.Context), func(context.Context)) {
	return rw.Lock, rw.Unlock
}

func reader(rw *lock.RWMutex) (func(context.Context), func(context.Context)) {
	return rw.RLock, rw.RUnlock
}

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

func TestHeld(t *testing.T) {
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			s := lock.NewSet(true)
			stripes := make([]func(context.Context), 0, 3)
			var unlocks []func(context.Context)
			for range 3 {
				lk, unlk := op.make(s)
				stripes, unlocks = append(stripes, lk), append(unlocks, unlk)
			}
			s.Mutex("idle")
			ctx := context.Background()
			if got := s.Held(); len(got) != 0 {
				t.Fatalf("Held before = %v, want none", got)
			}
			stripes[1](ctx)
			if got := s.Held(); !slices.Equal(got, []string{"l"}) {
				t.Errorf("Held while one stripe is held = %v, want [l]", got)
			}
			unlocks[1](ctx)
			if got := s.Held(); len(got) != 0 {
				t.Errorf("Held after release = %v, want none", got)
			}
			if got := s.Names(); !slices.Equal(got, []string{"idle", "l"}) {
				t.Errorf("Names = %v, want [idle l]", got)
			}
		})
	}
}

func TestStripesAddUp(t *testing.T) {
	s := lock.NewSet(true)
	ctx, _ := traced()
	for i := range 20 { // more stripes than hold shards
		m := s.Mutex("keys")
		for range i {
			m.Lock(ctx)
			m.Unlock(ctx)
		}
	}
	got := s.Snapshot()["keys"]
	checkInvariants(t, "keys", got)
	if want := int64(20 * 19 / 2); got.Acquisitions != want {
		t.Errorf("acquisitions = %d, want %d", got.Acquisitions, want)
	}
}

func TestReset(t *testing.T) {
	s := lock.NewSet(true)
	m, rw := s.Mutex("m"), s.RWMutex("rw")
	ctx, _ := traced()
	untracedCtx := context.Background()
	for range 10 {
		m.Lock(ctx)
		lock.BeginIO(ctx)
		lock.EndIO(ctx)
		m.Unlock(ctx)
		rw.RLock(untracedCtx)
		rw.RUnlock(untracedCtx)
	}
	rw.RLock(untracedCtx) // straddles the reset
	s.Reset()
	for name, got := range s.Snapshot() {
		// The straddling reader counts from the reset on.
		got.HoldTotalNs = 0
		if got != (lock.Snapshot{}) {
			t.Errorf("%s after Reset = %+v, want zeros", name, got)
		}
	}
	rw.RUnlock(untracedCtx)
	m.Lock(ctx)
	m.Unlock(ctx)
	snap := s.Snapshot()
	for name, got := range snap {
		checkInvariants(t, name, got)
	}
	// Acquisitions count when released: the straddling reader is in.
	if snap["m"].Acquisitions != 1 || snap["rw"].Acquisitions != 1 {
		t.Errorf("acquisitions after Reset: m %d, rw %d; want 1, 1", snap["m"].Acquisitions, snap["rw"].Acquisitions)
	}
}

// TestMismatchedContexts: a reader released with another context than it
// was taken with loses its timing but must not corrupt the figures.
func TestMismatchedContexts(t *testing.T) {
	s := lock.NewSet(true)
	rw := s.RWMutex("rw")
	ctx, tr := traced()
	bg := context.Background()
	rw.RLock(bg)
	rw.RUnlock(ctx) // taken untraced, released traced
	rw.RLock(ctx)
	rw.RUnlock(bg) // taken traced, released untraced
	got := s.Snapshot()["rw"]
	checkInvariants(t, "rw", got)
	if got.Acquisitions != 2 {
		t.Errorf("acquisitions = %d, want 2", got.Acquisitions)
	}
	if tr.Holding() != 1 {
		t.Errorf("trace holding %d, want the 1 stale entry left by the mismatch", tr.Holding())
	}
}

func TestTraceAllocatesNothingInSteadyState(t *testing.T) {
	s := lock.NewSet(true)
	a, b := s.Mutex("a"), s.RWMutex("b")
	ctx, tr := traced()
	allocs := testing.AllocsPerRun(100, func() {
		a.Lock(ctx)
		b.RLock(ctx)
		lock.BeginIO(ctx)
		lock.EndIO(ctx)
		b.RUnlock(ctx)
		a.Unlock(ctx)
		tr.Reset()
	})
	if allocs != 0 {
		t.Errorf("allocs per operation = %v, want 0", allocs)
	}
}

// TestConcurrent hammers one Set from many goroutines, with snapshots and
// resets alongside, for the race detector; then checks the figures add up.
func TestConcurrent(t *testing.T) {
	s := lock.NewSet(true)
	m := s.Mutex("m")
	rw := s.RWMutex("rw")
	keys := []*lock.Mutex{s.Mutex("keys"), s.Mutex("keys"), s.Mutex("keys")}
	const workers, iterations = 8, 500
	var wg sync.WaitGroup
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
				for _, got := range s.Snapshot() {
					_ = got.HoldP99Ns
				}
			}
		}
	}()
	for w := range workers {
		wg.Go(func() {
			ctx := context.Background()
			if w%2 == 0 {
				ctx, _ = traced()
			}
			for i := range iterations {
				k := keys[(w+i)%len(keys)]
				k.Lock(ctx)
				m.Lock(ctx)
				lock.BeginIO(ctx)
				lock.EndIO(ctx)
				m.Unlock(ctx)
				k.Unlock(ctx)
				if i%3 == 0 {
					rw.Lock(ctx)
					rw.Unlock(ctx)
				} else {
					rw.RLock(ctx)
					rw.RUnlock(ctx)
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	if held := s.Held(); len(held) != 0 {
		t.Errorf("Held at quiescence = %v", held)
	}
	snap := s.Snapshot()
	for name, got := range snap {
		checkInvariants(t, name, got)
		if got.Acquisitions != workers*iterations {
			t.Errorf("%s: acquisitions = %d, want %d", name, got.Acquisitions, workers*iterations)
		}
	}
	s.Reset()
	for name, got := range s.Snapshot() {
		if got != (lock.Snapshot{}) {
			t.Errorf("%s after Reset at quiescence = %+v, want zeros", name, got)
		}
	}
}
