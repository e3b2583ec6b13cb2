package linearize_test

import (
	"context"
	"fmt"

	. "lockbench/consistency/internal/linearize"
)

// A model is a table of steps over a State; the caller splits its history
// by key into partitions, each with its model. Here one key of a key-value
// store (the register of shortcuts_test.go): a get that returns the value
// a put replaced after the put returned is a stale read.
func ExampleCheck() {
	ops := []Op{
		{Client: 0, Call: 0, Return: 10, In: Input{Name: "put", Step: putStep, Data: "v1"}},
		{Client: 0, Call: 20, Return: 30, In: Input{Name: "put", Step: putStep, Data: "v2"}},
		{Client: 1, Call: 25, Return: 35, In: Input{Name: "get", Step: getStep}, Out: Output{Data: "v2"}},
		{Client: 1, Call: 40, Return: 50, In: Input{Name: "get", Step: getStep}, Out: Output{Data: "v1"}},
	}
	for _, n := range []int{3, 4} {
		res := Check(context.Background(), []Partition{{Name: "x", Model: register, Ops: ops[:n]}}, Options{})
		fmt.Printf("%d operations: %v\n", n, res[0].Verdict)
	}
	// Output:
	// 3 operations: Ok
	// 4 operations: Illegal
}
