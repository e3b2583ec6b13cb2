package ctxtarget_test

import (
	"testing"

	"lockbench/ctxsys"
	"lockbench/target"
	"lockbench/target/targettest"
)

// managerMix is the manager's keyed operations: enough for refactored's
// check-then-act gaps (create, delete) to meet, small enough that every
// pair runs in a second.
var managerMix = []target.Op{ctxsys.ManagerCreate, ctxsys.ManagerUpdate, ctxsys.ManagerDelete, ctxsys.ManagerGet}

// TestConformanceUnderConcurrency: naive and sharded keep every invariant
// in every forced interleaving of two manager operations on one key, and
// under a stress run.
func TestConformanceUnderConcurrency(t *testing.T) {
	targettest.Run(t, contextTarget(t), targettest.Options{Strategies: []string{"naive", "sharded"}, Mix: managerMix})
}

// TestRefactoredIsCaughtByInterleavings: the gaps refactored keeps on
// purpose are found by a test, deterministically, where impltest (one
// goroutine at a time) passes it.
func TestRefactoredIsCaughtByInterleavings(t *testing.T) {
	vs, err := targettest.Violations(contextTarget(t), "refactored", targettest.Options{Mix: managerMix, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatal("no violation found in refactored")
	}
	for _, v := range vs {
		t.Log(v)
	}
}
