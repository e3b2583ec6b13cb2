package consistency

import (
	"container/heap"
	"math"
	"sort"
	"time"

	"github.com/anishathalye/porcupine"
)

// linearizeByClusters tries the linearization that a register with unique
// values dictates, and replays it through the model. A cluster is a write
// and the operations that saw its data (reads, recovery point snapshots);
// every other operation is a cluster of its own. With unique data, a
// linearization keeps each cluster together, write first, so it is an order
// of clusters in which no cluster comes after one that began after it
// ended: cluster A must precede B when some operation of A returned before
// some operation of B was called. That relation is given by intervals (A's
// earliest Return against B's latest Call), so a topological order is
// found in O(n log n); for a plain register of unique values it exists iff
// the history is linearizable. The model then replays it, checking what
// clusters ignore (creates on absent contexts, the version rule, recovery
// point counts); success is a proof, a failure proves nothing.
func linearizeByClusters(model porcupine.Model, ops []porcupine.Operation, deadline time.Time) bool {
	order, ok := clusterOrder(ops)
	if !ok {
		return false
	}
	state := model.Init()
	for k, i := range order {
		if k%1024 == 0 && time.Now().After(deadline) {
			return false
		}
		ok, next := model.Step(state, ops[i].Input, ops[i].Output)
		if !ok {
			return false
		}
		state = next
	}
	return true
}

type cluster struct {
	ops     []int // writer first, then reads by Return
	minRet  int64
	maxCall int64
}

// clusterOrder returns the operations in an order of clusters that keeps
// real time, or false if the clusters' precedence has a cycle.
func clusterOrder(ops []porcupine.Operation) ([]int, bool) {
	byData := map[string]int{} // data → cluster
	var cs []cluster
	add := func(i int) int {
		cs = append(cs, cluster{ops: []int{i}, minRet: ops[i].Return, maxCall: ops[i].Call})
		return len(cs) - 1
	}
	for i, op := range ops {
		if in := op.Input.(linInput); !isRead(op) && in.Data != "" {
			byData[in.Data] = add(i)
		}
	}
	for i, op := range ops {
		d, isData := observedData(op)
		switch {
		case isData:
			k, ok := byData[d]
			if !ok { // data written before the window: a cluster without writer
				k = len(cs)
				cs = append(cs, cluster{minRet: math.MaxInt64, maxCall: math.MinInt64})
				byData[d] = k
			}
			cs[k].ops = append(cs[k].ops, i)
			cs[k].minRet, cs[k].maxCall = min(cs[k].minRet, op.Return), max(cs[k].maxCall, op.Call)
		case !isRead(op) && op.Input.(linInput).Data != "":
			// a writer: already a cluster
		default:
			add(i)
		}
	}
	for k := range cs {
		reads := cs[k].ops
		if w := reads[0]; !isRead(ops[w]) && ops[w].Input.(linInput).Data != "" {
			reads = reads[1:] // the writer stays first
			for _, r := range reads {
				if ops[r].Return < ops[w].Call {
					return nil, false // read before its write began: not this way
				}
			}
		}
		// By Return: a read that ended before another began comes first.
		sort.Slice(reads, func(a, b int) bool { return ops[reads[a]].Return < ops[reads[b]].Return })
	}

	// Kahn's algorithm on the interval relation: a cluster may go next
	// when no other remaining cluster ended before it began (closed
	// intervals: ending at the instant it began is concurrent).
	byMaxCall := make([]int, len(cs))
	for k := range byMaxCall {
		byMaxCall[k] = k
	}
	sort.Slice(byMaxCall, func(a, b int) bool { return cs[byMaxCall[a]].maxCall < cs[byMaxCall[b]].maxCall })
	remaining := &clusterHeap{cs: cs, pos: make([]int, len(cs))}
	for k := range cs {
		remaining.idx = append(remaining.idx, k)
		remaining.pos[k] = k
	}
	heap.Init(remaining)
	var pool []int
	next := 0
	order := make([]int, 0, len(ops))
	for remaining.Len() > 0 {
		top := remaining.idx[0]
		m1, m2 := cs[top].minRet, remaining.second()
		for ; next < len(byMaxCall) && cs[byMaxCall[next]].maxCall <= m2; next++ {
			pool = append(pool, byMaxCall[next])
		}
		best := -1
		for k, c := range pool {
			bound := m1
			if c == top {
				bound = m2
			}
			if cs[c].maxCall <= bound && (best < 0 || cs[c].minRet < cs[pool[best]].minRet) {
				best = k
			}
		}
		if best < 0 {
			return nil, false
		}
		c := pool[best]
		pool = append(pool[:best], pool[best+1:]...)
		heap.Remove(remaining, remaining.pos[c])
		order = append(order, cs[c].ops...)
	}
	return order, true
}

// observedData returns the data an operation saw without writing it: a
// read's result, or the snapshot a recovery point took.
func observedData(op porcupine.Operation) (string, bool) {
	if d, ok := readData(op); ok {
		return d, true
	}
	in, out := op.Input.(linInput), op.Output.(linOutput)
	return out.Data, in.Op == mRecoveryPoint && !in.Maybe && out.Err == eOK && out.Data != ""
}

// clusterHeap orders cluster indexes by earliest Return, and knows where
// each one sits so a cluster taken from the middle can be removed.
type clusterHeap struct {
	cs  []cluster
	idx []int
	pos []int
}

func (h *clusterHeap) Len() int           { return len(h.idx) }
func (h *clusterHeap) Less(a, b int) bool { return h.cs[h.idx[a]].minRet < h.cs[h.idx[b]].minRet }
func (h *clusterHeap) Swap(a, b int) {
	h.idx[a], h.idx[b] = h.idx[b], h.idx[a]
	h.pos[h.idx[a]], h.pos[h.idx[b]] = a, b
}
func (h *clusterHeap) Push(x any) { h.pos[x.(int)] = len(h.idx); h.idx = append(h.idx, x.(int)) }
func (h *clusterHeap) Pop() any {
	x := h.idx[len(h.idx)-1]
	h.idx = h.idx[:len(h.idx)-1]
	return x
}

// second is the earliest Return among the clusters other than the top
// (MaxInt64 if none): the smaller of the root's children.
func (h *clusterHeap) second() int64 {
	best := int64(math.MaxInt64)
	for _, c := range []int{1, 2} {
		if c < len(h.idx) {
			best = min(best, h.cs[h.idx[c]].minRet)
		}
	}
	return best
}
