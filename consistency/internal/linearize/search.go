package linearize

import (
	"math/bits"
	"sort"
	"time"
)

// search looks for a linearization by depth-first search, like porcupine
// (Wing & Gong's algorithm with Lowe's cache of visited (linearized set,
// state) pairs), but trying candidates in a better order: operations that
// observe without changing the state first, then by urgency (see
// writeUrgency), where porcupine tries them in call order and offers no way
// to choose. It reports whether it found one before the deadline; not
// finding one proves nothing here (porcupine decides, and draws).
func (a *attempt) search() bool {
	n := len(a.ops)
	if n == 0 {
		return true
	}
	s := newSearcher(a)
	type frame struct {
		cands []int
		next  int         // next candidate to try
		state interface{} // state before this frame's choice
		op    int         // the choice in effect, -1 when none
	}
	stack := []frame{{cands: s.candidates(), state: a.pm.Init(), op: -1}}
	for placed, steps := 0, 0; ; steps++ {
		if steps%1024 == 0 && time.Now().After(a.deadline) {
			return false
		}
		f := &stack[len(stack)-1]
		if f.op >= 0 { // undo the previous choice before the next one
			s.unplace(f.op)
			placed--
			f.op = -1
		}
		advanced := false
		for !advanced && f.next < len(f.cands) {
			i := f.cands[f.next]
			f.next++
			next, ok := s.place(f.state, i)
			if !ok {
				continue
			}
			f.op = i
			placed++
			if placed == n {
				return true
			}
			stack = append(stack, frame{cands: s.candidates(), state: next, op: -1})
			advanced = true
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

// searcher holds the search's linearized set, its indexes over it, and the
// cache of (linearized set, state) pairs already explored.
type searcher struct {
	*attempt
	urgency         []int64
	byCall, byRet   []int
	callPos, retPos []int
	lin             bitset
	cache           map[uint64][]cached
	retLo, callLo   int // byRet[:retLo] and byCall[:callLo] are linearized
}

type cached struct {
	lin   bitset
	state interface{}
}

func newSearcher(a *attempt) *searcher {
	n := len(a.ops)
	s := &searcher{attempt: a, urgency: a.m.writeUrgency(a.ops),
		byCall: make([]int, n), byRet: make([]int, n), callPos: make([]int, n), retPos: make([]int, n),
		lin: make(bitset, (n+63)/64), cache: map[uint64][]cached{}}
	for i := range s.byCall {
		s.byCall[i], s.byRet[i] = i, i
	}
	sort.SliceStable(s.byCall, func(x, y int) bool { return a.ops[s.byCall[x]].Call < a.ops[s.byCall[y]].Call })
	sort.SliceStable(s.byRet, func(x, y int) bool { return a.ops[s.byRet[x]].Return < a.ops[s.byRet[y]].Return })
	for k, i := range s.byRet {
		s.retPos[i] = k
	}
	for k, i := range s.byCall {
		s.callPos[i] = k
	}
	return s
}

// place linearizes operation i after state, unless the model refuses it or
// the pair (linearized set, next state) was explored already.
func (s *searcher) place(state interface{}, i int) (interface{}, bool) {
	ok, next := s.pm.Step(state, s.ops[i].Input, s.ops[i].Output)
	if !ok {
		return nil, false
	}
	s.lin.set(i)
	if s.seen(next) {
		s.lin.clear(i)
		return nil, false
	}
	return next, true
}

func (s *searcher) unplace(i int) {
	s.lin.clear(i)
	s.retLo, s.callLo = min(s.retLo, s.retPos[i]), min(s.callLo, s.callPos[i])
}

// seen reports whether the current linearized set was reached with state
// before, and remembers it.
func (s *searcher) seen(state interface{}) bool {
	h := s.lin.hash()
	if s.pm.Hash != nil {
		h ^= s.pm.Hash(state)
	}
	for _, c := range s.cache[h] {
		if c.lin.equal(s.lin) && s.pm.Equal(c.state, state) {
			return true
		}
	}
	s.cache[h] = append(s.cache[h], cached{s.lin.clone(), state})
	return false
}

// candidates are the operations that may be linearized next (invoked
// before every unlinearized operation returned), observations first, then
// by urgency.
func (s *searcher) candidates() []int {
	n, ops := len(s.ops), s.ops
	for s.retLo < n && s.lin.has(s.byRet[s.retLo]) {
		s.retLo++
	}
	for s.callLo < n && s.lin.has(s.byCall[s.callLo]) {
		s.callLo++
	}
	first := ops[s.byRet[s.retLo]].Return
	var c []int
	for _, i := range s.byCall[s.callLo:] {
		if ops[i].Call > first {
			break
		}
		if !s.lin.has(i) {
			c = append(c, i)
		}
	}
	sort.SliceStable(c, func(a, b int) bool {
		oa, ob := s.m.observes(ops[c[a]]), s.m.observes(ops[c[b]])
		if oa != ob {
			return oa
		}
		return s.urgency[c[a]] < s.urgency[c[b]]
	})
	return c
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
