package consistency

import (
	"container/heap"
	"math"
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
// key. Here reads are placed as soon as they can be (placing a read never
// changes the state), and among the rest the most urgent goes first: an
// operation's urgency is its Return, and for a write, also the earliest
// Return of the reads that returned its (unique) data.
func linearizeGreedily(model porcupine.Model, ops []porcupine.Operation, deadline time.Time) bool {
	n := len(ops)
	urgency := writeUrgency(ops)
	lateRead := lateReaders(ops)
	writers := &returnHeap{ops: ops}
	for i, op := range ops {
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

	done := make([]bool, n)
	state := model.Init()
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
			if i := byCall[next]; isRead(ops[i]) {
				reads = append(reads, i)
			} else {
				others = append(others, i)
			}
		}
		progress := false
		kept := reads[:0]
		for _, i := range reads {
			if ok, s := model.Step(state, ops[i].Input, ops[i].Output); ok {
				state, done[i], progress = s, true, true
				placed++
				continue
			}
			kept = append(kept, i)
		}
		reads = kept
		if progress {
			continue
		}
		sort.SliceStable(others, func(a, b int) bool { return urgency[others[a]] < urgency[others[b]] })
		for writers.Len() > 0 && done[writers.idx[0]] {
			heap.Pop(writers)
		}
		chosen := -1
		for _, strict := range []bool{true, false} {
			for k, i := range others {
				if strict && destructive(ops[i]) && mustWait(writers, i, lateRead[i], ops) {
					continue
				}
				if ok, s := model.Step(state, ops[i].Input, ops[i].Output); ok {
					state, done[i], chosen = s, true, k
					placed++
					break
				}
			}
			if chosen >= 0 {
				break
			}
		}
		if chosen < 0 {
			return false
		}
		others = append(others[:chosen], others[chosen+1:]...)
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

func isRead(op porcupine.Operation) bool {
	switch op.Input.(linInput).Op {
	case mGet, mTrackerGet, mRecoveryPoints:
		return true
	}
	return false
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
