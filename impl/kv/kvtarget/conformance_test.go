package kvtarget_test

import (
	"testing"

	"lockbench/impl/kv/kvtarget"
	"lockbench/target"
	"lockbench/target/targettest"
)

func kvTarget(t *testing.T) *target.Target {
	t.Helper()
	tg, err := target.Lookup(kvtarget.Name)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// TestConformanceUnderConcurrency: every kv strategy but racy keeps every
// invariant in every forced interleaving of two operations on one key (the
// generic targettest checks, on top of interleave_test.go's own), and
// under a stress run.
func TestConformanceUnderConcurrency(t *testing.T) {
	targettest.Run(t, kvTarget(t), targettest.Options{Strategies: []string{"mutex", "rwmutex", "syncmap", "striped", "cow"}})
}

// TestRacyIsCaughtByInterleavings: the same checks find racy's gaps.
func TestRacyIsCaughtByInterleavings(t *testing.T) {
	vs, err := targettest.Violations(kvTarget(t), "racy", targettest.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatal("no violation found in racy")
	}
	for _, v := range vs[:min(len(vs), 5)] {
		t.Log(v)
	}
}
