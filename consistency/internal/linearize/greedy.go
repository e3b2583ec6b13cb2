package linearize

import (
	"container/heap"
	"slices"
	"sort"
	"time"

	"github.com/anishathalye/porcupine"
)

// attempt is one try of a shortcut on a window: the model's step table (to
// classify operations), the window's porcupine model (from the window's
// initial state) and operations, and when to give up.
type attempt struct {
	m        *Model
	pm       porcupine.Model
	ops      []porcupine.Operation
	deadline time.Time
}

// greedily tries to build one linearization without backtracking, and
// reports whether it did. Success is a proof (the operations were applied
// one by one, each by the model's own step, each only once every operation
// that returned before its call was placed); a failure proves nothing and
// leaves the question to porcupine. It is the second shortcut, for what
// byClusters cannot order (operations that are neither writes of unique
// data nor reads of it: counters, stale version updates, failures).
//
// At each step, among the operations that may come next (invoked before
// every unplaced operation returned):
//
//   - a read the state allows is placed at once (a read does not change
//     the state, and with unique data it could not be placed later);
//   - a read whose data an operation with an unknown outcome wrote is
//     placed right after that operation, which otherwise waits until it is
//     forced (it may not have happened at all);
//   - otherwise the most urgent operation that may go now: its urgency is
//     its Return, for a write also the earliest Return of a read of its
//     data; a snapshot of the current value comes first; a write waits
//     while the current value may still be read (or snapshot), or while
//     another write must precede one of its readers (mustWait), unless it
//     is forced;
//   - if none may go, the operation that blocks the others (the earliest
//     Return) is forced: a read, with its writer right before it, or any
//     other operation.
func (a *attempt) greedily() bool {
	g := newGreedy(a)
	for step := 0; g.placed < len(a.ops); step++ {
		if step%1024 == 0 && time.Now().After(a.deadline) {
			return false
		}
		if !g.step() {
			return false
		}
	}
	return true
}

// greedy is the construction of greedily in progress.
type greedy struct {
	*attempt
	urgency  []int64 // see writeUrgency
	lateRead []int64 // see lateReaders
	writerOf map[string]int
	writers  *returnHeap // unplaced destructive operations
	byCall   []int
	pending  *returnHeap // unplaced operations
	// readsLeft counts unplaced observations per value: data (read or
	// snapshot), or whether the key exists. Data no operation here wrote counts under
	// unknownValue: it was read from the window's unknown initial state.
	readsLeft map[string]int
	done      []bool
	callable  []bool
	state     interface{}
	reads     []int // callable observations, not yet placed
	others    []int // other callable operations, not yet placed
	next      int   // byCall[:next] are callable
	placed    int
}

func newGreedy(a *attempt) *greedy {
	ops, n := a.ops, len(a.ops)
	g := &greedy{attempt: a, urgency: a.m.writeUrgency(ops), lateRead: a.m.lateReaders(ops),
		writerOf: map[string]int{}, writers: &returnHeap{ops: ops}, pending: &returnHeap{ops: ops},
		byCall: make([]int, n), readsLeft: map[string]int{},
		done: make([]bool, n), callable: make([]bool, n), state: a.pm.Init()}
	for i, op := range ops {
		if d := a.m.writes(op); d != "" {
			g.writerOf[d] = i
		}
		if a.m.destructive(op) {
			g.writers.idx = append(g.writers.idx, i)
		}
		g.byCall[i] = i
		g.pending.idx = append(g.pending.idx, i)
	}
	heap.Init(g.writers)
	heap.Init(g.pending)
	sort.SliceStable(g.byCall, func(x, y int) bool { return ops[g.byCall[x]].Call < ops[g.byCall[y]].Call })
	for _, op := range ops {
		if v, ok := g.observation(op); ok {
			g.readsLeft[v]++
		}
	}
	return g
}

// step places one or more operations; false if none can be.
func (g *greedy) step() bool {
	for g.done[g.pending.idx[0]] {
		heap.Pop(g.pending)
	}
	first := g.ops[g.pending.idx[0]].Return
	g.admit(first)
	if g.placeReads() {
		g.others = slices.DeleteFunc(g.others, func(i int) bool { return g.done[i] })
		return true
	}
	for g.writers.Len() > 0 && g.done[g.writers.idx[0]] {
		heap.Pop(g.writers)
	}
	if k := g.pick(g.others, first); k >= 0 {
		g.others = append(g.others[:k], g.others[k+1:]...)
		g.placed++
		return true
	}
	return g.force(first)
}

// admit makes callable the operations invoked by first, the earliest
// Return of an unplaced operation.
func (g *greedy) admit(first int64) {
	for ; g.next < len(g.ops) && g.ops[g.byCall[g.next]].Call <= first; g.next++ {
		i := g.byCall[g.next]
		g.callable[i] = true
		if g.m.observes(g.ops[i]) {
			g.reads = append(g.reads, i)
		} else {
			g.others = append(g.others, i)
		}
	}
}

// placeReads places every callable read the state allows, each with the
// operation of unknown outcome that wrote its data if need be; it reports
// whether it placed any.
func (g *greedy) placeReads() bool {
	progress := false
	kept := g.reads[:0]
	for _, i := range g.reads {
		if g.try(i) {
			g.placed++
			progress = true
			continue
		}
		// Its data may come from an operation that may not have
		// happened: place that one now, if the read then succeeds.
		if w, ok := g.writerOf[g.ops[i].Output.(Output).Data]; ok && g.ops[w].Input.(Input).Maybe && g.pair(w, i) {
			g.placed += 2
			progress = true
			continue
		}
		kept = append(kept, i)
	}
	g.reads = kept
	return progress
}

