package kvcheck

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/anishathalye/porcupine"

	"lockbench/impl/kv"
)

// queued is the history porcupine finds hardest: n writers call at once and
// a lock serves them in the reverse order of their calls, each returning as
// it releases; a reader after each write sees its value.
func queued(n int) []porcupine.Operation {
	var ops []porcupine.Operation
	for i := range n {
		served := int64(n - i) // the first to call is served last
		v := fmt.Sprint(i)
		ops = append(ops,
			porcupine.Operation{ClientId: i, Input: linInput{Op: kv.Put, Key: "k", Value: v},
				Output: linOutput{}, Call: 0, Return: 10 * served},
			porcupine.Operation{ClientId: n + i, Input: linInput{Op: kv.Get, Key: "k"},
				Output: linOutput{Value: v, Found: true}, Call: 10*served + 1, Return: 10*served + 5})
	}
	return ops
}

func TestLinearizeBySort(t *testing.T) {
	ops := queued(64)
	if !linearizeBySort(ops, absent) {
		t.Fatal("a legal queued history was not linearized")
	}
	// The reader of the last write served sees the first one's value
	// instead: no linearization exists, and none may be claimed.
	for _, n := range []int{8, 64} {
		bad := queued(n)
		bad[1].Output = linOutput{Value: fmt.Sprint(n - 1), Found: true}
		if linearizeBySort(bad, absent) {
			t.Fatalf("n=%d: an illegal history was linearized", n)
		}
		// porcupine agrees (on the small one: on 64 writers called at
		// once it backtracks for minutes, which is why the sort exists).
		if n == 8 && porcupine.CheckOperations(model(absent), bad) {
			t.Fatal("porcupine disagrees: the planted history is legal")
		}
	}
}

// Operations on key "k" for hand-made partitions; each gets its own client.
type hist struct{ ops []porcupine.Operation }

func (h *hist) add(in linInput, out linOutput, call, ret int64) *hist {
	in.Key = "k"
	h.ops = append(h.ops, porcupine.Operation{ClientId: len(h.ops), Input: in, Output: out, Call: call, Return: ret})
	return h
}
func (h *hist) put(v string, call, ret int64) *hist {
	return h.add(linInput{Op: kv.Put, Value: v}, linOutput{}, call, ret)
}
func (h *hist) failedPut(v string, call, ret int64) *hist {
	return h.add(linInput{Op: kv.Put, Value: v, Maybe: true, Unchecked: true}, linOutput{}, call, ret)
}
func (h *hist) get(v string, call, ret int64) *hist { // v "": absent
	return h.add(linInput{Op: kv.Get}, linOutput{Value: v, Found: v != ""}, call, ret)
}
func (h *hist) failedGet(v string, call, ret int64) *hist {
	return h.add(linInput{Op: kv.Get, Maybe: true, Unchecked: true}, linOutput{Value: v, Found: v != ""}, call, ret)
}
func (h *hist) pia(v, loaded string, call, ret int64) *hist { // loaded "": stored
	return h.add(linInput{Op: kv.PutIfAbsent, Value: v}, linOutput{Value: loaded, Found: loaded != ""}, call, ret)
}
func (h *hist) del(deleted bool, call, ret int64) *hist {
	return h.add(linInput{Op: kv.Delete}, linOutput{Found: deleted}, call, ret)
}
func (h *hist) failedDel(call, ret int64) *hist {
	return h.add(linInput{Op: kv.Delete, Maybe: true, Unchecked: true}, linOutput{}, call, ret)
}

// sorted returns the operations sorted by Call, as partitions gives them.
func (h *hist) sorted() []porcupine.Operation {
	ops := append([]porcupine.Operation(nil), h.ops...)
	sort.SliceStable(ops, func(i, j int) bool { return ops[i].Call < ops[j].Call })
	return ops
}

