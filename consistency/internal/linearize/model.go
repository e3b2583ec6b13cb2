package linearize

import (
	"fmt"
	"hash/maphash"

	"github.com/anishathalye/porcupine"
)

// Presence says whether a partition's key exists.
type Presence uint8

const (
	// KeyUnknown: nothing is known (a later window's initial state, or a
	// tracker after an activate). The zero State is entirely unknown.
	KeyUnknown Presence = iota
	KeyAbsent
	KeyPresent
)

// State is the state of one partition in a model: a key that is absent,
// present with a value, or unknown. Every part of the value may be unknown:
// its version (HasVer), its data (HasData), its counter (CountKnown; the
// recovery points of a context). LB is a lower bound of the version while
// the state is unknown. States are compared with == and hashed whole, so
// they stay plain values.
type State struct {
	Presence   Presence
	HasVer     bool
	Ver        uint64
	HasData    bool
	Data       string
	LB         uint64
	Count      int
	CountKnown bool
}

// StepID indexes Model.Steps.
type StepID uint8

// Input is what an operation was asked to do.
type Input struct {
	Name     string // the operation's name, shown in the visualisation
	Step     StepID
	Ver      uint64 // the version written, when VerKnown
	VerKnown bool
	Incr     bool // the version becomes the previous one plus one
	// Data is the value written; the shortcuts assume every write's data
	// is unique in its partition (a read of it names its writer).
	Data string
	// Maybe marks an operation whose outcome is unknown: the caller was
	// told it failed with an indeterminate error, it was still running at
	// a cut, or the key it acted on is only inferred. It may or may not
	// have taken effect, and its output is not checked.
	Maybe bool
	// Failed: the caller was told it failed, so it may also have taken
	// effect only in part (see Step.Partial).
	Failed bool
}

// Outcome is what the caller of an operation was told.
type Outcome uint8

const (
	OK       Outcome = iota
	Exists           // a definite failure: the key was present
	NotFound         // a definite failure: the key was absent
	Stale            // a definite failure: the version was not above the current one
	Failed           // another definite failure: no effect, nothing learnt
	Unknown          // told it failed, but not that nothing happened
)

// Output is what an operation returned.
type Output struct {
	Err    Outcome
	Reason string // the error as the system named it, for the visualisation
	Ver    uint64
	Data   string
	// Count is a counter read (the number of recovery points), when
	// HasCount.
	Count    int
	HasCount bool
}

// Bound is the most a State's Count can be: Max, and whether a count above
// it is impossible (Strict). A failed write may leave one more than Max
// (a recovery point whose trim failed), so the caller relaxes it then.
type Bound struct {
	Max    int
	Strict bool
}

// Above reports a count no state can have.
func (b Bound) Above(count int) bool { return b.Strict && count > b.Max }

// Step is one operation of a model: how it changes a state, and what the
// shortcuts may assume of it.
type Step struct {
	// Apply is the state after the operation returned out from s; false
	// if it could not have. Required.
	Apply func(s State, in Input, out Output, b Bound) (State, bool)
	// Effect is the state after the operation took effect from s; false
	// if it cannot from s. It is what an operation with an unknown outcome
	// may have done; nil: it changes nothing.
	Effect func(s State, in Input, b Bound) (State, bool)
	// Partial is a third possible state of a failed operation that may
	// have taken effect in part; nil or false: none.
	Partial func(s State) (State, bool)

	// Read: the operation never changes the state.
	Read bool
	// Replaces: on success it certainly replaced the state, so the value
	// before it can no longer be read.
	Replaces bool
	// Snapshot: on success it returned the data it saw (Output.Data), as
	// a read would, besides changing the state.
	Snapshot bool
	// ExistsSeen: an Exists outcome shows the key present.
	ExistsSeen bool
	// NotFoundElsewhere: a NotFound outcome is about another key (an
	// activate that found no context), not this partition's.
	NotFoundElsewhere bool
}

// Model is the sequential specification of one partition: a table of steps
// over a State, from Init. Operations name their step by Input.Step.
type Model struct {
	Steps []Step
	Init  State
	Bound Bound
	// DescribeOperation and DescribeState render the visualisation; nil:
	// a plain default.
	DescribeOperation func(Input, Output) string
	DescribeState     func(State) string
}

func (m *Model) step(op porcupine.Operation) *Step { return &m.Steps[op.Input.(Input).Step] }

// next is the set of states after in returned out from s: one, none, or —
// for an operation with an unknown outcome — every state it may have left.
func (m *Model) next(s State, in Input, out Output) []interface{} {
	st := &m.Steps[in.Step]
	if !in.Maybe {
		if n, ok := st.Apply(s, in, out, m.Bound); ok {
			return []interface{}{n}
		}
		return nil
	}
	next := []interface{}{s}
	if st.Effect != nil {
		if n, ok := st.Effect(s, in, m.Bound); ok && n != s {
			next = append(next, n)
		}
	}
	if in.Failed && st.Partial != nil {
		if n, ok := st.Partial(s); ok {
			next = append(next, n)
		}
	}
	return next
}

var hashSeed = maphash.MakeSeed()

// porcupine returns the model as porcupine sees it, from init. Operations
// with an unknown outcome make it nondeterministic (they took effect, or
// not), hence the power-set construction of ToModel.
func (m *Model) porcupine(init State) porcupine.Model {
	describeOp := m.DescribeOperation
	if describeOp == nil {
		describeOp = func(in Input, out Output) string { return fmt.Sprintf("%s → %+v", in.Name, out) }
	}
	describeState := m.DescribeState
	if describeState == nil {
		describeState = func(s State) string { return fmt.Sprintf("%+v", s) }
	}
	nm := porcupine.NondeterministicModel{
		Init: func() []interface{} { return []interface{}{init} },
		Step: func(state, input, output interface{}) []interface{} {
			return m.next(state.(State), input.(Input), output.(Output))
		},
		Equal: func(a, b interface{}) bool { return a.(State) == b.(State) },
		Hash:  func(s interface{}) uint64 { return maphash.Comparable(hashSeed, s.(State)) },
		DescribeOperation: func(in, out interface{}) string {
			return describeOp(in.(Input), out.(Output))
		},
		DescribeState: func(s interface{}) string { return describeState(s.(State)) },
	}
	return nm.ToModel()
}
