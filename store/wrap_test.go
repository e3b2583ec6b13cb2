package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"lockbench/lock"
	"lockbench/store"
)

// TestEveryStoreReportsFigures: the wrapper measures calls, failures,
// in-flight peak and realised latency whatever the backend, so a file or
// bolt store has store figures like the sim store (they used to read 0).
func TestEveryStoreReportsFigures(t *testing.T) {
	for _, spec := range []string{"memory", "sim:latency=10us", "file:fsync=false", "bolt"} {
		t.Run(spec, func(t *testing.T) {
			w := store.Instrument(mustOpen(t, spec), store.Hooks{})
			defer w.Close()
			for range 10 {
				if err := w.Put(bg, "k", []byte("v")); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := w.Get(bg, "absent"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("Get(absent) = %v", err)
			}
			st := w.Stats()
			if st.Ops != 11 || st.Errors != 0 || st.InflightMax != 1 || st.LatencyP50Ns <= 0 ||
				st.LatencyP99Ns < st.LatencyP50Ns || st.LatencyMeanNs <= 0 {
				t.Fatalf("Stats = %+v; want 11 calls, no error (not-found is an answer), peak 1, latencies > 0", st)
			}
		})
	}
}

// failing fails every Put.
type failing struct{ store.Store }

var errBroken = errors.New("broken disk")

func (failing) Put(context.Context, string, []byte) error { return errBroken }

func TestInstrumentCountsErrors(t *testing.T) {
	w := store.Instrument(failing{store.NewMemory()}, store.Hooks{})
	for range 3 {
		if err := w.Put(bg, "k", nil); !errors.Is(err, errBroken) {
			t.Fatalf("Put = %v, want the wrapped store's error", err)
		}
	}
	w.Get(bg, "k") // not found: not an error of the store
	if st := w.Stats(); st.Ops != 4 || st.Errors != 3 {
		t.Fatalf("Ops %d, Errors %d; want 4, 3", st.Ops, st.Errors)
	}
}

// TestInstrumentInflightPeak holds two calls inside the store at once.
func TestInstrumentInflightPeak(t *testing.T) {
	inside := make(chan struct{})
	release := make(chan struct{})
	gate := &gated{Store: store.NewMemory(), inside: inside, release: release}
	w := store.Instrument(gate, store.Hooks{})
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { w.Get(bg, "k") })
	}
	<-inside
	<-inside
	close(release)
	wg.Wait()
	w.Get(bg, "k")
	if st := w.Stats(); st.InflightMax != 2 || st.Ops != 3 {
		t.Fatalf("InflightMax %d, Ops %d; want 2, 3", st.InflightMax, st.Ops)
	}
	w.ResetStats()
	if st := w.Stats(); st.InflightMax != 0 {
		t.Fatalf("InflightMax after reset with nothing in flight = %d", st.InflightMax)
	}
}

type gated struct {
	store.Store
	inside, release chan struct{}
}

func (g *gated) Get(ctx context.Context, key string) ([]byte, error) {
	select {
	case <-g.release:
	default:
		g.inside <- struct{}{}
		<-g.release
	}
	return g.Store.Get(ctx, key)
}

// TestInstrumentHooksAndHeldIO: hooks run around the call, in order, and
// a lock held across the call is charged held_io.
func TestInstrumentHooksAndHeldIO(t *testing.T) {
	var order []string
	w := store.Instrument(store.NewMemory(), store.Hooks{
		Before: func(_ context.Context, op, key string) { order = append(order, "before "+op+" "+key) },
		After:  func(_ context.Context, op, key string) { order = append(order, "after "+op+" "+key) },
	})
	locks := lock.NewSet(true)
	mu := locks.Mutex("t.mu")
	tr := &lock.Trace{}
	ctx := lock.WithTrace(bg, tr)
	mu.Lock(ctx)
	w.Put(ctx, "k", nil)
	mu.Unlock(ctx)
	w.List(bg, "p")
	if got := len(order); got != 4 || order[0] != "before put k" || order[1] != "after put k" || order[3] != "after list p" {
		t.Fatalf("hooks ran %q", order)
	}
	if tr.IOCalls != 1 {
		t.Fatalf("trace counted %d I/O calls, want 1", tr.IOCalls)
	}
	if snap := locks.Snapshot()["t.mu"]; snap.HeldIONs <= 0 || snap.HeldIONs > snap.HoldTotalNs {
		t.Fatalf("held_io %d with hold %d: want 0 < held_io <= hold", snap.HeldIONs, snap.HoldTotalNs)
	}
}

