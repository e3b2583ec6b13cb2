package timing_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"lockbench/timing"
)

// Sleeps last at least as long as asked: an invariant, not a timing claim.
func TestSleepAtLeast(t *testing.T) {
	for _, d := range []time.Duration{-time.Second, 0, time.Microsecond, 50 * time.Microsecond, 300 * time.Microsecond, 2 * time.Millisecond} {
		t.Run(d.String(), func(t *testing.T) {
			start := time.Now()
			timing.Sleep(d)
			if got := time.Since(start); got < d {
				t.Fatalf("Sleep(%v) returned after %v", d, got)
			}
			start = time.Now()
			if err := timing.SleepContext(context.Background(), d); err != nil || time.Since(start) < d {
				t.Fatalf("SleepContext(%v) = %v after %v", d, err, time.Since(start))
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			start = time.Now()
			if err := timing.SleepContext(ctx, d); err != nil || time.Since(start) < d {
				t.Fatalf("SleepContext(cancellable, %v) = %v after %v", d, err, time.Since(start))
			}
			start = time.Now()
			timing.SleepUntil(start.Add(d))
			if got := time.Since(start); got < d {
				t.Fatalf("SleepUntil(+%v) returned after %v", d, got)
			}
		})
	}
}

func TestSleepContextCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := timing.SleepContext(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("SleepContext(cancelled) = %v", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- timing.SleepContext(ctx, time.Hour) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("SleepContext cancelled while sleeping = %v", err)
	}
}

// TestConcurrentSleepers mixes many sleepers of different lengths, some
// of them cancelled, for the race detector and the alarm's bookkeeping.
func TestConcurrentSleepers(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Go(func() {
			d := time.Duration(1+i%17) * 37 * time.Microsecond
			switch i % 4 {
			case 0:
				ctx, cancel := context.WithCancel(context.Background())
				go cancel()
				if err := timing.SleepContext(ctx, time.Hour); !errors.Is(err, context.Canceled) {
					t.Errorf("sleeper %d: %v", i, err)
				}
			case 1:
				if err := timing.SleepContext(context.Background(), d); err != nil {
					t.Errorf("sleeper %d: %v", i, err)
				}
			default:
				for range 3 {
					timing.Sleep(d)
				}
			}
		})
	}
	wg.Wait()
	timing.CheckQuiescent(t)
}

func ExampleSleep() {
	start := time.Now()
	timing.Sleep(300 * time.Microsecond)
	fmt.Println(time.Since(start) >= 300*time.Microsecond)
	// Output: true
}

func TestDelayContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := timing.Delay(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("Delay(cancelled) = %v", err)
	}
	if err := timing.Delay(ctx, 0); !errors.Is(err, context.Canceled) {
		t.Fatalf("Delay(cancelled, 0) = %v", err)
	}
	if err := timing.Delay(context.Background(), -time.Second); err != nil {
		t.Fatalf("Delay(-1s) = %v", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- timing.Delay(ctx, time.Hour) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Delay cancelled while waiting = %v", err)
	}
}

// TestConcurrentDelays: compensated sleepers of several delays, with and
// without a context, leave the alarm at rest.
func TestConcurrentDelays(t *testing.T) {
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i := range 100 {
		wg.Go(func() {
			d := time.Duration(1+i%7) * 53 * time.Microsecond
			for range 5 {
				c := context.Background()
				if i%2 == 0 {
					c = ctx
				}
				if err := timing.Delay(c, d); err != nil {
					t.Errorf("delay %d: %v", i, err)
				}
			}
		})
	}
	wg.Wait()
	timing.CheckQuiescent(t)
}
