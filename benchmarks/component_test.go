package benchmarks

import (
	"fmt"
	"strings"
	"testing"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/workload"
)

// opBench is one component operation under benchmark.
type opBench struct {
	op workload.Op
	// through: which component the preloaded contexts are created with.
	through via
	// fresh: the operation needs ids nobody used (create): its generator
	// draws from the distribution unique.
	fresh bool
	// consume: every iteration removes a context of its own (delete): each
	// trial preloads b.N more contexts after the key space, and iteration
	// i gets the i-th of them.
	consume bool
	// tracker: each client gets a tracker, activated on a preloaded
	// context of its own.
	tracker bool
	call    opFunc
}

// keys is the key space of the component benchmarks, all preloaded.
const keys = 1024

var managerOps = []opBench{
	{op: ctxsys.ManagerCreate, fresh: true, call: func(c *client, id string, _ int) error {
		return c.sys.Manager.Create(c.ctx, id, c.state(id))
	}},
	{op: ctxsys.ManagerGet, call: func(c *client, id string, _ int) error {
		_, err := c.sys.Manager.Get(c.ctx, id)
		return err
	}},
	{op: ctxsys.ManagerUpdate, call: func(c *client, id string, _ int) error {
		return c.sys.Manager.Update(c.ctx, id, c.state(id))
	}},
	{op: ctxsys.ManagerDelete, consume: true, call: func(c *client, _ string, i int) error {
		return c.sys.Manager.Delete(c.ctx, workload.ContextID(c.consumable+i))
	}},
	{op: ctxsys.ManagerRecoveryPoint, call: func(c *client, id string, _ int) error {
		_, err := c.sys.Manager.CreateRecoveryPoint(c.ctx, id)
		return err
	}},
}

var trackerOps = []opBench{
	{op: ctxsys.TrackerUpdateState, tracker: true, call: func(c *client, _ string, _ int) error {
		return c.tracker.UpdateState(c.ctx, c.state(workload.ContextID(c.id%c.keys)))
	}},
	{op: ctxsys.TrackerSync, tracker: true, call: func(c *client, _ string, _ int) error {
		return c.tracker.Sync(c.ctx)
	}},
}

var adapterOps = []opBench{
	{op: ctxsys.AdapterCreate, through: viaAdapter, fresh: true, call: func(c *client, id string, _ int) error {
		_, err := c.sys.Adapter.Create(c.ctx, id, payload)
		return err
	}},
	{op: ctxsys.AdapterUpdate, through: viaAdapter, call: func(c *client, id string, _ int) error {
		_, err := c.sys.Adapter.Update(c.ctx, id, payload)
		return err
	}},
	// With a one-hour ttl nothing expires: cleanup is the scan, under the
	// lock each strategy takes for it.
	{op: ctxsys.AdapterCleanup, through: viaAdapter, call: func(c *client, _ string, _ int) error {
		_, err := c.sys.Adapter.CleanupExpired(c.ctx)
		return err
	}},
}

func BenchmarkManager(b *testing.B) { benchComponent(b, managerOps) }
func BenchmarkTracker(b *testing.B) { benchComponent(b, trackerOps) }
func BenchmarkAdapter(b *testing.B) { benchComponent(b, adapterOps) }

// benchComponent runs every operation of ops at every concurrency against
// every registered strategy.
func benchComponent(b *testing.B, ops []opBench) {
	set := suiteSettings(b)
	for _, ob := range ops {
		spec, err := ob.spec()
		if err != nil {
			b.Fatal(err)
		}
		calls := newOpTable()
		calls[ob.op] = ob.call
		name := ctxsys.Ops[ob.op].Name[len(ctxsys.OpComponent(ob.op))+1:] // "update" of "manager.update"
		for _, conc := range set.conc {
			for _, strategy := range impl.Names() {
				runSub(b, fmt.Sprintf("op=%s/keys=%d/conc=%d/strategy=%s", name, spec.Keys, conc, strategy), setup{
					strategy: strategy, store: set.store, instrument: true, timed: true,
					spec: spec, conc: conc, through: ob.through, tracker: ob.tracker, consume: ob.consume,
					calls: calls,
				})
			}
		}
	}
}

// spec is the operation as a workload: the generators' mix and key space,
// and the system configuration.
func (ob opBench) spec() (*workload.Spec, error) {
	distribution := workload.Uniform
	if ob.fresh {
		distribution = workload.Unique
	}
	doc := strings.Join([]string{
		"name: benchmark-" + strings.NewReplacer(".", "-", "_", "-").Replace(ctxsys.Ops[ob.op].Name),
		fmt.Sprintf("mix: {%s: 1}", ctxsys.Ops[ob.op].Name),
		fmt.Sprintf("keys: %d", keys),
		fmt.Sprintf("preload: %d", keys),
		"distribution: " + distribution,
		// Creates and deletes add b.N contexts: a limit none reaches.
		fmt.Sprintf("config: {max_contexts: %d}", workload.MaxMaxContexts),
	}, "\n")
	return workload.Parse([]byte(doc), "benchmark of "+ctxsys.Ops[ob.op].Name)
}
