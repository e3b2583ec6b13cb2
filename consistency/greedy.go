package consistency

import (
	"container/heap"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/anishathalye/porcupine"
)

// linearizeGreedily tries to build one linearization of ops with model,
// without backtracking, and reports whether it did. Success is a proof (the
// operations were applied one by one, each by the model's own step, each
// only once every operation that returned before its call was placed); a
// failure proves nothing and leaves the question to porcupine.
//
// Why it exists: porcupine tries pending operations in call order. When
// many callers queue on one lock, the first to call is often the last to
// get it, and porcupine then backtracks through the orders of every waiting
// caller — seconds for a few hundred operations of sixteen workers on one
// key. Here, at each step, among the operations that may come next:
//
//   - a read that the state allows is placed at once (a read never changes
//     the state, and with unique data it could not be placed later);
//   - a read whose data an unplaced operation with an unknown outcome wrote
//     is placed right after that operation (which is otherwise placed as
//     late as possible: it may not have happened at all);
//   - otherwise the most urgent other operation goes: an operation's
//     urgency is its Return, for a write also the earliest Return of a read
//     of its data; a write waits for another write that must precede one of
//     its readers (see mustWait).
func linearizeGreedily(model porcupine.Model, ops []porcupine.Operation, deadline time.Time) bool {
	n := len(ops)
	urgency := writeUrgency(ops)
	lateRead := lateReaders(ops)
	writerOf := map[string]int{}
	writers := &returnHeap{ops: ops}
	for i, op := range ops {
		if in := op.Input.(linInput); in.Data != "" && !isRead(op) {
			writerOf[in.Data] = i
		}
		if destructive(op) {
			writers.idx = append(writers.idx, i)
		}
	}
	heap.Init(writers)
	byCall := make([]int, n)
	for i := range byCall {
		byCall[i] = i
	}
	sort.SliceStable(byCall, func(a, b int) bool { return ops[byCall[a]].Call < ops[byCall[b]].Call })
	pending := &returnHeap{ops: ops}
	for i := range ops {
		pending.idx = append(pending.idx, i)
	}
	heap.Init(pending)

	// Unplaced reads per data value ("" counts reads of data no operation
	// here wrote: they read the window's unknown initial state).
	readsLeft := map[string]int{}
	for _, op := range ops {
		if d, ok := readData(op); ok {
			if _, w := writerOf[d]; !w {
				d = ""
			}
			readsLeft[d]++
		}
	}
	done := make([]bool, n)
	callable := make([]bool, n)
	state := model.Init()
	try := func(i int) bool {
		ok, s := model.Step(state, ops[i].Input, ops[i].Output)
		if ok {
			state, done[i] = s, true
			if d, isRead := readData(ops[i]); isRead {
				if _, w := writerOf[d]; !w {
					d = ""
				}
				readsLeft[d]--
			}
		}
		return ok
	}
	// live reports whether the state may still be read by an unplaced
	// read: then a write that is not forced yet should wait.
	live := func() bool {
		for _, x := range state.([]interface{}) {
			s := x.(mstate)
			if s.hasData && readsLeft[s.data] > 0 || s.p == pUnknown && readsLeft[""] > 0 {
				return true
			}
		}
		return false
	}
	// pair places write w and then read r, or neither.
	pair := func(w, r int) bool {
		if !callable[w] || done[w] || !callable[r] {
			return false
		}
		saved := state
		if try(w) {
			if try(r) {
				return true
			}
			done[w] = false
		}
		state = saved
		return false
	}
	// pick places the most urgent operation of cands that may go now:
	// not one that may not have happened (unless forced), not a write
	// while the state may still be read (unless forced), not a write that
	// must wait for another. It returns its index in cands, or -1.
	pick := func(cands []int, first int64) int {
		sort.SliceStable(cands, func(a, b int) bool { return urgency[cands[a]] < urgency[cands[b]] })
		isLive := live()
		for k, i := range cands {
			isForced := ops[i].Return <= first
			switch {
			case ops[i].Input.(linInput).Maybe && !isForced:
				continue
			case destructive(ops[i]) && !isForced && (isLive || mustWait(writers, i, lateRead[i], ops)):
				continue
			}
			if try(i) {
				return k
			}
		}
		return -1
	}
	// forced places an operation of cands that returned by first.
	forced := func(cands []int, first int64) int {
		for k, i := range cands {
			if ops[i].Return <= first && try(i) {
				return k
			}
		}
		return -1
	}
	var reads, others []int // callable, not yet placed
	next, placed := 0, 0
	for step := 0; placed < n; step++ {
		if step%1024 == 0 && time.Now().After(deadline) {
			return false
		}
		for done[pending.idx[0]] {
			heap.Pop(pending)
		}
		// Callable: invoked before every unplaced operation returned.
		first := ops[pending.idx[0]].Return
		for ; next < n && ops[byCall[next]].Call <= first; next++ {
			i := byCall[next]
			callable[i] = true
			if isRead(ops[i]) {
				reads = append(reads, i)
			} else {
				others = append(others, i)
			}
		}
		progress := false
		kept := reads[:0]
		for _, i := range reads {
			if try(i) {
				placed++
				progress = true
				continue
			}
			// Its data may come from an operation that may not have
			// happened: place that one now, if the read then succeeds.
			if w, ok := writerOf[ops[i].Output.(linOutput).Data]; ok && ops[w].Input.(linInput).Maybe && pair(w, i) {
				placed += 2
				progress = true
				continue
			}
			kept = append(kept, i)
		}
		reads = kept
		if progress {
			others = slices.DeleteFunc(others, func(i int) bool { return done[i] })
			continue
		}
		for writers.Len() > 0 && done[writers.idx[0]] {
			heap.Pop(writers)
		}
		if k := pick(others, first); k >= 0 {
			others = append(others[:k], others[k+1:]...)
			placed++
			continue
		}
		// Nothing fits: the operation that blocks the others is forced.
		// If it is a read, its writer goes right before it.
		if r := pending.idx[0]; isRead(ops[r]) {
			if w, ok := writerOf[ops[r].Output.(linOutput).Data]; ok && pair(w, r) {
				placed += 2
				reads = slices.DeleteFunc(reads, func(i int) bool { return done[i] })
				others = slices.DeleteFunc(others, func(i int) bool { return done[i] })
				continue
			}
		}
		if k := forced(others, first); k >= 0 {
			others = append(others[:k], others[k+1:]...)
			placed++
			continue
		}
		return false
	}
	return true
}

