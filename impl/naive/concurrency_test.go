package naive_test

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"lockbench/ctxsys"
	"lockbench/impl/internal/hooktest"
	"lockbench/impl/naive"
)

// Every store write of naive happens under manager.persist, so at most one
// is ever in flight. Each write yields the processor for a while once
// inside, so that a second writer, if any could get past the locks, would
// enter meanwhile; the peak must still be 1. The mix covers every path that
// writes: the manager's own operations, tracker syncs and auto recovery
// points, adapter creates, updates, deletes and cleanups.
func TestOneStoreWriteInFlight(t *testing.T) {
	inflight := &hooktest.InFlight{
		Ops: map[string]bool{"put": true, "delete": true},
		Inside: func() {
			for range 20 {
				runtime.Gosched()
			}
		},
	}
	cfg := ctxsys.Config{MaxContexts: 8, MaxRecoveryPoints: 2, TTL: time.Minute, AutoRecovery: true}
	e := hooktest.NewEnv(t, naive.New, cfg, inflight.Before, inflight.After)
	mix := hooktest.Mixed{Workers: 8, Ops: 200, Keys: 16, Seed: 2, Tick: func() { e.Clock.Advance(time.Minute) }}
	kinds, err := mix.Run(context.Background(), e.Sys)
	if err != nil {
		t.Fatal(err)
	}
	if kinds[""] < mix.Workers*mix.Ops/4 {
		t.Fatalf("outcomes %v: too few successes for the mix to mean much", kinds)
	}
	if peak, total := inflight.Peak(), inflight.Total(); peak != 1 || total < 100 {
		t.Fatalf("peak store writes in flight %d over %d writes, want 1 over at least 100", peak, total)
	}
	// The map-wide lock and the persistence lock are held across the
	// store calls: that is naive's held_io.
	snap := e.Locks.Snapshot()
	for _, name := range []string{"manager.contexts", "manager.persist"} {
		if snap[name].HeldIONs == 0 {
			t.Errorf("%s: held_io = 0, want > 0 (held across store writes)", name)
		}
	}
	// naive is linearizable: at quiescence memory equals the store and no
	// limit is exceeded.
	if d := e.Differences(); len(d) != 0 {
		t.Fatalf("memory and store differ:\n%s", strings.Join(d, "\n"))
	}
	ids, _ := e.Sys.Manager.List(context.Background())
	if len(ids) > cfg.MaxContexts {
		t.Fatalf("%d contexts over a max of %d", len(ids), cfg.MaxContexts)
	}
	stored := e.Stored(t)
	for id, seqs := range stored.Seqs {
		if len(seqs) > cfg.MaxRecoveryPoints {
			t.Errorf("%s: %d recovery points stored, max %d", id, len(seqs), cfg.MaxRecoveryPoints)
		}
	}
}
