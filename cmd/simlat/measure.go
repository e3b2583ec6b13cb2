package main

import (
	"context"
	"slices"
	"sync"
	"time"

	"lockbench/store"
	"lockbench/timing"
)

// mechanism prepares a wait of d for one case; the returned function is
// called by every caller in a loop, and close releases what prepare made.
type mechanism func(d time.Duration) (wait func() error, close func() error, err error)

var mechanismNames = []string{"time.Sleep", "timing.Sleep", "timing.Delay", "sim"}

func mechanismByName(name string) (mechanism, bool) {
	switch name {
	case "time.Sleep":
		return func(d time.Duration) (func() error, func() error, error) {
			return func() error { time.Sleep(d); return nil }, noClose, nil
		}, true
	case "timing.Sleep":
		return func(d time.Duration) (func() error, func() error, error) {
			return func() error { timing.Sleep(d); return nil }, noClose, nil
		}, true
	case "timing.Delay":
		return func(d time.Duration) (func() error, func() error, error) {
			return func() error { return timing.Delay(context.Background(), d) }, noClose, nil
		}, true
	case "sim":
		return func(d time.Duration) (func() error, func() error, error) {
			raw, err := store.Open("sim:latency=" + d.String())
			if err != nil {
				return nil, nil, err
			}
			// Through the wrapper every store goes through in a run.
			s := store.Instrument(raw, store.Hooks{})
			// A cancellable context, as the runner's workers have.
			ctx, cancel := context.WithCancel(context.Background())
			// An empty value: the row measures the delay and the wrapper, not
			// the copy of a value (an allocation per call).
			if err := s.Put(ctx, "k", nil); err != nil {
				cancel()
				return nil, nil, err
			}
			closeFn := func() error { cancel(); return s.Close() }
			return func() error { _, err := s.Get(ctx, "k"); return err }, closeFn, nil
		}, true
	}
	return nil, false
}

func noClose() error { return nil }

// result holds the figures of one mechanism in one case.
type result struct {
	calls          int
	p50, p99, mean time.Duration
	cpuPerCall     time.Duration
}

// warmup lets callers spread out before measuring: they start staggered
// over one delay, and their waits in the first 200 ms (at most a quarter
// of the duration) are not counted.
func warmup(duration time.Duration) time.Duration { return min(200*time.Millisecond, duration/4) }

func measure(mech mechanism, c aCase, duration time.Duration) (result, error) {
	wait, closeFn, err := mech(c.delay)
	if err != nil {
		return result{}, err
	}
	defer closeFn()
	start := time.Now()
	measureFrom := start.Add(warmup(duration))
	stop := measureFrom.Add(duration)
	samples := make([][]time.Duration, c.callers)
	errs := make([]error, c.callers)
	var wg sync.WaitGroup
	for i := range c.callers {
		wg.Go(func() {
			time.Sleep(time.Duration(i) * c.delay / time.Duration(c.callers))
			lat := make([]time.Duration, 0, int(duration/c.delay)+1)
			for {
				t0 := time.Now()
				if t0.After(stop) {
					break
				}
				if err := wait(); err != nil {
					errs[i] = err
					return
				}
				// Count the calls that end in the measured window.
				if end := time.Now(); end.After(measureFrom) {
					lat = append(lat, end.Sub(t0))
				}
			}
			samples[i] = lat
		})
	}
	time.Sleep(time.Until(measureFrom))
	cpu0 := cpuTime()
	wg.Wait()
	cpu := cpuTime() - cpu0
	for _, err := range errs {
		if err != nil {
			return result{}, err
		}
	}
	all := slices.Concat(samples...)
	if len(all) == 0 {
		return result{}, nil // a stalled machine: the row says so
	}
	slices.Sort(all)
	var sum time.Duration
	for _, d := range all {
		sum += d
	}
	return result{
		calls:      len(all),
		p50:        all[len(all)/2],
		p99:        all[len(all)*99/100],
		mean:       sum / time.Duration(len(all)),
		cpuPerCall: cpu / time.Duration(len(all)),
	}, nil
}

func precision() string {
	if timing.Precise() {
		return "timing: timerfd alarm in use."
	}
	return "timing: precise mechanism unavailable, plain time.Sleep in use."
}
