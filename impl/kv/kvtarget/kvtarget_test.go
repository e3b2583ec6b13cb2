package kvtarget_test

import (
	"context"
	"testing"

	"lockbench/impl/kv/kvtarget"
	"lockbench/lock"
	"lockbench/store"
	"lockbench/target"
)

// TestTarget runs every strategy through the target interface the runner
// uses: preload, clients, Observe, Check.
func TestTarget(t *testing.T) {
	tg, err := target.Lookup(kvtarget.Name)
	if err != nil {
		t.Fatal(err)
	}
	put, _ := tg.Op("kv.put")
	get, _ := tg.Op("kv.get")
	scan, _ := tg.Op("kv.scan")
	for _, s := range tg.Strategies() {
		t.Run(s.Name, func(t *testing.T) {
			ctx := lock.WithTrace(context.Background(), &lock.Trace{})
			mem := store.NewMemory()
			var clock int64
			sys, err := s.New(target.Deps{Store: store.Instrument(mem, store.Hooks{}), Locks: lock.NewSet(true), Clients: 2, History: true,
				Now: func() int64 { clock++; return clock }})
			if err != nil {
				t.Fatal(err)
			}
			if err := sys.(target.Preloader).Preload(ctx, []string{"c000000", "c000001"}, nil); err != nil {
				t.Fatal(err)
			}
			c0, c1 := sys.Client(0), sys.Client(1)
			for i, step := range []struct {
				c   target.Client
				op  target.Op
				key string
			}{{c0, put, "c000000"}, {c1, get, "c000000"}, {c1, put, "c000002"}, {c0, scan, "c000000"}} {
				err := step.c.Do(ctx, step.op, step.key)
				step.c.(target.Observer).Observe(int64(2*i+1), int64(2*i+2), err)
			}
			res := sys.(target.Checker).Check(ctx, target.CheckInput{Store: mem})
			if !res.Checked || res.Linearizable != "ok" {
				t.Fatalf("check: %+v", res)
			}
			for kind, n := range res.Anomalies {
				if n != 0 {
					t.Errorf("%s = %d", kind, n)
				}
			}
		})
	}
}
