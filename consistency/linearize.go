package consistency

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/anishathalye/porcupine"
	"golang.org/x/sync/errgroup"

	"lockbench/results"
)

// partResult is the verdict on one partition.
type partResult struct {
	verdict porcupine.CheckResult
	why     string // for Unknown: why it could not be decided
	info    porcupine.LinearizationInfo
	model   porcupine.Model
	shown   int // operations in the illegal window kept for the visualisation
}

type linCheck struct {
	opt      Options
	hist     *history
	final    *quiescent
	workers  int
	notes    *notes
	deadline time.Time
	ctx      context.Context
}

// run checks every partition and returns the verdict and the file name of
// the visualisation of an illegal partition ("" if none was written).
func (l *linCheck) run(ctx context.Context, outDir, runName string) (string, string) {
	l.ctx = ctx
	l.deadline = time.Now().Add(l.opt.TimeBudget)
	parts := l.partitions()
	res := make([]partResult, len(parts))
	var violated atomic.Bool
	g := new(errgroup.Group)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, p := range parts {
		g.Go(func() error {
			// One violation decides the verdict: the partitions not
			// started yet are left, so a run that is badly broken does not
			// spend the whole budget proving it again and again.
			if violated.Load() {
				res[i] = partResult{verdict: porcupine.Unknown, why: "not checked: a violation was already found"}
				return nil
			}
			res[i] = l.check(p)
			if res[i].verdict == porcupine.Illegal {
				violated.Store(true)
			}
			return nil
		})
	}
	_ = g.Wait()
	return l.summarise(parts, res, outDir, runName)
}

func (l *linCheck) summarise(parts []*partition, res []partResult, outDir, runName string) (string, string) {
	why := map[string][]string{}
	illegal := -1
	var illegalNames []string
	for i, r := range res {
		switch r.verdict {
		case porcupine.Illegal:
			illegalNames = append(illegalNames, parts[i].name)
			if illegal < 0 {
				illegal = i
			}
		case porcupine.Unknown:
			why[r.why] = append(why[r.why], parts[i].name)
		}
	}
	for _, reason := range sortedIDs(why) {
		l.notes.add("linearizability unknown for %d partition(s) (%s): %s", len(why[reason]), reason, listSome(why[reason]))
	}
	if illegal < 0 {
		if len(why) > 0 || l.hist.capped() {
			return results.LinUnknown, ""
		}
		return results.LinOK, ""
	}
	l.notes.add("not linearizable: %d partition(s) illegal: %s", len(illegalNames), listSome(illegalNames))
	if outDir == "" {
		return results.LinIllegal, ""
	}
	stem := runName
	if stem == "" {
		stem = "run"
	}
	name := fmt.Sprintf("%s-lin-%s.html", sanitize(stem), sanitize(parts[illegal].name))
	r := res[illegal]
	if err := porcupine.VisualizePath(r.model, r.info, filepath.Join(outDir, name)); err != nil {
		l.notes.add("visualisation of %s not written: %v", parts[illegal].name, err)
		return results.LinIllegal, ""
	}
	l.notes.add("%s shows %d operations of partition %s around the violation", name, r.shown, parts[illegal].name)
	return results.LinIllegal, name
}

func listSome(names []string) string {
	const most = 8
	if len(names) <= most {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:most], ", ") + fmt.Sprintf(", … (%d more)", len(names)-most)
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
}

// quickWindowOps is the size of the short windows porcupine gets first when
// a window could not be linearized greedily. Proving a history illegal
// means trying every linearization, which on a few hundred concurrent
// operations can take porcupine seconds; proving a short window illegal is
// cheap, and most violations are local in time (a stale read, a write that
// landed out of order). Each short window is sound on its own (see window).
const quickWindowOps = 32

// searchTimeLimit bounds searchLinearization per window.
const searchTimeLimit = 250 * time.Millisecond

// quickTimeLimit bounds each check of a short window: one it cannot decide
// in that time is left to the check of the whole window.
const quickTimeLimit = 200 * time.Millisecond