// mustWait reports whether write i has to wait for another unplaced write
// d: when d returned before some reader of i's data was called, d precedes
// that reader, so it cannot come between i and the reader, so it comes
// before i.
func mustWait(writers *returnHeap, i int, lateRead int64, ops []porcupine.Operation) bool {
	if writers.Len() == 0 {
		return false
	}
	top := writers.idx[0]
	if top != i {
		return ops[top].Return < lateRead
	}
	// i is the earliest itself: the next one is among the root's children.
	for _, c := range []int{1, 2} {
		if c < writers.Len() && ops[writers.idx[c]].Return < lateRead {
			return true
		}
	}
	return false
}

// destructive reports an operation that certainly replaced the state, so
// placing it ends the visibility of the value before it.
func destructive(op porcupine.Operation) bool {
	in, out := op.Input.(linInput), op.Output.(linOutput)
	if in.Maybe || out.Err != eOK {
		return false
	}
	switch in.Op {
	case mCreate, mUpdate, mDelete, mRemove, mEnsureAbsent, mWriteUnknown, mTrackerUpdate, mTrackerActivate:
		return true
	}
	return false
}

// lateReaders is, for each write, the latest Call of a read that returned
// its data (math.MinInt64 when none).
func lateReaders(ops []porcupine.Operation) []int64 {
	lastCall := map[string]int64{}
	for _, op := range ops {
		if out := op.Output.(linOutput); isRead(op) && out.Err == eOK && out.Data != "" {
			if t, ok := lastCall[out.Data]; !ok || op.Call > t {
				lastCall[out.Data] = op.Call
			}
		}
	}
	late := make([]int64, len(ops))
	for i, op := range ops {
		late[i] = math.MinInt64
		if in := op.Input.(linInput); !isRead(op) && in.Data != "" {
			if t, ok := lastCall[in.Data]; ok {
				late[i] = t
			}
		}
	}
	return late
}

var greedyDebug func(state interface{}, ops []porcupine.Operation, reads, others []int, done []bool)

func isRead(op porcupine.Operation) bool {
	switch op.Input.(linInput).Op {
	case mGet, mTrackerGet, mRecoveryPoints:
		return true
	}
	return false
}

// readData returns the data a successful read returned.
func readData(op porcupine.Operation) (string, bool) {
	out := op.Output.(linOutput)
	return out.Data, isRead(op) && out.Err == eOK && out.Data != ""
}

// writeUrgency is each operation's Return, lowered for a write to the
// earliest Return of a read that returned its data.
func writeUrgency(ops []porcupine.Operation) []int64 {
	readBy := map[string]int64{}
	for _, op := range ops {
		if out := op.Output.(linOutput); isRead(op) && out.Err == eOK && out.Data != "" {
			if t, ok := readBy[out.Data]; !ok || op.Return < t {
				readBy[out.Data] = op.Return
			}
		}
	}
	u := make([]int64, len(ops))
	for i, op := range ops {
		u[i] = op.Return
		if in := op.Input.(linInput); !isRead(op) && in.Data != "" {
			if t, ok := readBy[in.Data]; ok && t < u[i] {
				u[i] = t
			}
		}
	}
	return u
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