// force places the operation that blocks the others when nothing fits: if
// it is a read, its writer goes right before it; otherwise any callable
// operation that returned by first.
func (g *greedy) force(first int64) bool {
	if r := g.pending.idx[0]; g.m.observes(g.ops[r]) {
		if w, ok := g.writerOf[g.ops[r].Output.(Output).Data]; ok && g.pair(w, r) {
			g.placed += 2
			g.reads = slices.DeleteFunc(g.reads, func(i int) bool { return g.done[i] })
			g.others = slices.DeleteFunc(g.others, func(i int) bool { return g.done[i] })
			return true
		}
	}
	for k, i := range g.others {
		if g.ops[i].Return <= first && g.try(i) {
			g.others = append(g.others[:k], g.others[k+1:]...)
			g.placed++
			return true
		}
	}
	return false
}

// observation is what op saw of the value, for readsLeft: what a read or a
// definite failure observed, or the data a snapshot saw.
func (g *greedy) observation(op porcupine.Operation) (string, bool) {
	v, ok := g.m.observed(op)
	if !ok && g.m.step(op).Snapshot {
		v, ok = g.m.observedData(op)
	}
	if _, w := g.writerOf[v]; ok && !w && v != absentValue && v != presentValue {
		v = unknownValue
	}
	return v, ok
}

// try places operation i if the model allows it now.
func (g *greedy) try(i int) bool {
	ok, s := g.pm.Step(g.state, g.ops[i].Input, g.ops[i].Output)
	if ok {
		g.state, g.done[i] = s, true
		if v, ok := g.observation(g.ops[i]); ok {
			g.readsLeft[v]--
		}
	}
	return ok
}

// live reports whether the state may still be observed by an unplaced
// operation: then a write that is not forced yet should wait.
func (g *greedy) live() bool {
	for _, x := range g.state.([]interface{}) {
		s := x.(State)
		// Only unique data: whether the key exists can be observed again
		// in a later period.
		if s.HasData && g.readsLeft[s.Data] > 0 || s.Presence == KeyUnknown && g.readsLeft[unknownValue] > 0 {
			return true
		}
	}
	return false
}

// currentData is the data the state may hold now.
func (g *greedy) currentData() map[string]bool {
	d := map[string]bool{}
	for _, x := range g.state.([]interface{}) {
		if s := x.(State); s.HasData {
			d[s.Data] = true
		}
	}
	return d
}

// pair places write w and then read r, or neither.
func (g *greedy) pair(w, r int) bool {
	if !g.callable[w] || g.done[w] || !g.callable[r] {
		return false
	}
	saved := g.state
	if g.try(w) {
		if g.try(r) {
			return true
		}
		g.done[w] = false
	}
	g.state = saved
	return false
}

// pick places the most urgent operation of cands that may go now: not one
// that may not have happened (unless forced), not a write while the state
// may still be read (unless forced), not a write that must wait for
// another. It returns its index in cands, or -1.
func (g *greedy) pick(cands []int, first int64) int {
	// A snapshot of the current value goes first: the next write would
	// end it.
	current := g.currentData()
	snaps := func(i int) bool {
		d, ok := g.m.observedData(g.ops[i])
		return ok && !g.m.isRead(g.ops[i]) && current[d]
	}
	sort.SliceStable(cands, func(a, b int) bool {
		if sa, sb := snaps(cands[a]), snaps(cands[b]); sa != sb {
			return sa
		}
		return g.urgency[cands[a]] < g.urgency[cands[b]]
	})
	isLive := g.live()
	for k, i := range cands {
		isForced := g.ops[i].Return <= first
		switch {
		case g.ops[i].Input.(Input).Maybe && !isForced:
			continue
		case g.m.destructive(g.ops[i]) && !isForced && (isLive || g.mustWait(i)):
			continue
		}
		if g.try(i) {
			return k
		}
	}
	return -1
}

// mustWait reports whether write i has to wait for another unplaced write
// d: when d returned before some reader of i's data was called, d precedes
// that reader, so it cannot come between i and the reader, so it comes
// before i.
func (g *greedy) mustWait(i int) bool {
	writers, lateRead := g.writers, g.lateRead[i]
	if writers.Len() == 0 {
		return false
	}
	top := writers.idx[0]
	if top != i {
		return g.ops[top].Return < lateRead
	}
	// i is the earliest itself: the next one is among the root's children.
	for _, c := range []int{1, 2} {
		if c < writers.Len() && g.ops[writers.idx[c]].Return < lateRead {
			return true
		}
	}
	return false
}

// returnHeap orders operation indexes by Return.
type returnHeap struct {
	ops []porcupine.Operation
	idx []int
}

func (h *returnHeap) Len() int           { return len(h.idx) }
func (h *returnHeap) Less(a, b int) bool { return h.ops[h.idx[a]].Return < h.ops[h.idx[b]].Return }
func (h *returnHeap) Swap(a, b int)      { h.idx[a], h.idx[b] = h.idx[b], h.idx[a] }
func (h *returnHeap) Push(x any)         { h.idx = append(h.idx, x.(int)) }
func (h *returnHeap) Pop() any {
	x := h.idx[len(h.idx)-1]
	h.idx = h.idx[:len(h.idx)-1]
	return x
}
