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
// failure proves nothing and leaves the question to porcupine. It is the
// second shortcut, for what linearizeByClusters cannot order (operations
// that are neither writes of unique data nor reads of it: recovery points,
// stale tracker updates, failures).
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
//     data; a write waits while the current value may still be read, or
//     while another write must precede one of its readers (mustWait),
//     unless it is forced;
//   - if none may go, the operation that blocks the others (the earliest
//     Return) is forced: a read, with its writer right before it, or any
//     other operation.
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

	// Unplaced observations per value: data, or whether the context
	// exists. Data no operation here wrote counts under unknownValue: it
	// was read from the window's unknown initial state.
	observation := func(op porcupine.Operation) (string, bool) {
		v, ok := observed(op)
		if _, w := writerOf[v]; ok && !w && v != absentValue && v != presentValue {
			v = unknownValue
		}
		return v, ok
	}
	readsLeft := map[string]int{}
	for _, op := range ops {
		if v, ok := observation(op); ok {
			readsLeft[v]++
		}
	}
	done := make([]bool, n)
	callable := make([]bool, n)
	state := model.Init()
	try := func(i int) bool {
		ok, s := model.Step(state, ops[i].Input, ops[i].Output)
		if ok {
			state, done[i] = s, true
			if v, ok := observation(ops[i]); ok {
				readsLeft[v]--
			}
		}
		return ok
	}
	// live reports whether the state may still be observed by an unplaced
	// operation: then a write that is not forced yet should wait.
	live := func() bool {
		for _, x := range state.([]interface{}) {
			s := x.(mstate)
			// Only unique data: whether the context exists can be
			// observed again in a later period.
			if s.hasData && readsLeft[s.data] > 0 || s.p == pUnknown && readsLeft[unknownValue] > 0 {
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
			if observes(ops[i]) {
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
		if r := pending.idx[0]; observes(ops[r]) {
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

// Observed values that are not data.
const (
	absentValue  = "\x00absent"  // a not_found outcome
	presentValue = "\x00present" // a create that found the context
	unknownValue = "\x00unknown" // data written before the window
)

// observed returns what an operation that does not change the state saw:
// the data a read returned, or whether the context existed (a definite
// failure of a write). ok is false for any other operation.
func observed(op porcupine.Operation) (string, bool) {
	in, out := op.Input.(linInput), op.Output.(linOutput)
	switch {
	case in.Maybe:
		return "", false
	case isRead(op) && out.Err == eOK:
		return out.Data, out.Data != ""
	case out.Err == eNotFound:
		return absentValue, in.Op != mTrackerActivate
	case out.Err == eExists && in.Op == mCreate:
		return presentValue, true
	}
	return "", false
}

// observes reports an operation that never changes the state: a read, or a
// write that failed for certain.
func observes(op porcupine.Operation) bool {
	if isRead(op) {
		return true
	}
	_, ok := observed(op)
	return ok
}

// isRead reports a read: an operation that never changes the state.
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
