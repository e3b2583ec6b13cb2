package consistency

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/lock"
	"lockbench/results"
	"lockbench/store"
)

// scenario is a short concurrent burst on a real strategy, in the spirit of
// one contention workload.
type scenario struct {
	name string
	run  func(t *testing.T, strategy string, seed uint64, outDir string) results.Consistency
}

const burstWorkers = 16

func pick(r *rand.Rand, n int) string { return fmt.Sprintf("k%d", r.IntN(n)) }

var scenarios = []scenario{
	{
		name: "same-context-update",
		run: func(t *testing.T, strategy string, seed uint64, outDir string) results.Consistency {
			h := newHarness(t, strategy, burstWorkers, ctxsys.Config{}, true)
			h.create(-1, "k")
			h.burst(burstWorkers, func(w int) {
				r := rand.New(rand.NewPCG(seed, uint64(w)))
				for range 20 {
					if r.IntN(10) < 7 {
						h.update(w, "k")
					} else {
						h.get(w, "k")
					}
				}
			})
			// A last round of updates released together, so the run
			// ends on concurrent writes rather than on a lone one.
			h.burst(burstWorkers, func(w int) { h.update(w, "k") })
			return h.check(outDir)
		},
	},
	{
		name: "mass-creation-at-the-limit",
		run: func(t *testing.T, strategy string, seed uint64, outDir string) results.Consistency {
			h := newHarness(t, strategy, burstWorkers, ctxsys.Config{MaxContexts: 12}, true)
			h.burst(burstWorkers, func(w int) {
				r := rand.New(rand.NewPCG(seed, uint64(w)))
				for range 6 {
					h.create(w, pick(r, 20))
					// Readers make writers queue on the map lock, so more
					// checks fall inside another create's gap.
					h.list(w)
				}
			})
			return h.check(outDir)
		},
	},
	{
		name: "create-update-delete",
		run: func(t *testing.T, strategy string, seed uint64, outDir string) results.Consistency {
			h := newHarness(t, strategy, burstWorkers, ctxsys.Config{MaxContexts: 4}, true)
			h.burst(burstWorkers, func(w int) {
				r := rand.New(rand.NewPCG(seed, uint64(w)))
				for range 16 {
					switch id := pick(r, 8); r.IntN(9) {
					case 0, 1, 2, 3:
						h.create(w, id)
					case 4, 5:
						h.delete(w, id)
					case 6:
						h.update(w, id)
					case 7:
						h.list(w)
					default:
						h.get(w, id)
					}
				}
			})
			return h.check(outDir)
		},
	},
	{
		name: "shared-tracker",
		run: func(t *testing.T, strategy string, seed uint64, outDir string) results.Consistency {
			h := newHarness(t, strategy, burstWorkers, ctxsys.Config{}, true)
			h.trackers = append(h.trackers, h.sys.NewTracker())
			h.burst(burstWorkers, func(w int) {
				r := rand.New(rand.NewPCG(seed, uint64(w)))
				for range 30 {
					if r.IntN(10) < 7 {
						h.updateState(w, 0)
					} else {
						h.getState(w, 0)
					}
				}
			})
			return h.check(outDir)
		},
	},
	{
		name: "trackers-syncing",
		run: func(t *testing.T, strategy string, seed uint64, outDir string) results.Consistency {
			h := newHarness(t, strategy, burstWorkers, ctxsys.Config{}, true)
			for i := range 4 {
				h.create(-1, fmt.Sprintf("k%d", i))
			}
			for w := range burstWorkers {
				h.trackers = append(h.trackers, h.sys.NewTracker())
				h.activate(-1, w, fmt.Sprintf("k%d", w%4))
			}
			h.burst(burstWorkers, func(w int) {
				r := rand.New(rand.NewPCG(seed, uint64(w)))
				for range 12 {
					switch r.IntN(4) {
					case 0:
						h.updateState(w, w)
					case 1:
						h.sync(w, w)
					case 2:
						h.update(w, fmt.Sprintf("k%d", w%4))
					default:
						h.get(w, fmt.Sprintf("k%d", w%4))
					}
				}
			})
			return h.check(outDir)
		},
	},
	{
		name: "cleanup-storm",
		run: func(t *testing.T, strategy string, seed uint64, outDir string) results.Consistency {
			h := newHarness(t, strategy, burstWorkers, ctxsys.Config{TTL: time.Hour}, true)
			for i := range 16 {
				h.adapterCreate(-1, fmt.Sprintf("k%d", i))
			}
			h.clock.offset.Add(int64(2 * time.Hour)) // every context is now expired
			h.burst(burstWorkers, func(w int) {
				r := rand.New(rand.NewPCG(seed, uint64(w)))
				for range 8 {
					if w == 0 {
						h.cleanup(w)
					} else {
						h.adapterUpdate(w, pick(r, 16))
					}
				}
			})
			return h.check(outDir)
		},
	},
	{
		name: "concurrent-recovery-points",
		run: func(t *testing.T, strategy string, seed uint64, outDir string) results.Consistency {
			h := newHarness(t, strategy, burstWorkers, ctxsys.Config{MaxRecoveryPoints: 3}, true)
			h.create(-1, "k")
			h.burst(burstWorkers, func(w int) {
				r := rand.New(rand.NewPCG(seed, uint64(w)))
				for range 6 {
					switch r.IntN(10) {
					case 0, 1, 2, 3, 4, 5:
						h.recoveryPoint(w, "k")
					case 6, 7:
						h.update(w, "k")
					default:
						h.recoveryPoints(w, "k")
					}
				}
			})
			return h.check(outDir)
		},
	},
}

