package main

import (
	"testing"

	"lockbench/target"
	"lockbench/target/targettest"
)

func quotaTarget(t *testing.T) *target.Target {
	t.Helper()
	tg, err := target.Lookup("quota")
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// TestStrategies: the two correct strategies keep the quota's consistency
// whatever the interleaving.
func TestStrategies(t *testing.T) {
	targettest.Run(t, quotaTarget(t), targettest.Options{Strategies: []string{"mutex", "striped"}})
}

// TestRacyIsCaught: unlocked-io's check-then-act gap is found by the
// deterministic interleavings — a take stopped in its store write while
// another take spends the same token — not by luck.
func TestRacyIsCaught(t *testing.T) {
	tg := quotaTarget(t)
	s, err := tg.Strategy("unlocked-io")
	if err != nil {
		t.Fatal(err)
	}
	c, reached, err := targettest.Interleave(tg, s, targettest.Options{}, opTake, opTake, "k0", true, 1)
	if err != nil || !reached {
		t.Fatalf("interleaving not run: reached=%v, %v", reached, err)
	}
	if c.Linearizable != "illegal" {
		t.Errorf("take stopped in its store write, another take runs: verdict %q, want illegal", c.Linearizable)
	}
	vs, err := targettest.Violations(tg, "unlocked-io", targettest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatal("targettest found nothing wrong with unlocked-io")
	}
	for _, v := range vs {
		t.Log(v)
	}
}
