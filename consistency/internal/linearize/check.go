package linearize

import (
	"context"
	"fmt"
	"time"

	"github.com/anishathalye/porcupine"
)

// quickWindowOps is the size of the short windows porcupine gets first when
// a window could not be linearized greedily. Proving a history illegal
// means trying every linearization, which on a few hundred concurrent
// operations can take porcupine seconds; proving a short window illegal is
// cheap, and most violations are local in time (a stale read, a write that
// landed out of order). Each short window is sound on its own (see window).
const quickWindowOps = 32

// maxQuickChecks bounds the short windows porcupine gets per window.
const maxQuickChecks = 16

// searchTimeLimit bounds the search per window.
const searchTimeLimit = 250 * time.Millisecond

// quickTimeLimit bounds each check of a short window: one it cannot decide
// in that time is left to the check of the whole window.
const quickTimeLimit = 200 * time.Millisecond

// shrinkOps is the size below which an illegal window is not halved.
const shrinkOps = 16

type checker struct {
	opt      Options
	ctx      context.Context
	deadline time.Time
}

// check decides one partition: witnesses, then the shortcuts on the whole
// partition, then window by window (one window unless the partition is
// longer than WindowOps) the shortcuts again and, where they fail,
// porcupine — on short windows for a quick proof of a violation, then on
// the whole window.
func (c *checker) check(pp *Partition) Result {
	if len(pp.Ops) == 0 {
		return Result{Verdict: porcupine.Ok}
	}
	p := newPart(pp)
	if r, ok := c.witness(p); ok && !c.opt.PorcupineOnly {
		return r
	}
	n := len(p.ops)
	if c.proved(p, 0, n) {
		return Result{Verdict: porcupine.Ok}
	}
	windows := (n + c.opt.WindowOps - 1) / c.opt.WindowOps
	out := Result{Verdict: porcupine.Ok}
	for w := 0; w < windows; w++ {
		lo, hi := w*n/windows, (w+1)*n/windows
		if windows > 1 && c.proved(p, lo, hi) {
			continue
		}
		if r, illegal := c.checkWindow(p, lo, hi); illegal {
			return r
		} else if r.Verdict == porcupine.Unknown {
			out = r
		}
	}
	if out.Verdict == porcupine.Ok && windows > 1 {
		out = Result{Verdict: porcupine.Unknown,
			Why: fmt.Sprintf("more than %d operations, checked in windows: no violation found", c.opt.WindowOps)}
	}
	return out
}

// checkWindow asks porcupine about operations lo..hi-1 of p: first in short
// windows, for a quick proof of a local violation, then whole. An illegal
// verdict comes shrunk and true.
func (c *checker) checkWindow(p *part, lo, hi int) (Result, bool) {
	if hi-lo > quickWindowOps {
		if r, qlo, qhi, found := c.pass(p, lo, hi, quickWindowOps, min(quickTimeLimit, c.opt.TimeLimit)); found {
			return c.shrink(p, qlo, qhi, r), true
		}
	}
	r := c.porcupine(p, lo, hi, c.opt.TimeLimit)
	if r.Verdict == porcupine.Illegal {
		return c.shrink(p, lo, hi, r), true
	}
	return r, false
}

// proved reports whether a shortcut linearizes operations lo..hi-1 of p.
func (c *checker) proved(p *part, lo, hi int) bool {
	deadline := time.Now().Add(c.opt.TimeLimit)
	if c.deadline.Before(deadline) {
		deadline = c.deadline
	}
	if c.ctx.Err() != nil || c.opt.PorcupineOnly {
		return false
	}
	a := &attempt{m: p.model, pm: c.model(p, lo), ops: p.window(lo, hi), deadline: deadline}
	if a.byClusters() || a.greedily() {
		return true
	}
	// The search is complete but exponential at worst, and on an
	// illegal history it runs out its time: keep it short.
	if searchDeadline := time.Now().Add(searchTimeLimit); searchDeadline.Before(a.deadline) {
		a.deadline = searchDeadline
	}
	return len(a.ops) <= c.opt.WindowOps && a.search()
}

// witness looks for the cheapest proofs first: the final reads disagreeing
// among themselves (they are read at one instant after every operation
// returned, so they form a window of their own), and an output no state
// can produce (a counter above the bound). Porcupine would find both, but
// only after trying every order of the concurrent operations before them.
func (c *checker) witness(p *part) (Result, bool) {
	if r, ok := c.finalWitness(p); ok {
		return r, true
	}
	for _, op := range p.ops {
		out := op.Output.(Output)
		if p.model.isRead(op) && out.Err == OK && out.HasCount && p.model.Bound.Above(out.Count) {
			model := p.model.porcupine(State{})
			verdict, info := porcupine.CheckOperationsVerbose(model, []porcupine.Operation{op}, c.opt.TimeLimit)
			if verdict == porcupine.Illegal {
				return Result{Verdict: verdict, info: info, model: model, Shown: 1}, true
			}
		}
	}
	return Result{}, false
}

