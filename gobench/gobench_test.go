package gobench_test

import (
	"testing"

	"lockbench/gobench"
	_ "lockbench/impl/all"
	"lockbench/workload"
)

// TestRunReportsMetrics: a benchmark run through Run reports every custom
// metric, per operation.
func TestRunReportsMetrics(t *testing.T) {
	spec, err := workload.Parse([]byte("name: g\nmix: {manager.update: 1}\nkeys: 4\npreload: 4\nstore: sim:latency=20us\n"), "g.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res := testing.Benchmark(func(b *testing.B) { gobench.Run(b, spec, "naive", 2) })
	if res.N == 0 {
		t.Fatal("benchmark did not run")
	}
	for _, unit := range []string{gobench.UnitCPU, gobench.UnitLockWait, gobench.UnitHeldIO, gobench.UnitP99, gobench.UnitInflight, "ns/op"} {
		if _, ok := res.Extra[unit]; !ok {
			t.Errorf("no %s in %v", unit, res.Extra)
		}
	}
	// naive serialises every store write behind manager.persist, which
	// it holds across the write: the store is never called by two
	// operations at once, and the locks were held across I/O.
	if res.Extra[gobench.UnitHeldIO] <= 0 {
		t.Errorf("naive: held-I/O %v per operation, want > 0", res.Extra[gobench.UnitHeldIO])
	}
	if res.Extra[gobench.UnitInflight] != 1 {
		t.Errorf("naive: %v store calls in flight at most, want 1", res.Extra[gobench.UnitInflight])
	}
}