// TestSortDecides pins what linearizeBySort alone decides on small
// histories: true is a proof (porcupine must agree), false leaves the key
// to porcupine — whose verdict is given, so each case says whether the
// shortcut is right to give up (illegal) or merely incomplete (legal).
func TestSortDecides(t *testing.T) {
	a := presentOf("A")
	tests := []struct {
		name  string
		h     *hist
		init  state
		sort  bool // linearizeBySort's answer
		legal bool // porcupine's
	}{
		{"empty", &hist{}, absent, true, true},
		{"put then get", new(hist).put("A", 0, 1).get("A", 2, 3), absent, true, true},
		{"get of the initial value", new(hist).get("A", 0, 1), a, true, true},
		{"get of the initial value after a put", new(hist).put("B", 0, 1).get("A", 2, 3), a, false, false},
		{"get of a value nobody wrote", new(hist).get("A", 0, 1), absent, false, false},
		{"get of a value written from another initial value", new(hist).get("B", 0, 1), a, false, false},
		{"get returning before its write is called", new(hist).get("A", 0, 4).put("A", 5, 6), absent, false, false},
		{"get returning as its write is called", new(hist).get("A", 0, 5).put("A", 5, 6), absent, true, true},
		{"get inside its write", new(hist).put("A", 0, 10).get("A", 2, 3), absent, true, true},
		{"get of the older of two writes", new(hist).put("A", 0, 1).put("B", 2, 3).get("A", 4, 5), absent, false, false},
		{"get of the first write when the second is concurrent", new(hist).put("A", 0, 1).put("B", 2, 10).get("A", 4, 5).get("B", 11, 12), absent, true, true},
		{"gets seeing two concurrent writes in both orders", new(hist).put("A", 0, 10).put("B", 0, 10).get("A", 1, 2).get("B", 3, 4).get("A", 5, 6), absent, false, false},
		// Legal (B, then A, then the get), but the sort only moves a
		// write later, never earlier: it gives up.
		{"writes served against their returns", new(hist).put("A", 0, 2).put("B", 1, 3).get("A", 4, 5), absent, false, true},
		{"writes returning at once, the first called seen", new(hist).put("A", 0, 2).put("B", 1, 2).get("A", 0, 7), absent, false, true},
		// A read pulls its write back to the read's return, where it ties
		// with the write before it: the one called first stays first.
		{"a read pulling its write onto another", new(hist).put("A", 0, 5).put("B", 0, 9).get("B", 1, 5), absent, true, true},
		{"read of a write overtaken", new(hist).put("A", 0, 1).put("B", 2, 10).get("B", 3, 5).get("A", 6, 8), absent, false, false},

		{"absent get before a put", new(hist).get("", 0, 1).put("A", 2, 3), absent, true, true},
		{"absent get of a preloaded key", new(hist).get("", 0, 1), a, false, false},
		{"absent get after a put", new(hist).put("A", 0, 1).get("", 2, 3), absent, false, false},
		{"absent get after a delete", new(hist).put("A", 0, 1).del(true, 2, 3).get("", 4, 5), absent, true, true},
		// The delete is due at its return (10), after the get: the sort
		// moves it to the get's return.
		{"absent get inside a delete", new(hist).put("A", 0, 1).del(true, 2, 10).get("", 3, 4), absent, true, true},
		{"absent get as a delete returns", new(hist).put("A", 0, 1).del(true, 2, 4).get("", 4, 5), absent, true, true},
		{"absent get returning as a delete is called", new(hist).put("A", 0, 1).get("", 3, 4).del(true, 4, 10), absent, true, true},
		{"absent get returning before a delete is called", new(hist).put("A", 0, 1).get("", 3, 4).del(true, 5, 10), absent, false, false},
		{"absent get after a put, before another", new(hist).put("A", 0, 1).get("", 2, 3).put("B", 4, 5), absent, false, false},
		// The delete due at the get's return shares its instant with a
		// put: the sort moves the next delete there instead.
		{"absent get ending where a delete and a put tie", new(hist).put("A", 0, 1).get("", 2, 5).del(true, 3, 5).put("B", 4, 5).del(true, 5, 9), absent, true, true},
		{"absent get inside a put after a delete", new(hist).put("A", 0, 1).del(true, 2, 3).put("B", 4, 10).get("", 5, 6).get("B", 11, 12), absent, true, true},
		{"absent get inside a delete and a put", new(hist).put("A", 0, 1).del(true, 2, 10).put("B", 2, 10).get("", 3, 4), absent, true, true},
		{"delete that found nothing", new(hist).del(false, 0, 1), absent, true, true},
		{"delete that found nothing in a preloaded key", new(hist).del(false, 0, 1), a, false, false},
		{"delete that deleted", new(hist).del(true, 0, 1).get("", 2, 3), a, true, true},
		{"delete that deleted an absent key", new(hist).del(true, 0, 1), absent, false, false},

		{"put_if_absent that stored", new(hist).pia("A", "", 0, 1).get("A", 2, 3), absent, true, true},
		{"put_if_absent that stored over a value", new(hist).pia("B", "", 0, 1), a, false, false},
		{"put_if_absent that loaded", new(hist).pia("B", "A", 0, 1), a, true, true},
		{"put_if_absent that loaded a value after a put", new(hist).put("A", 0, 1).pia("B", "A", 2, 3), absent, true, true},
		{"put_if_absent that loaded from an absent key", new(hist).pia("B", "A", 0, 1), absent, false, false},

		{"failed put seen", new(hist).failedPut("A", 0, 1).get("A", 2, 3), absent, true, true},
		{"failed put overwritten", new(hist).failedPut("A", 0, 1).put("B", 2, 3).get("B", 4, 5), absent, true, true},
		{"failed put not seen", new(hist).failedPut("A", 0, 1).get("", 2, 3), absent, true, true},
		// A write of unknown outcome closes the segment of the value
		// before it even when it did not take effect: a later read of
		// that value finds no place, and the sort gives up.
		{"failed put not seen over a value", new(hist).put("B", 0, 1).failedPut("A", 2, 3).get("B", 4, 5), absent, false, true},
		{"failed put not seen, read as it returns", new(hist).put("B", 0, 1).failedPut("A", 2, 3).get("B", 3, 5), absent, false, true},
		{"failed delete not seen", new(hist).put("A", 0, 1).failedDel(2, 3).get("A", 4, 5), absent, false, true},
		{"failed delete seen", new(hist).put("A", 0, 1).failedDel(2, 3).get("", 4, 5), absent, true, true},
		// Moves that undo each other until the sort stops trying.
		{"an absent get and a get of the initial value after it", new(hist).get("", -2, 5).failedDel(-2, 9).get("P", 8, 13).failedDel(10, 18), presentOf("P"), false, false},
		{"failed get says nothing", new(hist).put("A", 0, 1).failedGet("Z", 2, 3).get("A", 4, 5), absent, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ops := tt.h.sorted()
			if got := linearizeBySort(ops, tt.init); got != tt.sort {
				t.Errorf("linearizeBySort = %v, want %v", got, tt.sort)
			}
			if got := porcupine.CheckOperations(model(tt.init), ops); got != tt.legal {
				t.Errorf("porcupine: legal = %v, want %v", got, tt.legal)
			}
		})
	}
}

