package targettest_test

import (
	"context"
	"sync"
	"testing"

	"lockbench/results"
	"lockbench/target"
	"lockbench/target/targettest"
)

// countingSystem counts the Client calls per worker.
type countingSystem struct {
	mu    sync.Mutex
	calls map[int]int
}

func (s *countingSystem) Client(w int) target.Client {
	s.mu.Lock()
	s.calls[w]++
	s.mu.Unlock()
	return target.ClientFunc(func(context.Context, target.Op, string) error { return nil })
}

func (s *countingSystem) Check(context.Context, target.CheckInput) results.Consistency {
	return results.Consistency{Checked: true, Linearizable: results.LinSkipped}
}

// TestStressAsksEachClientOnce: target.System's Client is called once per
// worker, before the run; the stress run keeps to it (its read-back reuses
// worker 0's client rather than asking for a second one).
func TestStressAsksEachClientOnce(t *testing.T) {
	sys := &countingSystem{calls: map[int]int{}}
	tg := &target.Target{
		Name: "counting",
		Ops:  []target.OpSpec{{Name: "c.get", Keyed: true}},
		Strategies: target.List(target.Strategy{Name: "s", New: func(target.Deps) (target.System, error) {
			return sys, nil
		}}),
	}
	s, err := tg.Strategy("s")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := targettest.Stress(tg, s, targettest.Options{Workers: 3, OpsPerWorker: 2}); err != nil {
		t.Fatal(err)
	}
	for w := range 3 {
		if sys.calls[w] != 1 {
			t.Errorf("Client(%d) called %d times, want 1", w, sys.calls[w])
		}
	}
}
