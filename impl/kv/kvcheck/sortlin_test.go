package kvcheck

import (
	"fmt"
	"testing"

	"github.com/anishathalye/porcupine"

	"lockbench/impl/kv"
)

// queued is the history porcupine finds hardest: n writers call at once and
// a lock serves them in the reverse order of their calls, each returning as
// it releases; a reader after each write sees its value.
func queued(n int) []porcupine.Operation {
	var ops []porcupine.Operation
	for i := range n {
		served := int64(n - i) // the first to call is served last
		v := fmt.Sprint(i)
		ops = append(ops,
			porcupine.Operation{ClientId: i, Input: linInput{Op: kv.Put, Key: "k", Value: v},
				Output: linOutput{}, Call: 0, Return: 10 * served},
			porcupine.Operation{ClientId: n + i, Input: linInput{Op: kv.Get, Key: "k"},
				Output: linOutput{Value: v, Found: true}, Call: 10*served + 1, Return: 10*served + 5})
	}
	return ops
}

func TestLinearizeBySort(t *testing.T) {
	ops := queued(64)
	if !linearizeBySort(ops, absent) {
		t.Fatal("a legal queued history was not linearized")
	}
	// The reader of the last write served sees the first one's value
	// instead: no linearization exists, and none may be claimed.
	for _, n := range []int{8, 64} {
		bad := queued(n)
		bad[1].Output = linOutput{Value: fmt.Sprint(n - 1), Found: true}
		if linearizeBySort(bad, absent) {
			t.Fatalf("n=%d: an illegal history was linearized", n)
		}
		// porcupine agrees (on the small one: on 64 writers called at
		// once it backtracks for minutes, which is why the sort exists).
		if n == 8 && porcupine.CheckOperations(model(absent), bad) {
			t.Fatal("porcupine disagrees: the planted history is legal")
		}
	}
}
