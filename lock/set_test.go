package lock_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"lockbench/lock"
)

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
		lock.BeginIO(ctx).End()
		m.Unlock(ctx)
		rw.RLock(untracedCtx)
		rw.RUnlock(untracedCtx)
	}
	rw.RLock(untracedCtx) // straddles the reset
	s.Reset()
	for name, got := range s.Snapshot() {
		// The straddling reader counts from the reset on.
		got.HoldTotalNs = 0
		if !figuresZero(got) {
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
		lock.BeginIO(ctx).End()
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
				lock.BeginIO(ctx).End()
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
		if !figuresZero(got) {
			t.Errorf("%s after Reset at quiescence = %+v, want zeros", name, got)
		}
	}
}

// TestResetWhileRunning: Reset, Snapshot and Held alongside running
// operations, for the race detector; at quiescence a Reset leaves zeros.
func TestResetWhileRunning(t *testing.T) {
	s := lock.NewSet(true)
	m, rw := s.Mutex("m"), s.RWMutex("rw")
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			ctx := context.Background()
			if w%2 == 0 {
				ctx, _ = traced()
			}
			for {
				select {
				case <-stop:
					return
				default:
				}
				m.Lock(ctx)
				lock.BeginIO(ctx).End()
				m.Unlock(ctx)
				rw.RLock(ctx)
				rw.RUnlock(ctx)
			}
		})
	}
	for range 50 {
		s.Reset()
		for name, got := range s.Snapshot() {
			if got.Acquisitions < 0 || got.HoldTotalNs < 0 || got.HeldIONs < 0 {
				t.Errorf("%s: negative figure after a Reset while running: %+v", name, got)
			}
		}
		_ = s.Held()
	}
	close(stop)
	wg.Wait()
	s.Reset()
	for name, got := range s.Snapshot() {
		if !figuresZero(got) {
			t.Errorf("%s after Reset at quiescence = %+v, want zeros", name, got)
		}
	}
}

// figuresZero reports whether every figure of s is zero; how many locks a
// name has, and whether they are stripes, are not figures.
func figuresZero(s lock.Snapshot) bool {
	s.Locks, s.Striped = 0, false
	return s == (lock.Snapshot{})
}

// TestNoStripes: a family of no stripes is empty, not a panic.
func TestNoStripes(t *testing.T) {
	set := lock.NewSet(true)
	if got := set.Stripes("k.keys", 0); len(got) != 0 {
		t.Errorf("Stripes(0) returned %d locks", len(got))
	}
	if _, ok := set.Snapshot()["k.keys"]; ok {
		t.Error("a family of no stripes is in the snapshot")
	}
}
