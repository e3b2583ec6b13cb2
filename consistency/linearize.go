package consistency

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/anishathalye/porcupine"
	"golang.org/x/sync/errgroup"

	"lockbench/results"
)

type partKind uint8

const (
	partManager partKind = iota
	partAdapter
	partTracker
)

// partition is the history of one key of the model: a manager context, an
// adapter context or a tracker. Partitions are independent, so the history
// is linearizable iff each partition is.
type partition struct {
	name string
	kind partKind
	ops  []porcupine.Operation // by Call
	skip string                // why it is not checked ("": checked)
}

// partResult is the verdict on one partition.
type partResult struct {
	verdict porcupine.CheckResult
	why     string // for Unknown: "timeout", "windows", "budget", or a skip reason
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
	g := new(errgroup.Group)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, p := range parts {
		g.Go(func() error {
			res[i] = l.check(p)
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
		switch {
		case len(why) > 0 || l.hist.capped():
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

// quickTimeLimit bounds each check of a short window: one it cannot decide
// in that time is left to the check of the whole window.
const quickTimeLimit = 200 * time.Millisecond

// check decides one partition: cheap witnesses first, then window by
// window (one window unless the partition is longer than WindowOps) a
// greedy linearization, and where that fails, porcupine — on short windows
// for a quick proof of a violation, then on the whole window.
func (l *linCheck) check(p *partition) partResult {
	if p.skip != "" {
		return partResult{verdict: porcupine.Unknown, why: p.skip}
	}
	n := len(p.ops)
	if n == 0 {
		return partResult{verdict: porcupine.Ok}
	}
	if r, ok := l.witness(p); ok {
		return r
	}
	if l.greedy(p, 0, n) {
		return partResult{verdict: porcupine.Ok}
	}
	windows := (n + l.opt.WindowOps - 1) / l.opt.WindowOps
	out := partResult{verdict: porcupine.Ok}
	for w := 0; w < windows; w++ {
		lo, hi := w*n/windows, (w+1)*n/windows
		if l.greedy(p, lo, hi) {
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
	if l.ctx.Err() != nil {
		return false
	}
	model, ops := l.model(p, lo), p.window(lo, hi)
	return linearizeByClusters(model, ops, deadline) || linearizeGreedily(model, ops, deadline)
}

// witness looks for the cheapest proofs first: the final reads disagreeing
// among themselves (memory against store: they are read at one instant
// after every operation returned, so they form a window of their own), and
// an output no state can produce (more recovery points than the limit).
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
			model := newModel(unknownState, l.opt.Config.MaxRecoveryPoints)
			if v, info := porcupine.CheckOperationsVerbose(model, ops, min(quickTimeLimit, l.opt.TimeLimit)); v == porcupine.Illegal {
				r = partResult{verdict: v, info: info, model: model, shown: len(ops)}
			}
			return r, true
		}
	}
	for _, op := range p.ops {
		in, out := op.Input.(linInput), op.Output.(linOutput)
		if in.Op == mRecoveryPoints && out.Err == eOK && out.Count > l.opt.Config.MaxRecoveryPoints {
			model := newModel(unknownState, l.opt.Config.MaxRecoveryPoints)
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
		limit := min(quickTimeLimit, l.opt.TimeLimit)
		if r := l.checkWindow(p, lo, mid, limit); r.verdict == porcupine.Illegal {
			best, hi = r, mid
		} else if r := l.checkWindow(p, mid, hi, limit); r.verdict == porcupine.Illegal {
			best, lo = r, mid
		} else {
			break
		}
		best.shown = hi - lo
	}
	return best
}

func (l *linCheck) checkWindow(p *partition, lo, hi int, limit time.Duration) partResult {
	left := time.Until(l.deadline)
	if left <= 0 || l.ctx.Err() != nil {
		return partResult{verdict: porcupine.Unknown, why: "time budget spent before the check"}
	}
	model := l.model(p, lo)
	verdict, info := porcupine.CheckOperationsVerbose(model, p.window(lo, hi), min(limit, left))
	r := partResult{verdict: verdict, info: info, model: model}
	if verdict == porcupine.Unknown {
		r.why = fmt.Sprintf("porcupine ran out of time (%v per check)", limit)
	}
	return r
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
	return newModel(init, l.opt.Config.MaxRecoveryPoints)
}

// window returns operations lo..hi-1 of p, made sound to check on their
// own. Operations still running at the start of the next window may have
// observed or been overtaken by later ones: their outcome becomes unknown
// and their effect may come at any later time. Operations of earlier
// windows still running at this window's start may take effect inside it:
// they are added with an unknown outcome. A window after the first starts
// from an unknown state. Whatever linearizes the whole partition therefore
// linearizes each window, so an illegal window is a real violation.
func (p *partition) window(lo, hi int) []porcupine.Operation {
	start := p.ops[lo].Call
	var out []porcupine.Operation
	if lo > 0 {
		for _, op := range p.ops[:lo] {
			if op.Return >= start {
				if m, ok := maybe(op); ok {
					out = append(out, m)
				}
			}
		}
	}
	for _, op := range p.ops[lo:hi] {
		if hi < len(p.ops) && op.Return >= p.ops[hi].Call {
			m, ok := maybe(op)
			if !ok {
				continue
			}
			m.Return = never
			op = m
		}
		out = append(out, op)
	}
	preferEarlyReturns(out)
	return out
}

// preferEarlyReturns permutes the call times within each run of calls that
// no return separates, so that the operation that returned first gets the
// earliest of them. Which returns precede which calls is unchanged, so the
// real-time order — and the verdict — is too; but porcupine tries pending
// operations in call order, and an operation that returned first was most
// likely applied first (it got the lock first), so a serialised history is
// found without backtracking through every order of its waiting callers.
func preferEarlyReturns(ops []porcupine.Operation) {
	type event struct {
		t    int64
		call bool
		op   int
	}
	events := make([]event, 0, 2*len(ops))
	for i, op := range ops {
		events = append(events, event{op.Call, true, i}, event{op.Return, false, i})
	}
	// As porcupine orders them: by time, calls before returns at a tie.
	sort.Slice(events, func(a, b int) bool {
		if events[a].t != events[b].t {
			return events[a].t < events[b].t
		}
		return events[a].call && !events[b].call
	})
	var run []int
	var times []int64
	for start := 0; start < len(events); {
		if !events[start].call {
			start++
			continue
		}
		run, times = run[:0], times[:0]
		end := start
		for ; end < len(events) && events[end].call; end++ {
			run = append(run, events[end].op)
			times = append(times, events[end].t)
		}
		sort.SliceStable(run, func(a, b int) bool { return ops[run[a]].Return < ops[run[b]].Return })
		for k, i := range run {
			ops[i].Call = times[k]
		}
		start = end
	}
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

// partitions builds the per-key histories from the recorded operations.
func (l *linCheck) partitions() []*partition {
	b := builder{parts: map[string]*partition{}, autoRecovery: l.opt.Config.AutoRecovery, countRPs: true}
	var wildcards []*rec
	for i := range l.hist.recs {
		r := &l.hist.recs[i]
		if r.kind == kAdapterCleanup && r.err.unknown() {
			wildcards = append(wildcards, r)
			continue
		}
		b.add(r)
	}
	if !b.countRPs {
		l.notes.add("recovery point counts not checked for linearizability: a tracker made recovery points of an unknown context id")
		for _, p := range b.parts {
			p.ops = slices.DeleteFunc(p.ops, func(op porcupine.Operation) bool {
				in := op.Input.(linInput)
				return in.Op == mRecoveryPoint || in.Op == mRecoveryPoints
			})
		}
	}
	for _, r := range wildcards {
		// A failed cleanup may have removed any id.
		for _, p := range b.parts {
			switch p.kind {
			case partAdapter:
				b.op(p, r, linInput{Name: "adapter.cleanup", Op: mRemove, Maybe: true})
			case partManager:
				b.op(p, r, linInput{Name: "adapter.cleanup", Op: mEnsureAbsent, Maybe: true})
			}
		}
	}
	if !l.hist.capped() {
		b.addFinal(l.final, l.workers)
	}
	parts := make([]*partition, 0, len(b.parts))
	for _, name := range sortedIDs(b.parts) {
		p := b.parts[name]
		if p.kind == partManager {
			if l.hist.syncNoKey {
				p.skip = "a tracker.sync wrote an unknown context id"
			}
			p.dropUnseenUpdates()
		}
		sort.SliceStable(p.ops, func(i, j int) bool { return p.ops[i].Call < p.ops[j].Call })
		parts = append(parts, p)
	}
	return parts
}

type builder struct {
	parts        map[string]*partition
	end          int64
	autoRecovery bool // update_state may make a recovery point
	countRPs     bool // every recovery point is attributed to its id
}

func (b *builder) part(kind partKind, id string) *partition {
	prefix := [...]string{partManager: "manager/", partAdapter: "adapter/", partTracker: "tracker/"}[kind]
	name := prefix + id
	p := b.parts[name]
	if p == nil {
		p = &partition{name: name, kind: kind}
		b.parts[name] = p
	}
	return p
}

func (b *builder) op(p *partition, r *rec, in linInput) {
	in.Maybe = in.Maybe || r.err.unknown()
	p.ops = append(p.ops, porcupine.Operation{
		ClientId: int(r.client) + 1,
		Input:    in,
		Output: linOutput{Err: r.err, Ver: r.outVersion, Data: r.outData,
			Count: int(r.outCount), HasCount: in.Op == mRecoveryPoints},
		Call:     r.call,
		Return:   r.ret,
		Metadata: fmt.Sprintf("%s by worker %d, [%d, %d] ns", r.kind, r.client, r.call, r.ret),
	})
	if r.ret != never {
		b.end = max(b.end, r.ret)
	}
}

// add maps one recorded operation onto the partitions it touches. Reads
// with an unknown outcome and definite failures that teach nothing (limit,
// invalid, no active context) are left out.
func (b *builder) add(r *rec) {
	if r.err == eLimit || r.err == eInvalid || r.err == eNoActive {
		return
	}
	name := r.kind.String()
	known := r.err == eOK
	switch r.kind {
	case kManagerCreate:
		b.op(b.part(partManager, r.key), r, linInput{Name: name, Op: mCreate, Ver: r.version, VerKnown: true, Data: r.data})
	case kManagerUpdate:
		b.op(b.part(partManager, r.key), r, linInput{Name: name, Op: mUpdate, Ver: r.version, VerKnown: true, Data: r.data})
	case kManagerDelete:
		b.op(b.part(partManager, r.key), r, linInput{Name: name, Op: mDelete})
	case kManagerGet:
		if !r.err.unknown() {
			b.op(b.part(partManager, r.key), r, linInput{Name: name, Op: mGet})
		}
	case kManagerRecoveryPoint:
		b.op(b.part(partManager, r.key), r, linInput{Name: name, Op: mRecoveryPoint})
	case kManagerRecoveryPoints:
		if !r.err.unknown() {
			b.op(b.part(partManager, r.key), r, linInput{Name: name, Op: mRecoveryPoints})
		}
	case kTrackerRecoveryPoint:
		b.trackerRecoveryPoint(r, name)
	case kAdapterCreate:
		b.op(b.part(partAdapter, r.key), r, linInput{Name: name, Op: mCreate, Ver: 1, VerKnown: true, Data: r.data})
		if r.err.possible() {
			// The adapter creates in the manager within its own call.
			b.op(b.part(partManager, r.key), r, linInput{Name: name, Op: mCreate, Ver: 1, VerKnown: true, Data: r.data})
		}
	case kAdapterUpdate:
		b.op(b.part(partAdapter, r.key), r, linInput{Name: name, Op: mUpdate, Incr: true, Data: r.data})
		if r.err.possible() {
			b.op(b.part(partManager, r.key), r, linInput{Name: name, Op: mUpdate, Ver: r.outVersion, VerKnown: known && r.outVersion != 0, Data: r.data})
		}
	case kAdapterDelete:
		b.op(b.part(partAdapter, r.key), r, linInput{Name: name, Op: mDelete})
		if r.err.possible() {
			b.op(b.part(partManager, r.key), r, linInput{Name: name, Op: mEnsureAbsent})
		}
	case kAdapterGet:
		if !r.err.unknown() {
			b.op(b.part(partAdapter, r.key), r, linInput{Name: name, Op: mGet})
		}
	case kAdapterCleanup:
		if known {
			for _, id := range r.outIDs {
				b.op(b.part(partAdapter, id), r, linInput{Name: name, Op: mRemove})
				b.op(b.part(partManager, id), r, linInput{Name: name, Op: mEnsureAbsent})
			}
		}
	case kTrackerUpdateState:
		// With auto-recovery an accepted update may still return the
		// recovery point's error: only a stale version says "rejected".
		maybe := b.autoRecovery && r.err != eOK && r.err != eStale
		b.op(b.part(partTracker, fmt.Sprint(r.tracker)), r, linInput{Name: name, Op: mTrackerUpdate, Ver: r.version, VerKnown: true, Data: r.data, Maybe: maybe})
		if b.autoRecovery && (r.err.possible() || maybe) {
			b.trackerRecoveryPoint(r, name)
		}
	case kTrackerGetState:
		if known {
			b.op(b.part(partTracker, fmt.Sprint(r.tracker)), r, linInput{Name: name, Op: mTrackerGet})
		}
	case kTrackerActivate:
		if r.err.possible() {
			b.op(b.part(partTracker, fmt.Sprint(r.tracker)), r, linInput{Name: name, Op: mTrackerActivate})
		}
	case kTrackerSync:
		// The runner's idea of the active id may be stale when clients
		// share a tracker, so a sync is only ever a possible write.
		if r.err.possible() && r.key != "" {
			b.op(b.part(partManager, r.key), r, linInput{Name: name, Op: mWriteUnknown, Maybe: true})
		}
	}
}

// trackerRecoveryPoint adds a recovery point a tracker may have made of its
// active context: only ever possible, since the runner's idea of the
// active id may be stale; with no id at all, recovery point counts cannot
// be attributed and are not checked.
func (b *builder) trackerRecoveryPoint(r *rec, name string) {
	if !r.err.possible() && r.err != eNotFound {
		return
	}
	if r.key == "" {
		b.countRPs = false
		return
	}
	b.op(b.part(partManager, r.key), r, linInput{Name: name, Op: mRecoveryPoint, Maybe: true})
}

const finalMetadata = "state at quiescence, read by the checker"

// addFinal appends the quiescent state of every partition as a read by an
// extra client after every operation: an acknowledged write that was lost,
// or a deleted context that came back, then shows up as a violation.
func (b *builder) addFinal(q *quiescent, workers int) {
	at := b.end + 1
	final := func(p *partition, in linInput, out linOutput) {
		p.ops = append(p.ops, porcupine.Operation{
			ClientId: workers + 1, Input: in, Output: out, Call: at, Return: at,
			Metadata: finalMetadata,
		})
	}
	for _, p := range b.parts {
		id := p.name[strings.IndexByte(p.name, '/')+1:]
		switch p.kind {
		case partManager:
			if q.memory == nil {
				continue
			}
			out := linOutput{Err: eNotFound}
			if s, ok := q.memory[id]; ok {
				out = linOutput{Ver: s.Version, Data: string(s.Data), Count: len(q.memoryRPs[id]), HasCount: b.countRPs}
			}
			final(p, linInput{Name: "final manager state", Op: mGet}, out)
			// The store must agree with memory at quiescence, except where
			// a write told it failed explains the difference.
			if q.store == nil || q.explained[id] {
				continue
			}
			out = linOutput{Err: eNotFound}
			if s, ok := q.store[id]; ok && !s.bad {
				out = linOutput{Ver: s.state.Version, Data: string(s.state.Data), Count: len(q.storeRPs[id]), HasCount: b.countRPs}
			}
			final(p, linInput{Name: "final store state", Op: mGet}, out)
		case partAdapter:
			if q.adapter == nil {
				continue
			}
			out := linOutput{Err: eNotFound}
			if a, ok := q.adapter[id]; ok {
				out = linOutput{Ver: a.Version, Data: string(a.Data)}
			}
			final(p, linInput{Name: "final adapter state", Op: mGet}, out)
		case partTracker:
			var t int
			if _, err := fmt.Sscan(id, &t); err != nil || t < 0 || t >= len(q.trackers) || !q.trackers[t].known {
				continue
			}
			f := q.trackers[t]
			final(p, linInput{Name: "final tracker state", Op: mTrackerGet}, linOutput{Ver: f.version, Data: f.data})
		}
	}
}

// dropUnseenUpdates removes manager updates with an unknown outcome whose
// data nobody read: taking effect or not cannot change any observation
// (an update does not change whether the id exists), and each one left in
// doubles the linearizations porcupine may have to try.
func (p *partition) dropUnseenUpdates() {
	read := map[string]bool{}
	for _, op := range p.ops {
		if in := op.Input.(linInput); in.Op == mGet {
			read[op.Output.(linOutput).Data] = true
		}
	}
	kept := p.ops[:0]
	for _, op := range p.ops {
		in := op.Input.(linInput)
		if in.Maybe && in.Op == mUpdate && !read[in.Data] {
			continue
		}
		kept = append(kept, op)
	}
	p.ops = kept
}
