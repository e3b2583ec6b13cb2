// Package ctxmodel is the sequential model of the context system, as a
// table of steps for package linearize: per partition, a manager context
// (absent, or present with version, data and a number of recovery points),
// an adapter context (the same, without recovery points), or a tracker (a
// version and data, unknown after an activate).
package ctxmodel

import (
	"fmt"
	"strings"

	"lockbench/consistency/internal/linearize"
)

// Steps of the model, the indexes of Steps.
const (
	Create          linearize.StepID = iota // absent → present
	Update                                  // present → present with new data
	Delete                                  // present → absent
	Get                                     // read
	Remove                                  // adapter cleanup removed the id: present → absent
	EnsureAbsent                            // the manager side of adapter.delete and cleanup: → absent
	WriteUnknown                            // tracker.sync: present → present, value unknown
	TrackerUpdate                           // update_state: accepted iff version > current
	TrackerGet                              // get_state
	TrackerActivate                         // activate: the state becomes whatever the manager held
	RecoveryPoint                           // a recovery point of the context: one more, up to the limit
	RecoveryPoints                          // the number of recovery points
	numSteps
)

// Steps is the model's table. The recovery points of a context are the
// State's Count, bounded by the model's Bound.
var Steps = []linearize.Step{
	Create: {Apply: applyCreate, Effect: effectCreate, Replaces: true, ExistsSeen: true},
	Update: {Apply: applyUpdate, Effect: effectUpdate, Replaces: true},
	Delete: {Apply: applyWrite(effectDelete), Effect: effectDelete, Partial: partial, Replaces: true},
	Get:    {Apply: applyGet, Read: true},
	Remove: {Apply: applyAlways(effectDelete), Effect: effectDelete, Replaces: true},
	EnsureAbsent: {Apply: applyAlways(effectEnsureAbsent), Effect: effectEnsureAbsent, Partial: partial,
		Replaces: true},
	WriteUnknown:    {Apply: applyWrite(effectWriteUnknown), Effect: effectWriteUnknown, Replaces: true},
	TrackerUpdate:   {Apply: applyTrackerUpdate, Effect: effectTrackerUpdate, Replaces: true},
	TrackerGet:      {Apply: applyTrackerGet, Read: true},
	TrackerActivate: {Apply: applyActivate, Effect: effectActivate, Replaces: true, NotFoundElsewhere: true},
	RecoveryPoint:   {Apply: applyRecoveryPoint, Effect: effectRecoveryPoint, Partial: partial, Snapshot: true},
	RecoveryPoints:  {Apply: applyRecoveryPoints, Read: true},
}

// Initial states.
var (
	Absent      = linearize.State{Presence: linearize.KeyAbsent, CountKnown: true}
	Unknown     = linearize.State{}
	TrackerZero = linearize.State{Presence: linearize.KeyPresent, HasVer: true, HasData: true}
)

// Model is the model of one partition from init, with at most maxRPs
// recovery points — strictly, unless a failed write may have left one more
// (see linearize.Bound).
func Model(init linearize.State, maxRPs int, strict bool) linearize.Model {
	return linearize.Model{Steps: Steps, Init: init, Bound: linearize.Bound{Max: maxRPs, Strict: strict},
		DescribeOperation: DescribeOperation, DescribeState: DescribeState}
}

func present(ver uint64, verKnown bool, data string) linearize.State {
	return linearize.State{Presence: linearize.KeyPresent, HasVer: verKnown, Ver: ver, HasData: true, Data: data}
}

// rewritten is v with the recovery points of s: none for a new context.
func rewritten(s, v linearize.State) linearize.State {
	v.Count, v.CountKnown = s.Count, s.CountKnown
	if s.Presence == linearize.KeyAbsent {
		v.Count, v.CountKnown = 0, true
	}
	return v
}

// somePresent is s known to be present, its value unknown.
func somePresent(s linearize.State) linearize.State {
	return rewritten(s, linearize.State{Presence: linearize.KeyPresent})
}

// Effects: the state after the step took effect from s, false if it cannot
// succeed from s.

func effectCreate(s linearize.State, in linearize.Input, _ linearize.Bound) (linearize.State, bool) {
	return rewritten(Absent, present(in.Ver, in.VerKnown, in.Data)), s.Presence != linearize.KeyPresent
}

func effectUpdate(s linearize.State, in linearize.Input, _ linearize.Bound) (linearize.State, bool) {
	return updated(s, in, 0), s.Presence != linearize.KeyAbsent
}

// updated is s after update in, which returned the version it wrote (0:
// not known).
func updated(s linearize.State, in linearize.Input, returned uint64) linearize.State {
	v, ok := in.Ver, in.VerKnown
	switch {
	case !in.Incr:
	case returned != 0:
		v, ok = returned, true
	case s.HasVer:
		v, ok = s.Ver+1, true
	default:
		v, ok = 0, false
	}
	return rewritten(s, present(v, ok, in.Data))
}

