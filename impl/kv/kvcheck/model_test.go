package kvcheck

import (
	"slices"
	"testing"

	"lockbench/impl/kv"
)

// TestStep pins the sequential specification of one key, state by state:
// what each operation allows from an absent, a present and an unknown
// state, checked, with an unknown outcome (Maybe and Unchecked, as
// partitions builds it), and straddling a window's edge (Maybe only).
func TestStep(t *testing.T) {
	a, b, c := presentOf("A"), presentOf("B"), presentOf("C")
	sure := func(o kv.Op, v string) linInput { return linInput{Op: o, Key: "k", Value: v} }
	failedIn := func(o kv.Op, v string) linInput {
		return linInput{Op: o, Key: "k", Value: v, Maybe: true, Unchecked: true}
	}
	edge := func(o kv.Op, v string) linInput { return linInput{Op: o, Key: "k", Value: v, Maybe: true} }
	saw := func(v string) linOutput { return linOutput{Value: v, Found: true} }
	none := linOutput{}
	tests := []struct {
		name string
		s    state
		in   linInput
		out  linOutput
		want []state // nil: the operation cannot happen in s
	}{
		{"get sees the value", a, sure(kv.Get, ""), saw("A"), []state{a}},
		{"get sees another value", a, sure(kv.Get, ""), saw("B"), nil},
		{"get misses a present key", a, sure(kv.Get, ""), none, nil},
		{"get sees an absent key", absent, sure(kv.Get, ""), none, []state{absent}},
		{"get sees a value in an absent key", absent, sure(kv.Get, ""), saw("A"), nil},
		{"get learns an unknown state (present)", anyState, sure(kv.Get, ""), saw("A"), []state{a}},
		{"get learns an unknown state (absent)", anyState, sure(kv.Get, ""), none, []state{absent}},
		{"failed get says nothing", a, failedIn(kv.Get, ""), saw("B"), []state{a}},
		{"get at an edge that did not happen here", a, edge(kv.Get, ""), saw("B"), []state{a}},
		{"get at an edge that may have happened here", anyState, edge(kv.Get, ""), saw("A"), []state{anyState, a}},

		{"put", absent, sure(kv.Put, "B"), none, []state{b}},
		{"put over a value", a, sure(kv.Put, "B"), none, []state{b}},
		{"failed put", a, failedIn(kv.Put, "B"), none, []state{a, b}},
		{"failed put of the value already there", b, failedIn(kv.Put, "B"), none, []state{b}},

		{"put_if_absent stores", absent, sure(kv.PutIfAbsent, "B"), none, []state{b}},
		{"put_if_absent stores over a value", a, sure(kv.PutIfAbsent, "B"), none, nil},
		{"put_if_absent stores from unknown", anyState, sure(kv.PutIfAbsent, "B"), none, []state{b}},
		{"put_if_absent loads the value", a, sure(kv.PutIfAbsent, "B"), saw("A"), []state{a}},
		{"put_if_absent loads from an absent key", absent, sure(kv.PutIfAbsent, "B"), saw("A"), nil},
		{"put_if_absent loads another value", c, sure(kv.PutIfAbsent, "B"), saw("A"), nil},
		{"put_if_absent loads from unknown", anyState, sure(kv.PutIfAbsent, "B"), saw("A"), []state{a}},
		{"failed put_if_absent on a present key", a, failedIn(kv.PutIfAbsent, "B"), saw("C"), []state{a}},
		{"failed put_if_absent on an absent key", absent, failedIn(kv.PutIfAbsent, "B"), saw("C"), []state{absent, b}},
		{"failed put_if_absent on unknown", anyState, failedIn(kv.PutIfAbsent, "B"), none, []state{anyState, b}},
		{"unchecked put_if_absent that took effect, present", a, linInput{Op: kv.PutIfAbsent, Value: "B", Unchecked: true}, none, []state{a}},
		{"unchecked put_if_absent that took effect, absent", absent, linInput{Op: kv.PutIfAbsent, Value: "B", Unchecked: true}, saw("A"), []state{b}},

		{"delete deletes", a, sure(kv.Delete, ""), linOutput{Found: true}, []state{absent}},
		{"delete deletes an absent key", absent, sure(kv.Delete, ""), linOutput{Found: true}, nil},
		{"delete deletes from unknown", anyState, sure(kv.Delete, ""), linOutput{Found: true}, []state{absent}},
		{"delete finds nothing", absent, sure(kv.Delete, ""), none, []state{absent}},
		{"delete finds nothing in a present key", a, sure(kv.Delete, ""), none, nil},
		{"delete finds nothing from unknown", anyState, sure(kv.Delete, ""), none, []state{absent}},
		{"failed delete of a present key", a, failedIn(kv.Delete, ""), none, []state{a, absent}},
		{"failed delete of an absent key", absent, failedIn(kv.Delete, ""), linOutput{Found: true}, []state{absent}},
		{"failed delete from unknown", anyState, failedIn(kv.Delete, ""), none, []state{anyState, absent}},
		{"delete at an edge", a, edge(kv.Delete, ""), none, []state{a}},

		{"a scan is never a partition's operation", a, sure(kv.Scan, ""), saw("A"), nil},
		{"no operation", a, linInput{}, none, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []state
			for _, n := range step(tt.s, tt.in, tt.out) {
				got = append(got, n.(state))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("step(%v, %s) = %v, want %v", tt.s, describe(tt.in, tt.out), got, tt.want)
			}
		})
	}
}

func TestDescribe(t *testing.T) {
	for _, tt := range []struct {
		in   linInput
		out  linOutput
		want string
	}{
		{linInput{Op: kv.Get, Key: "k"}, linOutput{Value: "A", Found: true}, `kv.get(k) -> "A"`},
		{linInput{Op: kv.Get, Key: "k", Label: "final store"}, linOutput{}, `final store(k) -> absent`},
		{linInput{Op: kv.Put, Key: "k", Value: "B"}, linOutput{}, `kv.put(k, "B")`},
		{linInput{Op: kv.PutIfAbsent, Key: "k", Value: "B"}, linOutput{}, `kv.put_if_absent(k, "B") -> stored`},
		{linInput{Op: kv.PutIfAbsent, Key: "k", Value: "B"}, linOutput{Value: "A", Found: true}, `kv.put_if_absent(k, "B") -> loaded "A"`},
		{linInput{Op: kv.Delete, Key: "k"}, linOutput{Found: true}, `kv.delete(k) -> deleted=true`},
		{linInput{Op: kv.Delete, Key: "k", Maybe: true, Unchecked: true}, linOutput{}, `kv.delete(k) -> deleted=false (outcome unknown)`},
		{linInput{Op: kv.Put, Key: "k", Value: "B", Maybe: true}, linOutput{}, `kv.put(k, "B") (may fall outside this window)`},
	} {
		if got := describe(tt.in, tt.out); got != tt.want {
			t.Errorf("describe = %s, want %s", got, tt.want)
		}
	}
	for s, want := range map[state]string{anyState: "?", absent: "absent", presentOf("A"): `"A"`} {
		if got := s.String(); got != want {
			t.Errorf("%#v.String() = %s, want %s", s, got, want)
		}
	}
}
