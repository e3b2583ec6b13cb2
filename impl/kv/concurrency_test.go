package kv_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"lockbench/impl/kv"
	"lockbench/impl/kv/kvcheck"
)

// TestMixedConcurrent drives every strategy with a random mix of every
// operation from several goroutines on a few keys, under the race detector,
// and checks the history: the linearizable strategies must pass every check.
// (racy may or may not be caught by a random schedule; the interleaving
// tests catch it deterministically.)
func TestMixedConcurrent(t *testing.T) {
	const workers, opsEach, keys = 8, 300, 4
	for _, s := range kv.Strategies() {
		t.Run(s.Name, func(t *testing.T) {
			e := newEnv(t, s, nil, nil)
			var wg sync.WaitGroup
			for w := range workers {
				wg.Go(func() {
					rng := rand.New(rand.NewPCG(uint64(w), 7))
					for i := range opsEach {
						key := fmt.Sprintf("k%d", rng.IntN(keys))
						value := fmt.Sprintf("w%d-%d", w, i)
						var r kv.Record
						switch p := rng.IntN(10); {
						case p < 3:
							r = get(key)
						case p < 5:
							r = put(key, value)
						case p < 7:
							r = putIfAbsent(key, value)
						case p < 9:
							r = del(key)
						default:
							r = scan(key, 2)
						}
						r.Client = w
						e.do(context.Background(), r)
					}
				})
			}
			wg.Wait()
			res := e.check(t)
			if s.Linearizable && (anomalies(res) != 0 || res.Linearizable != kvcheck.Ok) {
				t.Errorf("checker: %+v", res)
			}
		})
	}
}
