//go:build unix

package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"lockbench/store"
)

// BenchmarkSimDelay measures the sim store's injected delay beside a plain
// time.Sleep of the same length: realised p50 and p99 of the wait (as the
// callers saw it) and the process's CPU time per call. Compare mechanisms
// with benchstat -col /mechanism. cmd/simlat prints the same comparison as
// a table with verdicts.
func BenchmarkSimDelay(b *testing.B) {
	for _, c := range []struct {
		delay   time.Duration
		callers int
	}{
		{0, 1},
		{200 * time.Microsecond, 1},
		{2 * time.Millisecond, 1},
		{2 * time.Millisecond, 100},
		{10 * time.Millisecond, 1000},
	} {
		for _, mech := range []string{"sim", "time.Sleep"} {
			if c.delay == 0 && mech == "time.Sleep" {
				continue
			}
			name := fmt.Sprintf("delay=%v/callers=%d/mechanism=%s", c.delay, c.callers, mech)
			b.Run(name, func(b *testing.B) { benchDelay(b, mech, c.delay, c.callers) })
		}
	}
}

func benchDelay(b *testing.B, mech string, delay time.Duration, callers int) {
	wait := func() { time.Sleep(delay) }
	if mech == "sim" {
		raw, err := store.Open("sim:latency=" + delay.String())
		if err != nil {
			b.Fatal(err)
		}
		s := store.Instrument(raw, store.Hooks{}) // as in a run
		defer s.Close()
		ctx, cancel := context.WithCancel(context.Background()) // as the runner's workers
		defer cancel()
		wait = func() { s.Get(ctx, "k") }
	}
	var next atomic.Int64
	samples := make([][]time.Duration, callers)
	var wg sync.WaitGroup
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := range callers {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				t0 := time.Now()
				wait()
				samples[i] = append(samples[i], time.Since(t0))
			}
		})
	}
	wg.Wait()
	cpu := cpuTime() - cpu0
	b.StopTimer()
	all := slices.Concat(samples...)
	slices.Sort(all)
	b.ReportMetric(float64(all[len(all)/2]), "p50-ns")
	b.ReportMetric(float64(all[len(all)*99/100]), "p99-ns")
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkInstrument is the cost of the wrapper every store goes through
// (two clock reads, the in-flight count, a histogram record) on a memory
// store's Get, beside the bare call.
func BenchmarkInstrument(b *testing.B) {
	mem := store.NewMemory()
	ctx := context.Background()
	mem.Put(ctx, "k", []byte("v"))
	for _, c := range []struct {
		name string
		s    store.Store
	}{{"bare", mem}, {"instrumented", store.Instrument(mem, store.Hooks{})}} {
		b.Run(c.name, func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					c.s.Get(ctx, "k")
				}
			})
		})
	}
}
