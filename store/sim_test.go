package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"lockbench/store"
)

var bg = context.Background()

func newSim(t *testing.T, spec string) *store.Sim {
	t.Helper()
	s, err := store.Open(spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s.(*store.Sim)
}

// failures counts the injected failures of n sequential Gets.
func failures(t *testing.T, s store.Store, n int) (failed int, pattern []bool) {
	t.Helper()
	for range n {
		_, err := s.Get(bg, "k")
		switch {
		case errors.Is(err, store.ErrInjected):
			failed++
			pattern = append(pattern, true)
		case errors.Is(err, store.ErrNotFound):
			pattern = append(pattern, false)
		default:
			t.Fatalf("Get: %v", err)
		}
	}
	return failed, pattern
}

func TestSimErrorRate(t *testing.T) {
	for _, tc := range []struct {
		rate     float64
		min, max int // of 10,000 calls: ±5 standard deviations
	}{
		{0, 0, 0},
		{0.01, 50, 150},
		{0.1, 850, 1150},
		{0.5, 4750, 5250},
		{1, 10_000, 10_000},
	} {
		t.Run(fmt.Sprint(tc.rate), func(t *testing.T) {
			spec := fmt.Sprintf("sim:errors=%v,seed=7", tc.rate)
			s := newSim(t, spec)
			failed, pattern := failures(t, s, 10_000)
			if failed < tc.min || failed > tc.max {
				t.Fatalf("%d of 10000 calls failed, want %d..%d", failed, tc.min, tc.max)
			}
			if got := s.Stats().ErrorsInjected; got != int64(failed) {
				t.Fatalf("Stats().ErrorsInjected = %d, want %d", got, failed)
			}
			// The same seed fails the same calls.
			_, again := failures(t, newSim(t, spec), 10_000)
			for i := range pattern {
				if pattern[i] != again[i] {
					t.Fatalf("seed 7: call %d failed in one store and not in the other", i)
				}
			}
		})
	}
}

func TestSimSeedsDiffer(t *testing.T) {
	_, a := failures(t, newSim(t, "sim:errors=0.5,seed=1"), 200)
	_, b := failures(t, newSim(t, "sim:errors=0.5,seed=2"), 200)
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	if same == len(a) {
		t.Fatal("seeds 1 and 2 fail exactly the same calls")
	}
}

// TestSimFailedWritesChangeNothing interleaves writes, some drawn to fail,
// with reads retried until they succeed: a read must always see the last
// write that succeeded.
func TestSimFailedWritesChangeNothing(t *testing.T) {
	s := newSim(t, "sim:errors=0.5,seed=3")
	read := func() (string, bool) {
		for {
			v, err := s.Get(bg, "k")
			switch {
			case err == nil:
				return string(v), true
			case errors.Is(err, store.ErrNotFound):
				return "", false
			case !errors.Is(err, store.ErrInjected):
				t.Fatal(err)
			}
		}
	}
	want, present := "", false
	var failedPuts, failedDeletes int
	for i := range 400 {
		var err error
		if i%5 == 4 {
			err = s.Delete(bg, "k")
			if err == nil {
				want, present = "", false
			} else {
				failedDeletes++
			}
		} else {
			v := fmt.Sprint("v", i)
			err = s.Put(bg, "k", []byte(v))
			if err == nil {
				want, present = v, true
			} else {
				failedPuts++
			}
		}
		if err != nil && !errors.Is(err, store.ErrInjected) {
			t.Fatalf("call %d: %v", i, err)
		}
		if got, ok := read(); got != want || ok != present {
			t.Fatalf("after call %d: Get = %q (present %v), want %q (present %v)", i, got, ok, want, present)
		}
	}
	if failedPuts == 0 || failedDeletes == 0 {
		t.Fatalf("seed 3 failed %d puts and %d deletes; the test needs both", failedPuts, failedDeletes)
	}
}

func TestSimStatsReset(t *testing.T) {
	s := newSim(t, "sim:latency=20us,errors=0.5,seed=5")
	w := store.Instrument(s, store.Hooks{}) // as the runner wraps it
	for range 100 {
		w.Put(bg, "k", nil)
	}
	st := w.Stats()
	if st.Ops != 100 || st.ErrorsInjected == 0 || st.Errors != st.ErrorsInjected || st.LatencyP50Ns == 0 ||
		st.LatencyMeanNs == 0 || st.InflightMax != 1 {
		t.Fatalf("Stats after 100 calls = %+v", st)
	}
	if st.ConfiguredLatencyNs != int64(20*time.Microsecond) {
		t.Fatalf("ConfiguredLatencyNs = %d", st.ConfiguredLatencyNs)
	}
	w.ResetStats()
	st = w.Stats()
	if st.Ops != 0 || st.Errors != 0 || st.ErrorsInjected != 0 || st.LatencyP50Ns != 0 || st.LatencyP99Ns != 0 ||
		st.LatencyMeanNs != 0 || st.InflightMax != 0 {
		t.Fatalf("Stats after reset = %+v, want zeros", st)
	}
	if st.ConfiguredLatencyNs != int64(20*time.Microsecond) {
		t.Fatalf("ConfiguredLatencyNs after reset = %d", st.ConfiguredLatencyNs)
	}
	for range 10 {
		w.Get(bg, "k")
	}
	if st := w.Stats(); st.Ops != 10 || st.LatencyP50Ns == 0 {
		t.Fatalf("Stats after reset and 10 calls = %+v", st)
	}
}

// TestSimConfiguredLatencyIsTheMean: spikes are part of the configured
// mean a realised mean is compared with.
func TestSimConfiguredLatencyIsTheMean(t *testing.T) {
	s := newSim(t, "sim:latency=1ms,dist=exp,spike=0.01:50ms")
	if got, want := s.Stats().ConfiguredLatencyNs, int64(1500*time.Microsecond); got != want {
		t.Fatalf("ConfiguredLatencyNs = %v, want %v (1ms + 1%% of 50ms)", time.Duration(got), time.Duration(want))
	}
}

func TestSimCancelledBeforeCall(t *testing.T) {
	s := newSim(t, "sim:latency=1m")
	ctx, cancel := context.WithCancel(bg)
	cancel()
	if err := s.Put(ctx, "k", nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put = %v, want context.Canceled", err)
	}
}

func TestNewSimValidates(t *testing.T) {
	if _, err := store.NewSim(store.SimConfig{Latency: -time.Millisecond}); !errors.Is(err, store.ErrSpec) {
		t.Fatalf("NewSim(latency -1ms) = %v, want ErrSpec", err)
	}
	if _, err := store.NewSim(store.SimConfig{Dist: "normal"}); !errors.Is(err, store.ErrSpec) {
		t.Fatalf("NewSim(dist normal) = %v, want ErrSpec", err)
	}
}

// TestSimSpikeIsDrawn: a spike of probability 1 comes on every call, also
// with no base latency and no failures; a minute-long one cannot finish
// with a cancelled context.
func TestSimSpikeIsDrawn(t *testing.T) {
	s := newSim(t, "sim:spike=1:1m")
	ctx, cancel := context.WithCancel(bg)
	cancel()
	if err := s.Put(ctx, "k", nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put = %v, want context.Canceled: the spike was not drawn", err)
	}
}

// TestSimWithoutLatencyHasNoTimer: with latency 0 (and no spikes) a call
// waits for nothing, so, like the memory store, it does not look at its
// context.
func TestSimWithoutLatencyHasNoTimer(t *testing.T) {
	s := newSim(t, "sim")
	ctx, cancel := context.WithCancel(bg)
	cancel()
	if err := s.Put(ctx, "k", []byte("v")); err != nil {
		t.Fatalf("Put with a cancelled context and no delay = %v, want nil", err)
	}
	if v, err := s.Get(bg, "k"); err != nil || string(v) != "v" {
		t.Fatalf("Get = %q, %v", v, err)
	}
}
