package main

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/anishathalye/porcupine"

	"lockbench/lock"
	"lockbench/results"
	"lockbench/store"
	"lockbench/target"
	"lockbench/target/history"
)

// The quota type's operations; Op(i) is ops[i].
const (
	opTake target.Op = iota
	opRefill
	opTokens
)

var ops = []target.OpSpec{
	opTake:   {Name: "quota.take", Keyed: true, Writes: true},
	opRefill: {Name: "quota.refill", Keyed: true, Writes: true, Creates: true},
	opTokens: {Name: "quota.tokens", Keyed: true},
}

// strategy turns a Quota constructor into a target strategy.
func strategy(name, description string, newQuota func(*lock.Set, store.Store) Quota) target.Strategy {
	return target.Strategy{
		Name:        name,
		Description: description,
		New: func(d target.Deps) (target.System, error) {
			s := &system{q: newQuota(d.Locks, d.Store)}
			if d.History {
				s.rec = history.New(d.Clients)
				// A hot key's history is long; past this, "unknown".
				s.rec.Timeout = 2 * time.Second
			}
			return s, nil
		},
	}
}

func init() {
	target.MustRegister(target.Target{
		Name:        "quota",
		Description: "an example: per-key token quota with write-through to the store (examples/quota)",
		Ops:         ops,
		Strategies: target.List(
			strategy("mutex", "one lock held across check, change and store write", newMutex),
			strategy("striped", "per-key stripes held across the key's store write; the map lock never across I/O", newStriped),
			strategy("unlocked-io", "check under a read lock, store write with no lock, change under the write lock: racy", newUnlockedIO),
		),
		Consistency: "memory = store at quiescence; porcupine per-key quota model with --history",
	})
}

// system is one Quota as a target.System: a Preloader (refills the
// preloaded keys) and a Checker.
type system struct {
	q   Quota
	rec *history.Recorder // nil without --history
}

var (
	_ target.Preloader = (*system)(nil)
	_ target.Checker   = (*system)(nil)
)

// input and output are what the history records of an operation.
type input struct {
	op  target.Op
	key string
}

type output struct {
	ok     bool // take: a token was spent
	tokens int  // tokens: the count read
	failed bool // the store call failed: the operation may or may not have taken effect
}

// do executes one operation.
func (s *system) do(ctx context.Context, op target.Op, key string) (any, any, error) {
	var out output
	var err error
	switch op {
	case opTake:
		out.ok, err = s.q.Take(ctx, key)
	case opRefill:
		err = s.q.Refill(ctx, key)
	case opTokens:
		out.tokens, err = s.q.Tokens(ctx, key)
	default:
		err = fmt.Errorf("quota: no operation %d", op)
	}
	out.failed = err != nil
	return input{op, key}, out, err
}

func (s *system) Client(w int) target.Client {
	if s.rec != nil {
		return s.rec.Client(w, s.do)
	}
	return target.ClientFunc(func(ctx context.Context, op target.Op, key string) error {
		_, _, err := s.do(ctx, op, key)
		return err
	})
}

// Preload gives every preloaded key its Capacity, recorded as client -1.
func (s *system) Preload(ctx context.Context, keys []string, _ []target.Op) error {
	for _, key := range keys {
		err := s.q.Refill(ctx, key)
		if s.rec != nil {
			s.rec.Record(-1, input{opRefill, key}, output{failed: err != nil}, 0, 0)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Check compares memory with the store key by key (a key whose counts
// differ is a store_divergence) and, with a history, checks it against the
// per-key quota model.
func (s *system) Check(ctx context.Context, in target.CheckInput) results.Consistency {
	c := results.Consistency{Checked: true, Anomalies: map[string]int64{"store_divergence": 0}, Linearizable: results.LinSkipped}
	stored, err := storedTokens(ctx, in.Store)
	if err != nil {
		c.Notes = append(c.Notes, "store not read: "+err.Error())
	}
	mem := s.q.Snapshot()
	for key, n := range mem {
		if stored[key] != n {
			c.Anomalies["store_divergence"]++
		}
	}
	for key := range stored {
		if _, ok := mem[key]; !ok {
			c.Anomalies["store_divergence"]++
		}
	}
	if s.rec != nil {
		verdict, file, err := s.rec.Check(model, in.OutDir, in.RunName)
		c.Linearizable, c.Visualization = verdict, file
		if err != nil {
			c.Notes = append(c.Notes, err.Error())
		}
	}
	return c
}

// model is the quota's sequential specification, one partition per key: a
// take succeeds exactly when a token is left, a refill sets Capacity, a
// read sees the count. An operation whose store call failed may or may not
// have happened, so the model is nondeterministic for it.
var model = (&porcupine.NondeterministicModel{
	Partition: func(history []porcupine.Operation) [][]porcupine.Operation {
		byKey := map[string][]porcupine.Operation{}
		for _, op := range history {
			k := op.Input.(input).key
			byKey[k] = append(byKey[k], op)
		}
		keys := make([]string, 0, len(byKey))
		for k := range byKey {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make([][]porcupine.Operation, len(keys))
		for i, k := range keys {
			out[i] = byKey[k]
		}
		return out
	},
	Init: func() []any { return []any{0} },
	Step: func(state, in, out any) []any {
		n, i, o := state.(int), in.(input), out.(output)
		switch {
		case o.failed && i.op == opTake:
			return []any{n, max(n-1, 0)}
		case o.failed && i.op == opRefill:
			return []any{n, Capacity}
		case o.failed:
			return []any{n}
		case i.op == opTake && o.ok && n > 0:
			return []any{n - 1}
		case i.op == opTake && !o.ok && n == 0:
			return []any{0}
		case i.op == opRefill:
			return []any{Capacity}
		case i.op == opTokens && o.tokens == n:
			return []any{n}
		}
		return nil
	},
	DescribeOperation: func(in, out any) string {
		i, o := in.(input), out.(output)
		switch {
		case o.failed:
			return fmt.Sprintf("%s(%s) failed", ops[i.op].Name, i.key)
		case i.op == opTake:
			return fmt.Sprintf("take(%s) -> %v", i.key, o.ok)
		case i.op == opTokens:
			return fmt.Sprintf("tokens(%s) -> %d", i.key, o.tokens)
		}
		return fmt.Sprintf("refill(%s)", i.key)
	},
}).ToModel()
