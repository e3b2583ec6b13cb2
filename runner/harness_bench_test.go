package runner

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lockbench/lock"
	"lockbench/store"
	"lockbench/target"
	"lockbench/workload"
)

// harnessYAML is the comparison's workload: manager.get over 1,024
// preloaded keys on the memory store, the cheapest operation there is, so
// that the harness's own cost shows.
const harnessYAML = `
name: harness-get
description: harness cost comparison
mix: {manager.get: 1}
keys: 1024
preload: 1024
concurrency: [1]
ops: 1
warmup: 0s
count: 1
store: memory
`

// BenchmarkHarness drives one operation three ways at 1 and 8 clients:
//
//   - loop=gotest is a testing loop as ./benchmarks runs one (each client
//     draws a key from the workload's generator, calls the manager with
//     instrumented locks and a lock trace, and times the call with
//     time.Now into its own histogram);
//   - loop=untimed is the same loop without the timing: the operation
//     alone;
//   - loop=runner is RunOne on the same workload.
//
// ns/op is wall time per operation over all clients (1e9 / rate); for the
// runner it is taken over its measured window, so build and preload are
// not in it. cpu-ns/op is the process's CPU time per operation over the
// same span: on a machine others load, wall time measures them too, CPU
// time much less. `make harness` prints the rates and the runner's ratio to
// each loop.
func BenchmarkHarness(b *testing.B) {
	s, err := workload.Parse([]byte(harnessYAML), "harness.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for _, conc := range []int{1, 8} {
		b.Run(fmt.Sprintf("conc=%d/loop=gotest", conc), func(b *testing.B) { benchLoop(b, s, conc, true) })
		b.Run(fmt.Sprintf("conc=%d/loop=untimed", conc), func(b *testing.B) { benchLoop(b, s, conc, false) })
		b.Run(fmt.Sprintf("conc=%d/loop=runner", conc), func(b *testing.B) { benchRunner(b, s, conc) })
	}
}

func benchLoop(b *testing.B, s *workload.Spec, conc int, timed bool) {
	tgt, err := s.System()
	if err != nil {
		b.Fatal(err)
	}
	strategy, err := tgt.Strategy("sharded")
	if err != nil {
		b.Fatal(err)
	}
	raw, err := store.Open("memory")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	clock := newClock()
	sys, err := strategy.New(target.Deps{Store: store.Instrument(raw, store.Hooks{}), Locks: lock.NewSet(true),
		Config: s.Config.System().WithDefaults(), Clients: conc, Now: clock.now})
	if err != nil {
		b.Fatal(err)
	}
	keys := make([]string, s.Preload)
	for i := range keys {
		keys[i] = workload.ContextID(i)
	}
	if err := sys.(target.Preloader).Preload(context.Background(), keys, s.OpKinds()); err != nil {
		b.Fatal(err)
	}
	gens := s.Generators(conc, s.Seed)
	clients := make([]target.Client, conc)
	for i := range clients {
		clients[i] = sys.Client(i)
	}
	var claimed atomic.Int64
	n := int64(b.N)
	// Clients claim iterations in batches, as ./benchmarks does, so the
	// shared counter is not what is measured.
	batch := min(max(n/int64(conc*64), 1), 64)
	b.ReportAllocs()
	cpu0 := readRusage()
	b.ResetTimer()
	var wg sync.WaitGroup
	for i := range conc {
		wg.Go(func() {
			var tr lock.Trace
			ctx := lock.WithTrace(context.Background(), &tr)
			latency := newHist()
			for {
				end := claimed.Add(batch)
				if end-batch >= n {
					return
				}
				for range min(end, n) - (end - batch) {
					op, key := gens[i].Next()
					var start time.Time
					if timed {
						start = time.Now()
					}
					err := clients[i].Do(ctx, op, key)
					if timed {
						latency.RecordValue(clampNs(time.Since(start).Nanoseconds()))
					}
					tr.Reset()
					if err != nil {
						b.Error(err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(readRusage().total()-cpu0.total())/float64(b.N), "cpu-ns/op")
}

func benchRunner(b *testing.B, s *workload.Spec, conc int) {
	ops := int64(b.N)
	spec, err := s.Override(workload.Overrides{Ops: &ops, Concurrency: []int{conc}}, "harness")
	if err != nil {
		b.Fatal(err)
	}
	res, err := RunOne(context.Background(), Params{Strategy: "sharded", Spec: spec, Concurrency: conc, Repetition: 1, Options: Options{Instrument: true}})
	if err != nil {
		b.Fatal(err)
	}
	if res.Ops == 0 || res.DurationS == 0 {
		b.Fatalf("no operation measured: %+v", res)
	}
	b.ReportMetric(res.DurationS*1e9/float64(res.Ops), "ns/op")
	b.ReportMetric(res.Runtime.AllocsPerOp, "runner-allocs/op")
	b.ReportMetric(res.HarnessNsPerOp, "harness-ns/op")
	b.ReportMetric((res.Process.CPUUserS+res.Process.CPUSysS)*1e9/float64(res.Ops), "cpu-ns/op")
}