// TestCorrectStrategies: naive and sharded never show an anomaly and their
// histories are linearizable.
func TestCorrectStrategies(t *testing.T) {
	for _, strategy := range []string{"naive", "sharded"} {
		for _, sc := range scenarios {
			t.Run(strategy+"/"+sc.name, func(t *testing.T) {
				for seed := range uint64(3) {
					got := sc.run(t, strategy, seed, "")
					for _, kind := range Kinds {
						if got.Anomalies[kind] != 0 {
							t.Errorf("seed %d: %s = %d, want 0 (notes %q)", seed, kind, got.Anomalies[kind], got.Notes)
						}
					}
					if got.Linearizable != results.LinOK {
						t.Errorf("seed %d: linearizable = %q, want ok (notes %q)", seed, got.Linearizable, got.Notes)
					}
				}
			})
		}
	}
}

// failingStore fails every Put whose turn comes up in fail (1-based), before
// writing anything, like the sim store's injected failures.
type failingStore struct {
	store.Store
	puts atomic.Int64
	fail map[int64]bool
}

func (f *failingStore) Put(ctx context.Context, key string, value []byte) error {
	if f.fail[f.puts.Add(1)] {
		return store.ErrInjected
	}
	return f.Store.Put(ctx, key, value)
}

// TestFaultInterplay: a write whose caller was told it failed is not lost
// data. naive and sharded leave memory unchanged; refactored leaves memory
// changed and the store not, which is failed_write_visible, never
// store_divergence, and a read of it is legal (the write may have happened).
func TestFaultInterplay(t *testing.T) {
	tests := []struct {
		strategy string
		visible  int64
	}{
		{"naive", 0},
		{"sharded", 0},
		{"refactored", 1},
	}
	for _, tt := range tests {
		t.Run(tt.strategy, func(t *testing.T) {
			h := newHarness(t, tt.strategy, 1, ctxsys.Config{}, true)
			// Rebuild the system over a store whose third Put fails.
			s, _ := impl.Lookup(tt.strategy)
			var err error
			h.sys, err = s.New(impl.Deps{
				Store:  store.Instrument(&failingStore{Store: h.raw, fail: map[int64]bool{3: true}}, store.Hooks{}),
				Locks:  lock.NewSet(true),
				Clock:  h.clock,
				Config: ctxsys.Config{}.WithDefaults(),
			})
			if err != nil {
				t.Fatal(err)
			}
			h.create(0, "k") // put 1
			h.update(0, "k") // put 2
			h.update(0, "k") // put 3 fails
			h.get(0, "k")
			got := h.check("")
			for _, kind := range Kinds {
				want := int64(0)
				if kind == FailedWriteVisible {
					want = tt.visible
				}
				if got.Anomalies[kind] != want {
					t.Errorf("%s = %d, want %d", kind, got.Anomalies[kind], want)
				}
			}
			if got.Linearizable != results.LinOK {
				t.Errorf("linearizable = %q, want ok (notes %q)", got.Linearizable, got.Notes)
			}
		})
	}
}
