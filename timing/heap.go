package timing

// deadlineEntry is a pending sleeper: its deadline and how late the alarm
// may wake it (both in ns of now()).
type deadlineEntry struct {
	deadline, slack int64
}

// deadlineHeap is a min-heap on deadline. It holds values, not pointers,
// so it costs the garbage collector nothing, and it is written out rather
// than built on container/heap, whose interface would box every entry.
type deadlineHeap []deadlineEntry

func (h *deadlineHeap) push(e deadlineEntry) {
	*h = append(*h, e)
	h.up(len(*h) - 1)
}

// pop removes the top.
func (h *deadlineHeap) pop() { h.removeAt(0) }

func (h *deadlineHeap) removeAt(i int) {
	s := *h
	last := len(s) - 1
	s[i] = s[last]
	*h = s[:last]
	if i < last {
		h.down(i)
		h.up(i)
	}
}

func (h deadlineHeap) up(i int) {
	e := h[i]
	for i > 0 {
		parent := (i - 1) / 2
		if h[parent].deadline <= e.deadline {
			break
		}
		h[i] = h[parent]
		i = parent
	}
	h[i] = e
}

func (h deadlineHeap) down(i int) {
	e := h[i]
	for {
		child := 2*i + 1
		if child >= len(h) {
			break
		}
		if child+1 < len(h) && h[child+1].deadline < h[child].deadline {
			child++
		}
		if e.deadline <= h[child].deadline {
			break
		}
		h[i] = h[child]
		i = child
	}
	h[i] = e
}

// around lowers *first to the earliest deadline at or after from, and
// raises *last to the latest before from, in the subtree at i. It visits
// only the entries before from (and the children of those): a node at or
// after from has no descendant before it.
func (h deadlineHeap) around(i int, from int64, first, last *int64) {
	if i >= len(h) {
		return
	}
	d := h[i].deadline
	if d >= from {
		*first = min(*first, d)
		return
	}
	*last = max(*last, d)
	h.around(2*i+1, from, first, last)
	h.around(2*i+2, from, first, last)
}
