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
