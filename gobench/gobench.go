// Package gobench runs a workload against the strategies of its target as
// go test -bench sub-benchmarks, with the custom metrics of lockbench's own
// benchmark suite (lockbench/benchmarks), so that a user's own type is
// compared the way the built-in ones are:
//
//	func BenchmarkQuota(b *testing.B) {
//		spec, _ := workload.Parse([]byte(quotaYAML), "quota.yaml")
//		gobench.Strategies(b, spec, gobench.Options{})
//	}
//
//	go test -run='^$' -bench=Quota -count=6 . | tee bench.txt
//	go tool benchstat -col /strategy bench.txt
//
// Sub-benchmarks are named workload=W/keys=K/conc=N/strategy=S, key=value
// pairs benchstat can put in columns. Each runs the workload through
// runner.RunOne — the command's own closed loop, preload, executors and
// recorder, on a freshly built system with instrumented locks — with ops =
// b.N and no warm-up, and reports from the runner's measured window:
//
//	ns/op, B/op, allocs/op  wall time, bytes and allocations per operation
//	cpu-ns/op         process CPU time (user + system) per operation
//	lockwait-nsec/op  time spent waiting for locks, all locks, per operation
//	heldio-nsec/op    time locks were held across store I/O, per operation
//	p99-ns            99th percentile latency of one operation
//	inflight-max      peak number of store calls in flight
//
// Lock wait and held-I/O are "nsec" rather than "ns" on purpose: they are
// often exactly 0, and benchstat files a 0 in a unit containing "ns" under
// the unit as written but every other value under the unit tidied to
// seconds, which would split one metric into two tables.
package gobench

import (
	"fmt"
	"testing"
	"time"

	"lockbench/runner"
	"lockbench/store"
	"lockbench/workload"
)

// Units of the custom metrics.
const (
	UnitCPU      = "cpu-ns/op"
	UnitLockWait = "lockwait-nsec/op"
	UnitHeldIO   = "heldio-nsec/op"
	UnitP99      = "p99-ns"
	UnitInflight = "inflight-max"
)

// Options select what Strategies runs. Zero fields mean the workload's own.
type Options struct {
	// Concurrency levels (default: the workload's concurrency).
	Concurrency []int
	// Strategies by name (default: every strategy of the target).
	Strategies []string
	// Store is a store spec string such as "sim:latency=1ms" (default:
	// the workload's store). Strategies parses it once, before the first
	// sub-benchmark; a bad one fails the benchmark.
	Store string
}

// Strategies runs spec at every concurrency level against every strategy,
// one sub-benchmark each.
func Strategies(b *testing.B, spec *workload.Spec, opt Options) {
	b.Helper()
	if opt.Store != "" {
		s, err := store.ParseSpec(opt.Store)
		if err == nil {
			spec, err = spec.Override(workload.Overrides{Store: &s}, "gobench.Options")
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	strategies := opt.Strategies
	if strategies == nil {
		t, err := spec.System()
		if err != nil {
			b.Fatal(err)
		}
		strategies = t.StrategyNames()
	}
	levels := opt.Concurrency
	if levels == nil {
		levels = spec.Concurrency
	}
	for _, conc := range levels {
		for _, strategy := range strategies {
			b.Run(fmt.Sprintf("workload=%s/keys=%d/conc=%d/strategy=%s", spec.Name, spec.Keys, conc, strategy), func(b *testing.B) {
				Run(b, spec, strategy, conc)
			})
		}
	}
}

// Run measures one strategy at one concurrency: b.N operations of spec on
// a fresh system over spec's store (spec.Override changes it).
func Run(b *testing.B, spec *workload.Spec, strategy string, conc int) {
	b.Helper()
	ops, warmup, count := int64(b.N), time.Duration(0), 1
	o := workload.Overrides{Concurrency: []int{conc}, Ops: &ops, Warmup: &warmup, Count: &count}
	run, err := spec.Override(o, "benchmark")
	if err != nil {
		b.Fatal(err)
	}
	res, err := runner.RunOne(b.Context(), runner.Params{
		Strategy: strategy, Spec: run, Concurrency: conc, Repetition: 1, Options: runner.Options{Instrument: true},
	})
	if err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if res.Ops == 0 {
		b.Fatalf("runner measured no operation (%s)", res.Reason)
	}
	n := float64(res.Ops)
	b.ReportMetric(res.DurationS*1e9/n, "ns/op")
	b.ReportMetric(res.Runtime.AllocBytesPerOp, "B/op")
	b.ReportMetric(res.Runtime.AllocsPerOp, "allocs/op")
	b.ReportAllocs() // prints the two above
	var wait, heldIO int64
	for _, l := range res.Locks {
		wait += l.WaitTotalNs
		heldIO += l.HeldIONs
	}
	b.ReportMetric(float64(wait)/n, UnitLockWait)
	b.ReportMetric(float64(heldIO)/n, UnitHeldIO)
	b.ReportMetric(float64(res.Latency["all"].P99Ns), UnitP99)
	b.ReportMetric(float64(res.Store.InflightMax), UnitInflight)
	b.ReportMetric((res.Process.CPUUserS+res.Process.CPUSysS)*1e9/n, UnitCPU)
}
