package benchmarks

import (
	"fmt"
	"testing"
	"time"

	"lockbench/impl"
	"lockbench/runner"
	"lockbench/workload"
)

// BenchmarkWorkload runs whole workloads (LOCKBENCH_BENCH_WORKLOADS,
// default mixed) through runner.RunOne, with ops = b.N, no warm-up and the
// suite's store: the command's own closed loop, executors, preload and
// recorder, on a freshly built system. The runner measures its window
// itself, so ns/op, B/op and allocs/op are reported from its figures
// (set-up and preload excluded), and p99, lock and store figures from its
// result.
func BenchmarkWorkload(b *testing.B) {
	set := suiteSettings(b)
	for _, name := range set.workloads {
		spec, err := workload.Load(name)
		if err != nil {
			b.Fatal(err)
		}
		for _, conc := range set.conc {
			for _, strategy := range impl.Names() {
				b.Run(fmt.Sprintf("workload=%s/keys=%d/conc=%d/strategy=%s", spec.Name, spec.Keys, conc, strategy), func(b *testing.B) {
					runWorkload(b, spec, strategy, conc, set.store)
				})
			}
		}
	}
}

func runWorkload(b *testing.B, spec *workload.Spec, strategy string, conc int, storeSpec string) {
	ops, warmup, count := int64(b.N), time.Duration(0), 1
	run, err := spec.Override(workload.Overrides{
		Concurrency: []int{conc}, Ops: &ops, Warmup: &warmup, Count: &count, Store: &storeSpec,
	}, "benchmark")
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
	reportLocks(b, wait, heldIO, n)
	b.ReportMetric(float64(res.Latency["all"].P99Ns), unitP99)
	b.ReportMetric(float64(res.Store.InflightMax), unitInflight)
	b.ReportMetric((res.Process.CPUUserS+res.Process.CPUSysS)*1e9/n, unitCPU)
}
