package report

import (
	"testing"

	"lockbench/results"
)

// TestBaselineOfAnotherTarget: results without naive runs (the kv target's)
// are compared with the strategy of their first run; an explicit baseline
// and results with naive keep theirs.
func TestBaselineOfAnotherTarget(t *testing.T) {
	rename := map[string]string{"naive": "mutex", "refactored": "racy", "sharded": "syncmap"}
	kv := mutate(func(r *results.Run) { r.Strategy = rename[r.Strategy] })
	first := kv.Runs[0].Strategy
	if m := NewModel(kv, Options{}); m.Baseline != first {
		t.Errorf("kv results: baseline %q, want the first run's %q", m.Baseline, first)
	}
	if m := NewModel(kv, Options{Baseline: "syncmap"}); m.Baseline != "syncmap" {
		t.Errorf("explicit baseline: %q", m.Baseline)
	}
	if m := NewModel(syntheticFile(), Options{}); m.Baseline != "naive" {
		t.Errorf("context results: baseline %q", m.Baseline)
	}
}
