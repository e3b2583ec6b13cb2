package kvcheck

import (
	"math"
	"sort"

	"github.com/anishathalye/porcupine"

	"lockbench/impl/kv"
)

// linearizeBySort tries to prove one key's history (sorted by Call, whole)
// linearizable by building a linearization and replaying it through the
// model; false proves nothing, and porcupine decides.
//
// It exists because porcupine tries pending operations in call order, and
// when many callers queue on one lock the first to call is often the last
// served: on a hot key with 16 workers porcupine backtracks for seconds
// through a few thousand operations. Here every write has a unique value
// and every read names the write it saw, so a good order is nearly given:
// each write takes effect at its return — or earlier, at the return of the
// first read that saw it (a delete: at the start of an absent read that
// found no other place) — and each read right after the write it saw, at
// the first instant of its own interval inside that write's segment. The
// order is then checked against real time (no operation placed after one
// that started after it returned) and replayed through the model, with the
// writes of unknown outcome taking effect or not.
func linearizeBySort(ops []porcupine.Operation, init state) bool {
	var l sortLin
	l.init = init
	for _, op := range ops {
		in, out := op.Input.(linInput), op.Output.(linOutput)
		switch {
		case in.Unchecked && in.Op == kv.Get:
			// A failed get changes nothing and says nothing: it fits
			// anywhere in its interval, so it is left out (kept as a
			// write, it would close the segment of the value before it).
			continue
		case in.Unchecked || in.Op == kv.Put || (in.Op == kv.PutIfAbsent && !out.Found) || (in.Op == kv.Delete && out.Found):
			l.writes = append(l.writes, item{op: op, at: op.Return})
		default: // get, put_if_absent that loaded, delete that found nothing
			l.reads = append(l.reads, item{op: op, read: true})
		}
	}
	l.index()
	// A write took effect no later than the first return of a read of it.
	for _, r := range l.reads {
		out := r.op.Output.(linOutput)
		if !out.Found {
			continue
		}
		i, ok := l.writerOf[out.Value]
		if !ok {
			if init.present && init.v == out.Value {
				continue
			}
			return false
		}
		w := &l.writes[i]
		if w.op.Call > r.op.Return {
			return false
		}
		w.at = max(min(w.at, r.op.Return), w.op.Call)
	}
	l.index()
	for tries := 0; tries <= len(l.reads)+len(l.writes); tries++ {
		failed, need := l.placeReads()
		if failed < 0 {
			return l.verify()
		}
		// A read found no place: move the write that closed its
		// segment too early (a present read: the write after the one it
		// saw; an absent read: the first delete due after it) to just
		// after the read's start, if its own interval allows.
		r := l.reads[failed]
		out := r.op.Output.(linOutput)
		var next int
		if out.Found {
			i, ok := l.writerOf[out.Value]
			if !ok {
				i = -1
			}
			next = i + 1
		} else {
			next = sort.Search(len(l.writes), func(i int) bool { return l.writes[i].at > need })
			for ; next < len(l.writes); next++ {
				if in := l.writes[next].op.Input.(linInput); in.Op == kv.Delete {
					break
				}
			}
		}
		if next == len(l.writes) {
			return false
		}
		w := &l.writes[next]
		at := max(need, r.op.Call)
		if out.Found {
			at++ // after the read
		}
		if at > w.op.Return || at < w.op.Call || at == w.at {
			return false
		}
		w.at = at
		l.index()
	}
	return false
}

type item struct {
	op   porcupine.Operation
	at   int64
	read bool
}

// sortLin is linearizeBySort's working state.
type sortLin struct {
	init     state
	writes   []item // sorted by at, after index
	reads    []item
	writerOf map[string]int // value → index in writes
}

// index sorts the writes by their instants and maps values to them.
func (l *sortLin) index() {
	sort.SliceStable(l.writes, func(i, j int) bool { return l.writes[i].at < l.writes[j].at })
	l.writerOf = make(map[string]int, len(l.writes))
	for i, w := range l.writes {
		if in := w.op.Input.(linInput); in.Op != kv.Delete && in.Op != kv.Get {
			l.writerOf[in.Value] = i
		}
	}
}

// Segment i (i = -1: before every write) runs from writes[i].at to
// writes[i+1].at.
func (l *sortLin) segStart(i int) int64 {
	if i < 0 {
		return math.MinInt64
	}
	return l.writes[i].at
}

func (l *sortLin) segEnd(i int) int64 {
	if i+1 >= len(l.writes) {
		return math.MaxInt64
	}
	return l.writes[i+1].at
}

// mayBeAbsent reports whether the key may be absent in segment i.
func (l *sortLin) mayBeAbsent(i int) bool {
	if i < 0 {
		return !l.init.present
	}
	in := l.writes[i].op.Input.(linInput)
	return in.Op == kv.Delete || in.Unchecked
}

// placeReads gives every read an instant in the segment of the state it
// saw. It returns -1, or the index of the first read it could not place and
// the instant from which a write closing its segment would have to move
// (present read: the instant it would take; absent read: its return).
func (l *sortLin) placeReads() (int, int64) {
	for j := range l.reads {
		r := &l.reads[j]
		out := r.op.Output.(linOutput)
		place := func(i int) bool {
			at := max(r.op.Call, l.segStart(i))
			if at > r.op.Return || at >= l.segEnd(i) {
				return false
			}
			r.at = at
			return true
		}
		if out.Found {
			i, ok := l.writerOf[out.Value]
			if !ok {
				i = -1 // the initial value
			}
			if !place(i) {
				return j, max(r.op.Call, l.segStart(i))
			}
			continue
		}
		// The segment holding the read's call, then later ones while they
		// start inside its interval.
		i := sort.Search(len(l.writes), func(i int) bool { return l.writes[i].at > r.op.Call }) - 1
		placed := false
		for ; i < len(l.writes) && l.segStart(i) <= r.op.Return; i++ {
			if l.mayBeAbsent(i) && place(i) {
				placed = true
				break
			}
		}
		if !placed {
			return j, r.op.Return
		}
	}
	return -1, 0
}

// verify checks the order against real time and replays it.
func (l *sortLin) verify() bool {
	all := append(append([]item(nil), l.writes...), l.reads...)
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].at != all[j].at {
			return all[i].at < all[j].at
		}
		return !all[i].read && all[j].read // a read after the write it saw
	})
	// Real time: nothing placed after an operation that started after it
	// returned.
	maxCall := int64(math.MinInt64)
	for _, it := range all {
		if it.op.Return < maxCall {
			return false
		}
		maxCall = max(maxCall, it.op.Call)
	}
	// Replay, keeping every state the writes of unknown outcome allow.
	states := []state{l.init}
	for _, it := range all {
		var next []state
		for _, s := range states {
			for _, n := range step(s, it.op.Input.(linInput), it.op.Output.(linOutput)) {
				if ns := n.(state); !containsState(next, ns) {
					next = append(next, ns)
				}
			}
		}
		if len(next) == 0 {
			return false
		}
		states = next
	}
	return true
}

func containsState(states []state, s state) bool {
	for _, x := range states {
		if x == s {
			return true
		}
	}
	return false
}