// finalWitness checks the final reads on their own. For the visualisation
// it adds the writes of the values they returned: still illegal (nothing
// can come between reads taken at one instant after everything returned),
// and it shows which writes left them apart.
func (c *checker) finalWitness(p *part) (Result, bool) {
	n, first := len(p.ops), p.final
	if n-first < 2 || first == 0 {
		return Result{}, false
	}
	r := c.porcupine(p, first, n, c.opt.TimeLimit)
	if r.Verdict != porcupine.Illegal {
		return Result{}, false
	}
	r.Shown = n - first
	ops := p.model.writersOf(p.ops[:first], p.ops[first:])
	ops = append(ops, p.ops[first:]...)
	model := p.model.porcupine(State{})
	if v, info := porcupine.CheckOperationsVerbose(model, ops, min(quickTimeLimit, c.opt.TimeLimit)); v == porcupine.Illegal {
		r = Result{Verdict: v, info: info, model: model, Shown: len(ops)}
	}
	return r, true
}

// writersOf returns the operations of ops that wrote a value one of reads
// returned.
func (m *Model) writersOf(ops, reads []porcupine.Operation) []porcupine.Operation {
	read := map[string]bool{}
	for _, r := range reads {
		if out := r.Output.(Output); out.Data != "" {
			read[out.Data] = true
		}
	}
	var out []porcupine.Operation
	for _, op := range ops {
		if d := m.writes(op); d != "" && read[d] {
			out = append(out, op)
		}
	}
	return out
}

// pass checks operations lo..hi-1 of p in consecutive windows of about size
// operations — with the shortcuts, then with porcupine where they fail, at
// most maxQuickChecks times — and stops at the first illegal one (found),
// returning its bounds.
func (c *checker) pass(p *part, lo, hi, size int, limit time.Duration) (r Result, wlo, whi int, found bool) {
	n := hi - lo
	windows := (n + size - 1) / size
	for w, checks := 0, 0; w < windows && checks < maxQuickChecks; w++ {
		wlo, whi = lo+w*n/windows, lo+(w+1)*n/windows
		if c.proved(p, wlo, whi) {
			continue
		}
		checks++
		if wr := c.porcupine(p, wlo, whi, limit); wr.Verdict == porcupine.Illegal {
			return wr, wlo, whi, true
		}
	}
	return Result{}, 0, 0, false
}

// shrink halves an illegal window while a half is still illegal, so the
// visualisation shows few operations around the violation. Every half is
// checked soundly (see window), so the smaller window is a real violation.
func (c *checker) shrink(p *part, lo, hi int, best Result) Result {
	best.Shown = hi - lo
	for hi-lo > shrinkOps {
		mid := (lo + hi) / 2
		if r, ok := c.illegal(p, lo, mid); ok {
			best, hi = r, mid
		} else if r, ok := c.illegal(p, mid, hi); ok {
			best, lo = r, mid
		} else {
			break
		}
		best.Shown = hi - lo
	}
	return best
}

// illegal reports whether porcupine quickly proves operations lo..hi-1 of
// p illegal (after the shortcuts failed to prove them legal).
func (c *checker) illegal(p *part, lo, hi int) (Result, bool) {
	if c.proved(p, lo, hi) {
		return Result{}, false
	}
	r := c.porcupine(p, lo, hi, min(quickTimeLimit, c.opt.TimeLimit))
	return r, r.Verdict == porcupine.Illegal
}

// porcupine checks operations lo..hi-1 of p with porcupine, within limit
// and what is left of the budget.
func (c *checker) porcupine(p *part, lo, hi int, limit time.Duration) Result {
	left := time.Until(c.deadline)
	if left <= 0 || c.ctx.Err() != nil {
		return Result{Verdict: porcupine.Unknown, Why: "not checked: time budget spent or check canceled"}
	}
	model := c.model(p, lo)
	verdict, info := porcupine.CheckOperationsVerbose(model, p.window(lo, hi), min(limit, left))
	r := Result{Verdict: verdict, info: info, model: model}
	if verdict == porcupine.Unknown {
		r.Why = fmt.Sprintf("porcupine ran out of time (%v per check)", limit)
	}
	return r
}

// model is p's model for a window starting at operation lo: from the
// initial state for the first window, from an unknown state otherwise.
func (c *checker) model(p *part, lo int) porcupine.Model {
	if lo > 0 {
		return p.model.porcupine(State{})
	}
	return p.model.porcupine(p.model.Init)
}
