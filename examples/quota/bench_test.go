package main

import (
	"testing"

	"lockbench/gobench"
	"lockbench/workload"
)

// BenchmarkQuota runs the example's workload against every quota strategy:
//
//	go test -run='^$' -bench=Quota -count=6 ./examples/quota | tee bench.txt
//	go tool benchstat -col /strategy bench.txt
func BenchmarkQuota(b *testing.B) {
	spec, err := workload.Parse([]byte(workloadYAML), "quota-hot.yaml")
	if err != nil {
		b.Fatal(err)
	}
	gobench.Strategies(b, spec, gobench.Options{Concurrency: []int{1, 16}})
}
