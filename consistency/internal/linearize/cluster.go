package linearize

import (
	"container/heap"
	"math"
	"sort"
	"time"
)

// byClusters tries the linearization that a register with unique values
// dictates, and replays it through the model. A cluster is a write and the
// operations that saw its data (reads, snapshots); every other operation is
// a cluster of its own. With unique data, a linearization keeps each
// cluster together, write first, so it is an order of clusters in which no
// cluster comes after one that began after it ended: cluster A must precede
// B when some operation of A returned before some operation of B was
// called. That relation is given by intervals (A's earliest Return against
// B's latest Call), so a topological order is found in O(n log n); for a
// plain register of unique values it exists iff the history is
// linearizable. The model then replays it, checking what clusters ignore
// (creates on absent keys, the version rule, counters); success is a proof,
// a failure proves nothing.
func (a *attempt) byClusters() bool {
	cs, ok := a.clusters()
	if !ok {
		return false
	}
	order, ok := clusterOrder(cs, len(a.ops))
	if !ok {
		return false
	}
	state := a.pm.Init()
	for k, i := range order {
		if k%1024 == 0 && time.Now().After(a.deadline) {
			return false
		}
		ok, next := a.pm.Step(state, a.ops[i].Input, a.ops[i].Output)
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

// clusters groups the operations: each write with the operations that saw
// its data, every other operation alone. False if a read returned before
// its write began.
func (a *attempt) clusters() ([]cluster, bool) {
	ops, m := a.ops, a.m
	byData := map[string]int{} // data → cluster
	var cs []cluster
	add := func(i int) int {
		cs = append(cs, cluster{ops: []int{i}, minRet: ops[i].Return, maxCall: ops[i].Call})
		return len(cs) - 1
	}
	for i, op := range ops {
		if d := m.writes(op); d != "" {
			byData[d] = add(i)
		}
	}
	for i, op := range ops {
		d, isData := m.observedData(op)
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
		case m.writes(op) != "":
			// a writer: already a cluster
		default:
			add(i)
		}
	}
	for k := range cs {
		reads := cs[k].ops
		if w := reads[0]; m.writes(ops[w]) != "" {
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
	return cs, true
}

// clusterOrder returns the operations in an order of clusters that keeps
// real time, or false if the clusters' precedence has a cycle. It is Kahn's
// algorithm on the interval relation: a cluster may go next when no other
// remaining cluster ended before it began (closed intervals: ending at the
// instant it began is concurrent).
func clusterOrder(cs []cluster, n int) ([]int, bool) {
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
	order := make([]int, 0, n)
	for remaining.Len() > 0 {
		top := remaining.idx[0]
		m1, m2 := cs[top].minRet, remaining.second()
		for ; next < len(byMaxCall) && cs[byMaxCall[next]].maxCall <= m2; next++ {
			pool = append(pool, byMaxCall[next])
		}
		best := eligible(cs, pool, top, m1, m2)
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

// eligible returns the position in pool of the cluster that may go next
// with the earliest Return, -1 if none may: a cluster may go when it was
// called by the earliest Return of the others (m1 is the top's, m2 the next
// one's, for the top itself).
func eligible(cs []cluster, pool []int, top int, m1, m2 int64) int {
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
	return best
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