func effectDelete(s linearize.State, _ linearize.Input, _ linearize.Bound) (linearize.State, bool) {
	return Absent, s.Presence != linearize.KeyAbsent
}

func effectEnsureAbsent(linearize.State, linearize.Input, linearize.Bound) (linearize.State, bool) {
	return Absent, true
}

func effectWriteUnknown(s linearize.State, _ linearize.Input, _ linearize.Bound) (linearize.State, bool) {
	return somePresent(s), s.Presence != linearize.KeyAbsent
}

func effectRecoveryPoint(s linearize.State, _ linearize.Input, b linearize.Bound) (linearize.State, bool) {
	n := s
	if n.Presence == linearize.KeyUnknown {
		n = somePresent(s)
	}
	if n.CountKnown {
		n.Count = min(n.Count+1, b.Max)
	}
	return n, s.Presence != linearize.KeyAbsent
}

func effectTrackerUpdate(s linearize.State, in linearize.Input, _ linearize.Bound) (linearize.State, bool) {
	return present(in.Ver, true, in.Data), accepts(s, in.Ver)
}

func accepts(s linearize.State, v uint64) bool {
	if s.Presence == linearize.KeyPresent {
		return v > s.Ver
	}
	return v > s.LB
}

func effectActivate(linearize.State, linearize.Input, linearize.Bound) (linearize.State, bool) {
	return Unknown, true
}

// partial is what a write of several keys told it failed may have left:
// a recovery point added but its trim of the oldest not done, or a delete
// that removed some recovery points before failing (the strategy keeping
// memory equal to the store). The context stays, its number of recovery
// points is no longer known.
func partial(s linearize.State) (linearize.State, bool) {
	if !s.CountKnown || s.Presence == linearize.KeyAbsent {
		return s, false
	}
	n := s
	if n.Presence == linearize.KeyUnknown {
		n = somePresent(s)
	}
	n.Count, n.CountKnown = 0, false
	return n, true
}

// Applies: the state after the step returned out from s, false if it could
// not have.

// notFound is a definite "no such id": the context is absent.
func notFound(s linearize.State) (linearize.State, bool) {
	return Absent, s.Presence != linearize.KeyPresent
}

// applyWrite is a write that succeeds with effect, fails not_found on an
// absent context, and otherwise fails with no effect.
func applyWrite(effect func(linearize.State, linearize.Input, linearize.Bound) (linearize.State, bool)) func(linearize.State, linearize.Input, linearize.Output, linearize.Bound) (linearize.State, bool) {
	return func(s linearize.State, in linearize.Input, out linearize.Output, b linearize.Bound) (linearize.State, bool) {
		switch out.Err {
		case linearize.OK:
			return effect(s, in, b)
		case linearize.NotFound:
			return notFound(s)
		}
		return s, true
	}
}

// applyAlways is a step whose outcome says nothing: it was recorded only
// when it took effect.
func applyAlways(effect func(linearize.State, linearize.Input, linearize.Bound) (linearize.State, bool)) func(linearize.State, linearize.Input, linearize.Output, linearize.Bound) (linearize.State, bool) {
	return func(s linearize.State, in linearize.Input, _ linearize.Output, b linearize.Bound) (linearize.State, bool) {
		return effect(s, in, b)
	}
}

func applyCreate(s linearize.State, in linearize.Input, out linearize.Output, b linearize.Bound) (linearize.State, bool) {
	switch out.Err {
	case linearize.OK:
		return effectCreate(s, in, b)
	case linearize.Exists:
		if s.Presence == linearize.KeyUnknown {
			return somePresent(s), true
		}
		return s, s.Presence == linearize.KeyPresent
	}
	return s, true // limit, invalid: no effect, and nothing learnt
}

func applyUpdate(s linearize.State, in linearize.Input, out linearize.Output, _ linearize.Bound) (linearize.State, bool) {
	switch out.Err {
	case linearize.OK:
		if in.Incr && s.HasVer && out.Ver != 0 && out.Ver != s.Ver+1 {
			return s, false
		}
		return updated(s, in, out.Ver), s.Presence != linearize.KeyAbsent
	case linearize.NotFound:
		return notFound(s)
	}
	return s, true
}

// applyRecoveryPoint: a recovery point also returns the snapshot it took,
// a read of the state.
func applyRecoveryPoint(s linearize.State, in linearize.Input, out linearize.Output, b linearize.Bound) (linearize.State, bool) {
	if out.Err == linearize.OK && out.Data != "" {
		if !holds(s, out.Ver, out.Data) {
			return s, false
		}
		s = rewritten(s, present(out.Ver, true, out.Data))
	}
	return applyWrite(effectRecoveryPoint)(s, in, out, b)
}

