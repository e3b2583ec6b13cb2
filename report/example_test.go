package report_test

import (
	"os"

	"lockbench/report"
	"lockbench/results"
)

// One line per successful run, named so that benchstat -col /strategy
// compares the strategies: iterations are operations, ns/op the mean
// latency.
func ExampleWriteBenchFormat() {
	f := &results.File{
		Schema: results.Schema,
		Meta:   results.Meta{GOOS: "linux", GOARCH: "amd64", GOMAXPROCS: 2},
		Runs: []results.Run{{
			Strategy: "sharded", Workload: "same-context-update", Concurrency: 64, Status: results.StatusOK,
			Ops: 24000, ThroughputOpsS: 12000,
			Latency:     map[string]results.Latency{"all": {Count: 24000, MeanNs: 5.3e6, P50Ns: 5_100_000, P99Ns: 9_800_000}},
			Process:     results.Process{CPUUserS: 0.4, CPUSysS: 0.08},
			Locks:       map[string]results.Lock{"manager.keys": {WaitTotalNs: 48_000_000_000}},
			Consistency: results.Consistency{Checked: true},
		}},
	}
	if err := report.WriteBenchFormat(os.Stdout, f); err != nil {
		panic(err)
	}
	// Output:
	// goos: linux
	// goarch: amd64
	// pkg: lockbench
	// Unit ns/op better=lower
	// Unit ops/s better=higher
	// Unit p50-ns better=lower
	// Unit p99-ns better=lower
	// Unit cpu-ns/op better=lower
	// Unit lockwait-nsec/op better=lower
	// Unit heldio-mapwide-nsec/op better=lower
	// Unit heldio-perkey-nsec/op better=lower
	// Unit B/op better=lower
	// Unit allocs/op better=lower
	// Unit anomalies better=lower
	// BenchmarkLockbench/workload=same-context-update/conc=64/strategy=sharded-2	24000	5300000 ns/op	12000 ops/s	5100000 p50-ns	9800000 p99-ns	20000 cpu-ns/op	2000000 lockwait-nsec/op	0 heldio-mapwide-nsec/op	0 heldio-perkey-nsec/op	0 anomalies
}