// check decides one partition: witnesses, then the shortcuts on the whole
// partition, then window by window (one window unless the partition is
// longer than WindowOps) the shortcuts again and, where they fail,
// porcupine — on short windows for a quick proof of a violation, then on
// the whole window.
func (l *linCheck) check(p *partition) partResult {
	if p.skip != "" {
		return partResult{verdict: porcupine.Unknown, why: p.skip}
	}
	n := len(p.ops)
	if n == 0 {
		return partResult{verdict: porcupine.Ok}
	}
	if r, ok := l.witness(p); ok && !l.opt.porcupineOnly {
		return r
	}
	if l.greedy(p, 0, n) {
		return partResult{verdict: porcupine.Ok}
	}
	windows := (n + l.opt.WindowOps - 1) / l.opt.WindowOps
	out := partResult{verdict: porcupine.Ok}
	for w := 0; w < windows; w++ {
		lo, hi := w*n/windows, (w+1)*n/windows
		if windows > 1 && l.greedy(p, lo, hi) {
			continue
		}
		if hi-lo > quickWindowOps {
			if r, qlo, qhi, found := l.pass(p, lo, hi, quickWindowOps, min(quickTimeLimit, l.opt.TimeLimit)); found {
				return l.shrink(p, qlo, qhi, r)
			}
		}
		switch r := l.checkWindow(p, lo, hi, l.opt.TimeLimit); r.verdict {
		case porcupine.Illegal:
			return l.shrink(p, lo, hi, r)
		case porcupine.Unknown:
			out = r
		}
	}
	if out.verdict == porcupine.Ok && windows > 1 {
		out = partResult{verdict: porcupine.Unknown,
			why: fmt.Sprintf("more than %d operations, checked in windows: no violation found", l.opt.WindowOps)}
	}
	return out
}

// greedy reports whether operations lo..hi-1 of p linearize greedily.
func (l *linCheck) greedy(p *partition, lo, hi int) bool {
	deadline := time.Now().Add(l.opt.TimeLimit)
	if l.deadline.Before(deadline) {
		deadline = l.deadline
	}
	if l.ctx.Err() != nil || l.opt.porcupineOnly {
		return false
	}
	model, ops := l.model(p, lo), p.window(lo, hi)
	if linearizeByClusters(model, ops, deadline) || linearizeGreedily(model, ops, deadline) {
		return true
	}
	// The search is complete but exponential at worst, and on an
	// illegal history it runs out its time: keep it short.
	if searchDeadline := time.Now().Add(searchTimeLimit); searchDeadline.Before(deadline) {
		deadline = searchDeadline
	}
	return len(ops) <= l.opt.WindowOps && searchLinearization(model, ops, deadline)
}

// witness looks for the cheapest proofs first: the final reads disagreeing
// among themselves (memory against store: they are read at one instant
// after every operation returned, so they form a window of their own), and
// an output no state can produce (more recovery points than the limit,
// listed during the run or found at quiescence).
// Porcupine would find both, but only after trying every order of the
// concurrent operations before them.
func (l *linCheck) witness(p *partition) (partResult, bool) {
	n := len(p.ops)
	first := n
	for first > 0 && p.ops[first-1].Metadata == finalMetadata {
		first--
	}
	if n-first >= 2 && first > 0 {
		if r := l.checkWindow(p, first, n, l.opt.TimeLimit); r.verdict == porcupine.Illegal {
			r.shown = n - first
			// For the visualisation, add the writes of the values the
			// final reads returned: still illegal (nothing can come between
			// reads taken at one instant after everything returned), and
			// it shows which writes left memory and store apart.
			ops := writersOf(p.ops[:first], p.ops[first:])
			ops = append(ops, p.ops[first:]...)
			model := newModel(unknownState, l.limit(p))
			if v, info := porcupine.CheckOperationsVerbose(model, ops, min(quickTimeLimit, l.opt.TimeLimit)); v == porcupine.Illegal {
				r = partResult{verdict: v, info: info, model: model, shown: len(ops)}
			}
			return r, true
		}
	}
	for _, op := range p.ops {
		in, out := op.Input.(linInput), op.Output.(linOutput)
		if (in.Op == mRecoveryPoints || in.Op == mGet) && out.Err == eOK && out.HasCount && l.limit(p).above(out.Count) {
			model := newModel(unknownState, l.limit(p))
			verdict, info := porcupine.CheckOperationsVerbose(model, []porcupine.Operation{op}, l.opt.TimeLimit)
			if verdict == porcupine.Illegal {
				return partResult{verdict: verdict, info: info, model: model, shown: 1}, true
			}
		}
	}
	return partResult{}, false
}

