package benchmarks

import (
	"testing"

	"lockbench/gobench"
	"lockbench/workload"
)

// BenchmarkWorkload runs whole workloads (LOCKBENCH_BENCH_WORKLOADS,
// default mixed) against every strategy of their target with package
// gobench, which runs them through runner.RunOne, with ops = b.N, no warm-up and the
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
		gobench.Strategies(b, spec, gobench.Options{Concurrency: set.conc, Store: set.store})
	}
}