// working is a store whose Get does some work of its own, timed by an
// instrumented lock held throughout it.
type working struct {
	store.Store
	work  map[string]int // round trips to another goroutine, by key
	locks *lock.Set
}

func (s working) Get(ctx context.Context, key string) ([]byte, error) {
	inner := s.locks.Mutex("inner " + key)
	inner.Lock(ctx)
	for range s.work[key] {
		ch := make(chan int)
		go func() { ch <- 1 }()
		<-ch
	}
	inner.Unlock(ctx)
	return s.Store.Get(ctx, key)
}

// TestInstrumentLatencyFigures pins the realised latency figures without a
// clock in the test: each call's latency lies between the hold of a lock
// taken inside the store and the held_io of a lock the caller holds around
// the call. A short call and a long one: p50 is the short one, p99 the
// long one, the mean their average and the standard deviation half their
// difference (buckets' midpoints are within 0.39% of the values).
func TestInstrumentLatencyFigures(t *testing.T) {
	locks := lock.NewSet(true)
	w := store.Instrument(working{Store: store.NewMemory(), work: map[string]int{"short": 0, "long": 200}, locks: locks}, store.Hooks{})
	ctx := lock.WithTrace(bg, &lock.Trace{})
	for _, key := range []string{"long", "short"} {
		outer := locks.Mutex("outer " + key)
		outer.Lock(ctx)
		w.Get(ctx, key)
		outer.Unlock(ctx)
	}
	snap := locks.Snapshot()
	type bounds struct{ lo, hi float64 }
	call := func(key string) bounds {
		return bounds{float64(snap["inner "+key].HoldTotalNs), float64(snap["outer "+key].HeldIONs)}
	}
	short, long := call("short"), call("long")
	if short.hi >= long.lo {
		t.Fatalf("the short call (at most %v ns) is not shorter than the long one (at least %v ns)", short.hi, long.lo)
	}
	st := w.Stats()
	const e = 0.005 // bucket midpoints, and the clock's rate read at two moments
	for _, c := range []struct {
		name string
		got  int64
		want bounds
	}{
		{"p50", st.LatencyP50Ns, short},
		{"p99", st.LatencyP99Ns, long},
		{"mean", st.LatencyMeanNs, bounds{(short.lo + long.lo) / 2, (short.hi + long.hi) / 2}},
		{"stddev", st.LatencyStddevNs, bounds{(long.lo - short.hi) / 2, (long.hi - short.lo) / 2}},
	} {
		if g := float64(c.got); g < c.want.lo-e*long.hi || g > c.want.hi+e*long.hi {
			t.Errorf("%s = %d ns, want in [%.0f, %.0f]", c.name, c.got, c.want.lo, c.want.hi)
		}
	}
	if st.Ops != 2 {
		t.Errorf("Ops = %d, want 2", st.Ops)
	}
}

// TestInstrumentHooksOutsideLatency: hooks run inside the call's I/O
// bracket (a lock held meanwhile is charged for them) but outside its
// latency. Each hook holds a lock of its own while it works, so the hook
// time, the call's latency and the I/O bracket are pinned without a clock
// in the test: the hooks' holds and the latency are disjoint parts of the
// bracket.
func TestInstrumentHooksOutsideLatency(t *testing.T) {
	locks := lock.NewSet(true)
	hook := func(name string) store.Hook {
		return func(ctx context.Context, _, _ string) {
			mu := locks.Mutex(name)
			mu.Lock(ctx)
			for range 100 {
				ch := make(chan int)
				go func() { ch <- 1 }()
				<-ch
			}
			mu.Unlock(ctx)
		}
	}
	w := store.Instrument(store.NewMemory(), store.Hooks{Before: hook("before"), After: hook("after")})
	tr := &lock.Trace{}
	ctx := lock.WithTrace(bg, tr)
	if err := w.Put(ctx, "k", nil); err != nil {
		t.Fatal(err)
	}
	snap, st := locks.Snapshot(), w.Stats()
	hooks := snap["before"].HoldTotalNs + snap["after"].HoldTotalNs
	if latency := st.LatencyMeanNs; latency <= 0 || latency+hooks > tr.IONs+tr.IONs/200 {
		t.Errorf("latency %d ns + hooks %d ns > I/O %d ns: the latency includes a hook, or the bracket leaves one out", latency, hooks, tr.IONs)
	}
}