// randomHistory is a sequential run of up to 7 operations on one key, one
// every 2·gap, each stretched into a random interval around its instant;
// about one in six has an unknown outcome (it took effect or not), and one
// output in twelve is corrupted, so some histories are illegal.
func randomHistory(r *rand.Rand) ([]porcupine.Operation, state) {
	init := absent
	if r.IntN(2) == 0 {
		init = presentOf("P")
	}
	s, h, gap := init, new(hist), 1+r.IntN(3)
	for i := range 1 + r.IntN(7) {
		at := int64(2 * i * gap)
		call, ret := at-int64(r.IntN(2*gap+3)), at+int64(r.IntN(2*gap+3))
		v, failed := fmt.Sprint("v", i), r.IntN(6) == 0
		takesEffect := !failed || r.IntN(2) == 0
		in, out := linInput{Maybe: failed, Unchecked: failed}, linOutput{Value: s.v, Found: s.present}
		switch r.IntN(5) {
		case 0, 1:
			in.Op = kv.Get
		case 2:
			in.Op, in.Value, out = kv.Put, v, linOutput{}
			if takesEffect {
				s = presentOf(v)
			}
		case 3:
			in.Op, in.Value = kv.PutIfAbsent, v
			if !s.present && takesEffect {
				s = presentOf(v)
			}
		case 4:
			in.Op, out.Value = kv.Delete, ""
			if takesEffect {
				s = absent
			}
		}
		if r.IntN(12) == 0 {
			out.Found = !out.Found
			if out.Found && out.Value == "" {
				out.Value = fmt.Sprint("v", r.IntN(i+1))
			}
		}
		h.add(in, out, call, ret)
	}
	return h.sorted(), init
}

// TestSortIsSound: on random small histories, every linearization the sort
// claims porcupine confirms, and it decides most legal ones.
func TestSortIsSound(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	legal, decided := 0, 0
	for range 3000 {
		ops, init := randomHistory(r)
		sorted, ok := linearizeBySort(ops, init), porcupine.CheckOperations(model(init), ops)
		if sorted && !ok {
			t.Fatalf("the sort linearized an illegal history: init %v, %v", init, ops)
		}
		if ok {
			legal++
		}
		if sorted {
			decided++
		}
	}
	if decided < legal*9/10 {
		t.Errorf("the sort decided %d of %d legal histories, want 9/10 at least", decided, legal)
	}
	t.Logf("the sort decided %d of %d legal histories", decided, legal)
}
