package store

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSimDelayDistributions checks the draws of each distribution (without
// sleeping): mean, spread and bounds over many calls.
func TestSimDelayDistributions(t *testing.T) {
	const n = 200_000
	ms := float64(time.Millisecond)
	for _, tc := range []struct {
		cfg          SimConfig
		mean, stddev float64 // wanted, in ns
		lo, hi       float64 // bounds of every draw
	}{
		{SimConfig{Latency: time.Millisecond, Dist: DistFixed}, ms, 0, ms, ms},
		{SimConfig{Latency: time.Millisecond, Dist: DistUniform, Jitter: 200 * time.Microsecond}, ms, 0.4 * ms / math.Sqrt(12), 0.8 * ms, 1.2 * ms},
		{SimConfig{Latency: time.Millisecond, Dist: DistUniform}, ms, 2 * ms / math.Sqrt(12), 0, 2 * ms},
		{SimConfig{Latency: time.Millisecond, Dist: DistExp}, ms, ms, 0, math.Inf(1)},
		{SimConfig{Latency: time.Millisecond, Dist: DistLognormal}, ms, ms / 2, 0, math.Inf(1)},
		{SimConfig{Latency: time.Millisecond, Dist: DistLognormal, Jitter: 2 * time.Millisecond}, ms, 2 * ms, 0, math.Inf(1)},
	} {
		t.Run(fmt.Sprintf("%s/jitter=%v", tc.cfg.Dist, tc.cfg.Jitter), func(t *testing.T) {
			f := delayFunc(tc.cfg)
			var sum, sumSq float64
			for i := range n {
				u := newDraws(1, uint64(i))
				d := float64(f(&u))
				if d < tc.lo || d > tc.hi {
					t.Fatalf("draw %v outside [%v, %v]", time.Duration(d), time.Duration(tc.lo), time.Duration(tc.hi))
				}
				sum += d
				sumSq += d * d
			}
			mean := sum / n
			stddev := math.Sqrt(sumSq/n - mean*mean)
			// Heavy tails (lognormal with sigma > 1) converge slowly: 5%.
			if math.Abs(mean-tc.mean) > 0.02*tc.mean {
				t.Errorf("mean %v, want %v ±2%%", time.Duration(mean), time.Duration(tc.mean))
			}
			if math.Abs(stddev-tc.stddev) > 0.05*tc.mean {
				t.Errorf("stddev %v, want %v", time.Duration(stddev), time.Duration(tc.stddev))
			}
		})
	}
	if delayFunc(SimConfig{Dist: DistExp}) != nil {
		t.Error("latency 0 must mean no delay draw at all")
	}
}

func TestDrawsUniform(t *testing.T) {
	var buckets [10]int
	for i := range 100_000 {
		u := newDraws(9, uint64(i))
		for range 3 {
			buckets[int(u.float()*10)]++
		}
	}
	for b, c := range buckets {
		if c < 29_000 || c > 31_000 {
			t.Fatalf("bucket %d holds %d of 300000 draws", b, c)
		}
	}
}

// TestSimPoolLimitsInflight counts the calls inside the pool (where the
// delay is drawn) at once: never more than the pool, however many callers.
func TestSimPoolLimitsInflight(t *testing.T) {
	for _, pool := range []int{1, 3, 8} {
		t.Run(fmt.Sprint(pool), func(t *testing.T) {
			s, err := NewSim(SimConfig{Latency: time.Microsecond, Dist: DistExp, Pool: pool})
			if err != nil {
				t.Fatal(err)
			}
			var inside, peak atomic.Int64
			draw := s.delay
			s.delay = func(u *draws) time.Duration {
				n := inside.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				runtime.Gosched() // let others in, if the pool would
				inside.Add(-1)
				return draw(u)
			}
			const callers, calls = 32, 10
			var wg sync.WaitGroup
			for c := range callers {
				wg.Go(func() {
					for i := range calls {
						if err := s.Put(context.Background(), fmt.Sprint(c, "/", i), nil); err != nil {
							t.Error(err)
						}
					}
				})
			}
			wg.Wait()
			if got := peak.Load(); got < 1 || got > int64(pool) {
				t.Fatalf("%d calls inside the pool at once with pool=%d", got, pool)
			}
		})
	}
}

// TestSimPoolQueuesAndContextCancels holds the only pool slot with a call
// that waits a minute, queues a second call behind it, and cancels both.
func TestSimPoolQueuesAndContextCancels(t *testing.T) {
	s, err := NewSim(SimConfig{Latency: time.Minute, Pool: 1})
	if err != nil {
		t.Fatal(err)
	}
	holdCtx, cancelHold := context.WithCancel(context.Background())
	held := make(chan error)
	go func() { held <- s.Put(holdCtx, "a", []byte("x")) }()
	for len(s.pool) < 1 { // the first call holds the slot
		runtime.Gosched()
	}
	queuedCtx, cancelQueued := context.WithCancel(context.Background())
	queued := make(chan error)
	go func() { queued <- s.Put(queuedCtx, "b", []byte("y")) }()
	cancelQueued() // before or while it queues: it must not get the slot
	if err := <-queued; !errors.Is(err, context.Canceled) {
		t.Fatalf("queued call returned %v, want context.Canceled", err)
	}
	cancelHold()
	if err := <-held; !errors.Is(err, context.Canceled) {
		t.Fatalf("held call returned %v, want context.Canceled", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Get(ctx, "a"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Get with a cancelled context = %v, want context.Canceled", err)
	}
}