// holds reports whether s may hold version ver with data.
func holds(s linearize.State, ver uint64, data string) bool {
	return s.Presence != linearize.KeyAbsent && (!s.HasVer || s.Ver == ver) && (!s.HasData || s.Data == data)
}

func applyRecoveryPoints(s linearize.State, _ linearize.Input, out linearize.Output, b linearize.Bound) (linearize.State, bool) {
	switch out.Err {
	case linearize.OK:
		if s.Presence == linearize.KeyAbsent || s.CountKnown && s.Count != out.Count || b.Above(out.Count) {
			return s, false
		}
		if s.Presence == linearize.KeyUnknown {
			s = linearize.State{Presence: linearize.KeyPresent}
		}
		s.Count, s.CountKnown = out.Count, true
		return s, true
	case linearize.NotFound:
		return notFound(s)
	}
	return s, true
}

func applyGet(s linearize.State, _ linearize.Input, out linearize.Output, b linearize.Bound) (linearize.State, bool) {
	switch out.Err {
	case linearize.OK:
		if !holds(s, out.Ver, out.Data) {
			return s, false
		}
		if out.HasCount && (b.Above(out.Count) || s.CountKnown && s.Count != out.Count) {
			return s, false
		}
		n := rewritten(s, present(out.Ver, true, out.Data))
		if out.HasCount {
			n.Count, n.CountKnown = out.Count, true
		}
		return n, true
	case linearize.NotFound:
		return notFound(s)
	}
	return s, true
}

func applyTrackerUpdate(s linearize.State, in linearize.Input, out linearize.Output, b linearize.Bound) (linearize.State, bool) {
	switch out.Err {
	case linearize.OK:
		return effectTrackerUpdate(s, in, b)
	case linearize.Stale:
		if s.Presence == linearize.KeyPresent {
			return s, in.Ver <= s.Ver
		}
		s.LB = max(s.LB, in.Ver) // rejected: the current version is at least in.Ver
		return s, true
	}
	return s, true
}

func applyTrackerGet(s linearize.State, _ linearize.Input, out linearize.Output, _ linearize.Bound) (linearize.State, bool) {
	if out.Err != linearize.OK {
		return s, true
	}
	if s.Presence == linearize.KeyPresent {
		return s, out.Ver == s.Ver && out.Data == s.Data
	}
	return present(out.Ver, true, out.Data), out.Ver >= s.LB
}

func applyActivate(s linearize.State, _ linearize.Input, out linearize.Output, _ linearize.Bound) (linearize.State, bool) {
	if out.Err == linearize.OK {
		return Unknown, true
	}
	return s, true
}

// DescribeState renders a state in the visualisation.
func DescribeState(s linearize.State) string {
	switch s.Presence {
	case linearize.KeyAbsent:
		return "absent"
	case linearize.KeyUnknown:
		if s.LB > 0 {
			return fmt.Sprintf("unknown (version ≥ %d)", s.LB)
		}
		return "unknown"
	}
	v, d := "v?", "data ?"
	if s.HasVer {
		v = fmt.Sprintf("v%d", s.Ver)
	}
	if s.HasData {
		d = fmt.Sprintf("%q", s.Data)
	}
	if s.CountKnown && s.Count > 0 {
		d += fmt.Sprintf(", %d recovery points", s.Count)
	}
	return v + " " + d
}

// DescribeOperation renders an operation in the visualisation.
func DescribeOperation(in linearize.Input, out linearize.Output) string {
	var args []string
	if in.VerKnown {
		args = append(args, fmt.Sprintf("v%d", in.Ver))
	}
	if in.Data != "" {
		args = append(args, fmt.Sprintf("%q", in.Data))
	}
	call := fmt.Sprintf("%s(%s)", in.Name, strings.Join(args, ", "))
	if strings.HasPrefix(in.Name, "final ") {
		call = in.Name // the checker's read at quiescence
	}
	isRead := in.Step == Get || in.Step == TrackerGet
	switch {
	case in.Maybe:
		return fmt.Sprintf("%s → ? (%s: may or may not have happened)", call, out.Reason)
	case out.Err != linearize.OK:
		return fmt.Sprintf("%s → %s", call, out.Reason)
	case in.Step == RecoveryPoints:
		return fmt.Sprintf("%s → %d points", call, out.Count)
	case isRead && out.HasCount:
		return fmt.Sprintf("%s → v%d %q, %d recovery points", call, out.Ver, out.Data, out.Count)
	case isRead:
		return fmt.Sprintf("%s → v%d %q", call, out.Ver, out.Data)
	case in.Incr && out.Ver != 0:
		return fmt.Sprintf("%s → ok v%d", call, out.Ver)
	}
	return call + " → ok"
}
