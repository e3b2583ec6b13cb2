package workload_test

import (
	"fmt"

	"lockbench/workload"
)

func Example() {
	spec, err := workload.Parse([]byte(`
name: hot-updates
description: updates on a few hot keys
mix: {manager.update: 3, manager.get: 1}
keys: 100
preload: 100
distribution: hotspot
hot_fraction: 0.05
hot_probability: 0.9
concurrency: [1, 16]
duration: 1s
`), "hot-updates.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	var ops []string
	for _, op := range spec.OpKinds() {
		ops = append(ops, spec.OpName(op))
	}
	fmt.Println(spec.Name, ops, spec.Concurrency, spec.Count, spec.Store)

	g := spec.Generator(0, spec.Seed)
	for range 4 {
		op, key := g.Next()
		fmt.Println(spec.OpName(op), key)
	}

	_, err = workload.Parse([]byte("name: x\nmix: {manager.update: 1}\nkeys: 0\n"), "x.yaml")
	fmt.Println(err)
	// Output:
	// hot-updates [manager.get manager.update] [1 16] 3 sim:latency=1ms
	// manager.update c000002
	// manager.update c000004
	// manager.get c000002
	// manager.get c000003
	// workload: invalid spec x.yaml:3: keys: must be between 1 and 10000000, got 0
}