// writersOf returns the operations of ops that wrote a value one of reads
// returned.
func writersOf(ops, reads []porcupine.Operation) []porcupine.Operation {
	read := map[string]bool{}
	for _, r := range reads {
		if out := r.Output.(linOutput); out.Data != "" {
			read[out.Data] = true
		}
	}
	var out []porcupine.Operation
	for _, op := range ops {
		if in := op.Input.(linInput); in.Data != "" && read[in.Data] && !isRead(op) {
			out = append(out, op)
		}
	}
	return out
}

// maxQuickChecks bounds the short windows porcupine gets per window.
const maxQuickChecks = 16

// pass checks operations lo..hi-1 of p in consecutive windows of about size
// operations — greedily, then with porcupine where that fails, at most
// maxQuickChecks times — and stops at the first illegal one (found),
// returning its bounds.
func (l *linCheck) pass(p *partition, lo, hi, size int, limit time.Duration) (r partResult, wlo, whi int, found bool) {
	n := hi - lo
	windows := (n + size - 1) / size
	for w, checks := 0, 0; w < windows && checks < maxQuickChecks; w++ {
		wlo, whi = lo+w*n/windows, lo+(w+1)*n/windows
		if l.greedy(p, wlo, whi) {
			continue
		}
		checks++
		if wr := l.checkWindow(p, wlo, whi, limit); wr.verdict == porcupine.Illegal {
			return wr, wlo, whi, true
		}
	}
	return partResult{}, 0, 0, false
}

// shrink halves an illegal window while a half is still illegal, so the
// visualisation shows few operations around the violation. Every half is
// checked soundly (see window), so the smaller window is a real violation.
func (l *linCheck) shrink(p *partition, lo, hi int, best partResult) partResult {
	best.shown = hi - lo
	for hi-lo > 16 {
		mid := (lo + hi) / 2
		if r, ok := l.illegal(p, lo, mid); ok {
			best, hi = r, mid
		} else if r, ok := l.illegal(p, mid, hi); ok {
			best, lo = r, mid
		} else {
			break
		}
		best.shown = hi - lo
	}
	return best
}

// illegal reports whether porcupine quickly proves operations lo..hi-1 of
// p illegal (after the shortcuts failed to prove them legal).
func (l *linCheck) illegal(p *partition, lo, hi int) (partResult, bool) {
	if l.greedy(p, lo, hi) {
		return partResult{}, false
	}
	r := l.checkWindow(p, lo, hi, min(quickTimeLimit, l.opt.TimeLimit))
	return r, r.verdict == porcupine.Illegal
}

func (l *linCheck) checkWindow(p *partition, lo, hi int, limit time.Duration) partResult {
	left := time.Until(l.deadline)
	if left <= 0 || l.ctx.Err() != nil {
		return partResult{verdict: porcupine.Unknown, why: "not checked: time budget spent or check canceled"}
	}
	model := l.model(p, lo)
	verdict, info := porcupine.CheckOperationsVerbose(model, p.window(lo, hi), min(limit, left))
	r := partResult{verdict: verdict, info: info, model: model}
	if verdict == porcupine.Unknown {
		r.why = fmt.Sprintf("porcupine ran out of time (%v per check)", limit)
	}
	return r
}

// limit is the recovery point limit the model enforces on p: strictly,
// unless a recovery point of p's id was told it failed.
func (l *linCheck) limit(p *partition) rpLimit {
	return rpLimit{max: l.opt.Config.MaxRecoveryPoints, strict: !p.failedRPs}
}

// model is the model of p for a window starting at operation lo: from the
// initial state for the first window, from an unknown state otherwise.
func (l *linCheck) model(p *partition, lo int) porcupine.Model {
	init := absentState
	switch {
	case lo > 0:
		init = unknownState
	case p.kind == partTracker:
		init = trackerZero
	}
	return newModel(init, l.limit(p))
}

// maybe returns op with an unknown outcome; false for a read, which then
// tells nothing.
func maybe(op porcupine.Operation) (porcupine.Operation, bool) {
	in := op.Input.(linInput)
	if in.Op == mGet || in.Op == mTrackerGet {
		return op, false
	}
	in.Maybe = true
	op.Input = in
	return op, true
}
