package refactored

import (
	"context"
	"fmt"
	"testing"
	"time"

	"lockbench/ctxsys"
	"lockbench/impl/internal/hooktest"
)

// No lock is held across a store call, so creates of distinct ids have
// their Puts in flight together: the barrier inside the Put lets none go
// until all of them are in (with naive's locking it would never fill).
func TestStoreWritesOverlap(t *testing.T) {
	for _, writers := range []int{2, 8} {
		t.Run(fmt.Sprintf("writers=%d", writers), func(t *testing.T) {
			ctx := context.Background()
			all := hooktest.NewBarrier(writers)
			inflight := &hooktest.InFlight{
				Ops:    map[string]bool{"put": true, "delete": true},
				Inside: func() { hooktest.Must(t, all.Wait()) },
			}
			e := newEnv(t, ctxsys.Config{}, inflight.Before, inflight.After)
			results := make([]hooktest.Result, writers)
			for i := range results {
				id := fmt.Sprintf("c%d", i)
				results[i] = hooktest.Go(func() error { return e.manager.Create(ctx, id, state(id, 1)) })
			}
			for _, r := range results {
				hooktest.Must(t, r.Wait(t))
			}
			if got := inflight.Peak(); got != int64(writers) {
				t.Fatalf("peak store writes in flight = %d, want %d", got, writers)
			}
		})
	}
}

// Many workers over few keys on every operation: the race detector checks
// that every shared field is accessed under its lock (the gaps are logical
// races only), and held_io stays zero: no lock is held across store I/O.
func TestMixedNoDataRace(t *testing.T) {
	for _, tc := range []struct {
		name         string
		workers, ops int
		keys         int
		cfg          ctxsys.Config
	}{
		{"few-keys", 8, 300, 3, ctxsys.Config{MaxContexts: 2, MaxRecoveryPoints: 2, TTL: time.Minute, AutoRecovery: true}},
		{"many-keys", 8, 300, 50, ctxsys.Config{MaxRecoveryPoints: 3, TTL: 2 * time.Minute, AutoRecovery: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.cfg, nil, nil)
			mix := hooktest.Mixed{Workers: tc.workers, Ops: tc.ops, Keys: tc.keys, Seed: 1, Tick: func() { e.Clock.Advance(time.Minute) }}
			kinds, err := mix.Run(context.Background(), e.Sys)
			if err != nil {
				t.Fatal(err)
			}
			if kinds[""] < tc.workers*tc.ops/4 {
				t.Fatalf("outcomes %v: too few successes for the mix to mean much", kinds)
			}
			t.Logf("outcomes: %v", kinds)
			for name, s := range e.Locks.Snapshot() {
				if s.HeldIONs != 0 {
					t.Errorf("%s: held_io = %d ns, want 0 (no lock across I/O)", name, s.HeldIONs)
				}
			}
		})
	}
}
