// Package linearize decides whether histories are linearizable against a
// sequential model, partition by partition, with
// github.com/anishathalye/porcupine as the judge of last resort.
//
// A model is a table of steps over a State (Model); the caller splits its
// history into independent partitions (one per key) and gives each its
// model. Check returns a verdict per partition — porcupine's Ok, Illegal or
// Unknown, as a value — and, for an illegal one, porcupine's visualisation
// of the smallest window found illegal.
//
// Deciding a partition, cheapest first:
//
//  1. Witnesses: the final reads (Op.Final) disagreeing among themselves
//     (read at one instant after everything returned, they need nothing
//     else to be illegal), and counters no state can have (Bound).
//  2. Shortcuts that prove linearizability by building a linearization and
//     replaying it through the model: the order of clusters (a write and
//     the operations that saw its unique data) that real time allows,
//     found in O(n log n); failing that, a greedy construction; failing
//     that, for up to WindowOps operations, a depth-first search like
//     porcupine's but trying candidates in a better order, for at most
//     250 ms. A linearization found is a proof; not finding one proves
//     nothing. They exist because porcupine tries pending operations in
//     call order, and when many callers queue on one lock the first to call
//     is often the last served: porcupine then backtracks through their
//     orders — seconds for a few hundred operations of 16 workers on one
//     key, where the clusters take a few hundred milliseconds for 200,000.
//  3. porcupine.CheckOperationsVerbose, with Options.TimeLimit per check:
//     first on short windows (32 operations, 200 ms each, at most 16) for a
//     quick proof of a local violation, then on the whole window. A check
//     that runs out of time is Unknown, never a hang, and all checks
//     together stop at Options.Budget.
//
// Porcupine's memory grows with the square of a check's length, so a
// partition longer than Options.WindowOps that the shortcuts cannot prove
// is checked in consecutive windows: a window starts from an unknown
// state, takes the operations of earlier windows still running at its
// start as operations with an unknown outcome, and gives its own
// operations still running when the next window starts an unknown outcome
// and Return = +∞. Whatever linearizes the whole partition linearizes
// every window, so a violation in a window is real; windows that all pass
// make the partition Unknown. An illegal window is halved while a half
// stays illegal, so the visualisation shows few operations.
package linearize

import (
	"context"
	"io"
	"math"
	"runtime"
	"sort"
	"sync/atomic"
	"time"

	"github.com/anishathalye/porcupine"
	"golang.org/x/sync/errgroup"
)

// never is the Return of an operation whose effect may come after every
// other operation.
const never = math.MaxInt64

// Partition is the history of one key with its model.
type Partition struct {
	Name  string
	Model Model // Model.Init is the state before the first operation
	Ops   []Op
}

// Options bound the checks. Zero fields mean their defaults.
type Options struct {
	// TimeLimit bounds one porcupine check (0: 2s).
	TimeLimit time.Duration
	// WindowOps is the most operations porcupine checks at once (0:
	// 10,000; at least 2).
	WindowOps int
	// Budget bounds all checks together (0: a minute); partitions not
	// decided by then are Unknown.
	Budget time.Duration
	// PorcupineOnly skips the witnesses and shortcuts, so tests can
	// compare them with porcupine alone.
	PorcupineOnly bool
}

func (o Options) withDefaults() Options {
	if o.TimeLimit <= 0 {
		o.TimeLimit = 2 * time.Second
	}
	if o.WindowOps <= 0 {
		o.WindowOps = 10_000
	}
	o.WindowOps = max(o.WindowOps, 2)
	if o.Budget <= 0 {
		o.Budget = time.Minute
	}
	return o
}

// Result is the verdict on one partition.
type Result struct {
	Verdict porcupine.CheckResult
	// Why says why an Unknown verdict could not be decided.
	Why string
	// Shown is the number of operations in the illegal window the
	// visualisation shows.
	Shown int
	model porcupine.Model
	info  porcupine.LinearizationInfo
}

// Visualize writes porcupine's HTML visualisation of an Illegal verdict.
func (r Result) Visualize(w io.Writer) error { return porcupine.Visualize(r.model, r.info, w) }

// NotChecked is the Why of partitions left once another was found illegal.
const NotChecked = "not checked: a violation was already found"

// Check decides every partition, in parallel, and returns their verdicts
// in order. One violation decides a history: once a partition is found
// illegal, partitions not started yet are left Unknown (Why: NotChecked),
// so a badly broken history does not spend the whole budget proving it
// again and again.
func Check(ctx context.Context, parts []Partition, opt Options) []Result {
	c := checker{opt: opt.withDefaults(), ctx: ctx}
	c.deadline = time.Now().Add(c.opt.Budget)
	res := make([]Result, len(parts))
	var violated atomic.Bool
	g := new(errgroup.Group)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i := range parts {
		g.Go(func() error {
			if violated.Load() {
				res[i] = Result{Verdict: porcupine.Unknown, Why: NotChecked}
				return nil
			}
			res[i] = c.check(&parts[i])
			if res[i].Verdict == porcupine.Illegal {
				violated.Store(true)
			}
			return nil
		})
	}
	_ = g.Wait()
	return res
}

// part is a partition as the checks see it: porcupine's operations, by
// Call, the final reads last.
type part struct {
	model *Model
	ops   []porcupine.Operation
	final int // ops[final:] are final reads
}

func newPart(p *Partition) *part {
	order := make([]int, len(p.Ops))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return p.Ops[order[i]].Call < p.Ops[order[j]].Call })
	ops := make([]porcupine.Operation, len(p.Ops))
	final := len(ops)
	for k, i := range order {
		op := &p.Ops[i]
		ops[k] = porcupine.Operation{ClientId: op.Client, Input: op.In, Output: op.Out,
			Call: op.Call, Return: op.Return, Metadata: op.Metadata}
		if !op.Final {
			final = len(ops)
		} else if final == len(ops) {
			final = k
		}
	}
	return &part{model: &p.Model, ops: ops, final: final}
}
