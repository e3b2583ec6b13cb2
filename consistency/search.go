package consistency

import (
	"math/bits"
	"sort"
	"time"

	"github.com/anishathalye/porcupine"
)

// searchLinearization looks for a linearization of ops with model by
// depth-first search, like porcupine (Wing & Gong's algorithm with Lowe's
// cache of visited (linearized set, state) pairs), but trying candidates
// in a better order: operations that observe without changing the state
// first, then by urgency (see writeUrgency), where porcupine tries them in
// call order. It reports whether it found one before the deadline; not
// finding one proves nothing here (porcupine decides, and draws).
func searchLinearization(model porcupine.Model, ops []porcupine.Operation, deadline time.Time) bool {
	n := len(ops)
	if n == 0 {
		return true
	}
	urgency := writeUrgency(ops)
	byCall := make([]int, n)
	byRet := make([]int, n)
	for i := range byCall {
		byCall[i], byRet[i] = i, i
	}
	sort.SliceStable(byCall, func(a, b int) bool { return ops[byCall[a]].Call < ops[byCall[b]].Call })
	sort.SliceStable(byRet, func(a, b int) bool { return ops[byRet[a]].Return < ops[byRet[b]].Return })
	retPos, callPos := make([]int, n), make([]int, n)
	for k, i := range byRet {
		retPos[i] = k
	}
	for k, i := range byCall {
		callPos[i] = k
	}

	lin := make(bitset, (n+63)/64)
	type cached struct {
		lin   bitset
		state interface{}
	}
	cache := map[uint64][]cached{}
	seen := func(state interface{}) bool {
		h := lin.hash()
		if model.Hash != nil {
			h ^= model.Hash(state)
		}
		for _, c := range cache[h] {
			if c.lin.equal(lin) && model.Equal(c.state, state) {
				return true
			}
		}
		cache[h] = append(cache[h], cached{lin.clone(), state})
		return false
	}

	retLo, callLo := 0, 0 // byRet[:retLo] and byCall[:callLo] are linearized
	candidates := func() []int {
		for retLo < n && lin.has(byRet[retLo]) {
			retLo++
		}
		for callLo < n && lin.has(byCall[callLo]) {
			callLo++
		}
		first := ops[byRet[retLo]].Return
		var c []int
		for _, i := range byCall[callLo:] {
			if ops[i].Call > first {
				break
			}
			if !lin.has(i) {
				c = append(c, i)
			}
		}
		sort.SliceStable(c, func(a, b int) bool {
			oa, ob := observes(ops[c[a]]), observes(ops[c[b]])
			if oa != ob {
				return oa
			}
			return urgency[c[a]] < urgency[c[b]]
		})
		return c
	}

	type frame struct {
		cands []int
		next  int         // next candidate to try
		state interface{} // state before this frame's choice
		op    int         // the choice in effect, -1 when none
	}
	state := model.Init()
	stack := []frame{{cands: candidates(), state: state, op: -1}}
	for placed, steps := 0, 0; ; steps++ {
		if steps%1024 == 0 && time.Now().After(deadline) {
			return false
		}
		f := &stack[len(stack)-1]
		if f.op >= 0 { // undo the previous choice before the next one
			lin.clear(f.op)
			retLo, callLo = min(retLo, retPos[f.op]), min(callLo, callPos[f.op])
			placed--
			f.op = -1
		}
		advanced := false
		for f.next < len(f.cands) {
			i := f.cands[f.next]
			f.next++
			ok, next := model.Step(f.state, ops[i].Input, ops[i].Output)
			if !ok {
				continue
			}
			lin.set(i)
			if seen(next) {
				lin.clear(i)
				continue
			}
			f.op = i
			placed++
			if placed == n {
				return true
			}
			stack = append(stack, frame{cands: candidates(), state: next, op: -1})
			advanced = true
			break
		}
		if advanced {
			continue
		}
		stack = stack[:len(stack)-1]
		if len(stack) == 0 {
			return false
		}
	}
}

// bitset is a set of operation indexes.
type bitset []uint64

func (b bitset) has(i int) bool { return b[i/64]&(1<<(i%64)) != 0 }
func (b bitset) set(i int)      { b[i/64] |= 1 << (i % 64) }
func (b bitset) clear(i int)    { b[i/64] &^= 1 << (i % 64) }

func (b bitset) clone() bitset { return append(bitset(nil), b...) }

func (b bitset) equal(o bitset) bool {
	for k := range b {
		if b[k] != o[k] {
			return false
		}
	}
	return true
}

func (b bitset) hash() uint64 {
	h := uint64(len(b))
	for _, w := range b {
		h = bits.RotateLeft64(h, 11) ^ w*0x9e3779b97f4a7c15
	}
	return h
}
