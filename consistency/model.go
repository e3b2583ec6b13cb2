package consistency

import (
	"fmt"
	"hash/maphash"
	"strings"

	"github.com/anishathalye/porcupine"
)

// modelOp is an operation of the sequential model of one partition.
type modelOp uint8

const (
	mCreate          modelOp = iota // create: absent → present
	mUpdate                         // update: present → present with new data
	mDelete                         // delete: present → absent
	mGet                            // read
	mRemove                         // adapter cleanup removed the id: present → absent
	mEnsureAbsent                   // the manager side of adapter.delete and cleanup: → absent
	mWriteUnknown                   // tracker.sync: present → present, value unknown
	mTrackerUpdate                  // update_state: accepted iff version > current
	mTrackerGet                     // get_state
	mTrackerActivate                // activate: the state becomes whatever the manager held
	mRecoveryPoint                  // a recovery point of the context: one more, up to the limit
	mRecoveryPoints                 // the number of recovery points
)

// linInput is the input of a porcupine operation.
type linInput struct {
	Name     string // qualified operation name, shown in the visualisation
	Op       modelOp
	Ver      uint64 // version written, when VerKnown
	VerKnown bool
	Incr     bool // adapter.update: the version becomes the previous one plus one
	Data     string
	// Maybe marks an operation whose outcome is unknown: the caller was
	// told it failed with an indeterminate error, it was still running at
	// a cut, or the context it acted on is only inferred. It may or may
	// not have taken effect, and its output is not checked.
	Maybe bool
	// Failed: the caller was told it failed, so it may also have taken
	// effect only in part (a recovery point added, its trim not done).
	Failed bool
}

// linOutput is the output of a porcupine operation.
type linOutput struct {
	Err  errCode
	Ver  uint64
	Data string
	// Count is the number of recovery points (recovery_points, and the
	// final reads of memory and store), when HasCount.
	Count    int
	HasCount bool
}

type presence uint8

const (
	pUnknown presence = iota // nothing known yet (a window's initial state)
	pAbsent
	pPresent
)

// mstate is the model state of one partition: a context (manager or
// adapter) or a tracker. A tracker is always present; unknown means its
// version is not known, only a lower bound lb of it. A manager context also
// has its number of recovery points, when rpsKnown.
type mstate struct {
	p        presence
	hasVer   bool
	ver      uint64
	hasData  bool
	data     string
	lb       uint64
	rps      int
	rpsKnown bool
}

var (
	absentState  = mstate{p: pAbsent, rpsKnown: true}
	unknownState = mstate{p: pUnknown}
	trackerZero  = mstate{p: pPresent, hasVer: true, hasData: true}
	hashSeed     = maphash.MakeSeed()
)

func present(ver uint64, verKnown bool, data string) mstate {
	return mstate{p: pPresent, hasVer: verKnown, ver: ver, hasData: true, data: data}
}

// rewritten is s with a new value and the recovery points of s.
func rewritten(s mstate, v mstate) mstate {
	v.rps, v.rpsKnown = s.rps, s.rpsKnown
	if s.p == pAbsent {
		v.rps, v.rpsKnown = 0, true // a new context has no recovery points
	}
	return v
}

// rpLimit is the recovery point limit as the model enforces it: max, and
// whether a count above it is impossible (strict) — not so for an id whose
// recovery points a failed write touched, which may have left one more
// than the limit (see step).
type rpLimit struct {
	max    int
	strict bool
}

// above reports a count no state can have.
func (l rpLimit) above(count int) bool { return l.strict && count > l.max }

// newModel returns the porcupine model of one partition, starting from
// init. Indeterminate operations make it nondeterministic (the operation
// took effect, or not), hence the power-set construction of ToModel.
func newModel(init mstate, limit rpLimit) porcupine.Model {
	nm := porcupine.NondeterministicModel{
		Init: func() []interface{} { return []interface{}{init} },
		Step: func(state, input, output interface{}) []interface{} {
			return step(state.(mstate), input.(linInput), output.(linOutput), limit)
		},
		Equal:             func(a, b interface{}) bool { return a.(mstate) == b.(mstate) },
		Hash:              func(s interface{}) uint64 { return maphash.Comparable(hashSeed, s.(mstate)) },
		DescribeOperation: describeOperation,
		DescribeState:     func(s interface{}) string { return s.(mstate).String() },
	}
	return nm.ToModel()
}

func step(s mstate, in linInput, out linOutput, limit rpLimit) []interface{} {
	maxRPs := limit.max
	if in.Maybe {
		next := []interface{}{s}
		if n, ok := effect(s, in, 0, maxRPs); ok && n != s {
			next = append(next, n)
		}
		if partial := in.Op == mRecoveryPoint || in.Op == mDelete || in.Op == mEnsureAbsent; partial && in.Failed && s.rpsKnown && s.p != pAbsent {
			// Told it failed, it may also have happened in part: a
			// recovery point added but its trim of the oldest not done, or
			// a delete that removed some recovery points before failing
			// (the strategy keeping memory equal to the store). The context
			// stays, its number of recovery points is no longer known.
			n := s
			if n.p == pUnknown {
				n = rewritten(s, mstate{p: pPresent})
			}
			n.rps, n.rpsKnown = 0, false
			next = append(next, n)
		}
		return next
	}
	if n, ok := apply(s, in, out, limit); ok {
		return []interface{}{n}
	}
	return nil
}

// version is the version an update writes.
func version(s mstate, in linInput, returned uint64) (uint64, bool) {
	switch {
	case !in.Incr:
		return in.Ver, in.VerKnown
	case returned != 0:
		return returned, true
	case s.hasVer:
		return s.ver + 1, true
	}
	return 0, false
}

func accepts(s mstate, v uint64) bool {
	if s.p == pPresent {
		return v > s.ver
	}
	return v > s.lb
}

// effect is the state after in succeeded from s, false if it cannot
// succeed from s.
func effect(s mstate, in linInput, returned uint64, maxRPs int) (mstate, bool) {
	switch in.Op {
	case mCreate:
		return rewritten(absentState, present(in.Ver, in.VerKnown, in.Data)), s.p != pPresent
	case mUpdate:
		v, ok := version(s, in, returned)
		return rewritten(s, present(v, ok, in.Data)), s.p != pAbsent
	case mDelete, mRemove:
		return absentState, s.p != pAbsent
	case mEnsureAbsent:
		return absentState, true
	case mWriteUnknown:
		return rewritten(s, mstate{p: pPresent}), s.p != pAbsent
	case mRecoveryPoint:
		n := s
		if n.p == pUnknown {
			n = rewritten(s, mstate{p: pPresent})
		}
		if n.rpsKnown {
			n.rps = min(n.rps+1, maxRPs)
		}
		return n, s.p != pAbsent
	case mTrackerUpdate:
		return present(in.Ver, true, in.Data), accepts(s, in.Ver)
	case mTrackerActivate:
		return unknownState, true
	}
	return s, false
}

// apply is the state after in returned out from s, false if it could not.
func apply(s mstate, in linInput, out linOutput, limit rpLimit) (mstate, bool) {
	maxRPs := limit.max
	switch in.Op {
	case mCreate:
		switch out.Err {
		case eOK:
			return effect(s, in, out.Ver, maxRPs)
		case eExists:
			if s.p == pUnknown {
				return rewritten(s, mstate{p: pPresent}), true
			}
			return s, s.p == pPresent
		}
		return s, true // limit, invalid: no effect, and nothing learnt
	case mUpdate:
		switch out.Err {
		case eOK:
			if in.Incr && s.hasVer && out.Ver != 0 && out.Ver != s.ver+1 {
				return s, false
			}
			return effect(s, in, out.Ver, maxRPs)
		case eNotFound:
			return absentState, s.p != pPresent
		}
		return s, true
	case mRecoveryPoint:
		// It also returns the snapshot it took: a read of the state.
		if out.Err == eOK && out.Data != "" {
			if s.p == pAbsent || s.hasVer && s.ver != out.Ver || s.hasData && s.data != out.Data {
				return s, false
			}
			s = rewritten(s, present(out.Ver, true, out.Data))
		}
		fallthrough
	case mDelete, mWriteUnknown:
		switch out.Err {
		case eOK:
			return effect(s, in, 0, maxRPs)
		case eNotFound:
			return absentState, s.p != pPresent
		}
		return s, true
	case mRemove, mEnsureAbsent:
		return effect(s, in, 0, maxRPs)
	case mRecoveryPoints:
		switch out.Err {
		case eOK:
			if s.p == pAbsent || s.rpsKnown && s.rps != out.Count || limit.above(out.Count) {
				return s, false
			}
			if s.p == pUnknown {
				s = mstate{p: pPresent}
			}
			s.rps, s.rpsKnown = out.Count, true
			return s, true
		case eNotFound:
			return absentState, s.p != pPresent
		}
		return s, true
	case mGet:
		switch out.Err {
		case eOK:
			if s.p == pAbsent || s.hasVer && s.ver != out.Ver || s.hasData && s.data != out.Data {
				return s, false
			}
			if out.HasCount && (limit.above(out.Count) || s.rpsKnown && s.rps != out.Count) {
				return s, false
			}
			n := rewritten(s, present(out.Ver, true, out.Data))
			if out.HasCount {
				n.rps, n.rpsKnown = out.Count, true
			}
			return n, true
		case eNotFound:
			return absentState, s.p != pPresent
		}
		return s, true
	case mTrackerUpdate:
		switch out.Err {
		case eOK:
			return effect(s, in, 0, maxRPs)
		case eStale:
			if s.p == pPresent {
				return s, in.Ver <= s.ver
			}
			s.lb = max(s.lb, in.Ver) // rejected: the current version is at least in.Ver
			return s, true
		}
		return s, true
	case mTrackerGet:
		if out.Err != eOK {
			return s, true
		}
		if s.p == pPresent {
			return s, out.Ver == s.ver && out.Data == s.data
		}
		return present(out.Ver, true, out.Data), out.Ver >= s.lb
	case mTrackerActivate:
		if out.Err == eOK {
			return unknownState, true
		}
		return s, true
	}
	return s, true
}

func (s mstate) String() string {
	switch s.p {
	case pAbsent:
		return "absent"
	case pUnknown:
		if s.lb > 0 {
			return fmt.Sprintf("unknown (version ≥ %d)", s.lb)
		}
		return "unknown"
	}
	v, d := "v?", "data ?"
	if s.hasVer {
		v = fmt.Sprintf("v%d", s.ver)
	}
	if s.hasData {
		d = fmt.Sprintf("%q", s.data)
	}
	if s.rpsKnown && s.rps > 0 {
		d += fmt.Sprintf(", %d recovery points", s.rps)
	}
	return v + " " + d
}

func describeOperation(input, output interface{}) string {
	in, out := input.(linInput), output.(linOutput)
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
	switch {
	case in.Maybe:
		return fmt.Sprintf("%s → ? (%s: may or may not have happened)", call, out.Err)
	case out.Err != eOK:
		return fmt.Sprintf("%s → %s", call, out.Err)
	case in.Op == mRecoveryPoints:
		return fmt.Sprintf("%s → %d points", call, out.Count)
	case (in.Op == mGet || in.Op == mTrackerGet) && out.HasCount:
		return fmt.Sprintf("%s → v%d %q, %d recovery points", call, out.Ver, out.Data, out.Count)
	case in.Op == mGet || in.Op == mTrackerGet:
		return fmt.Sprintf("%s → v%d %q", call, out.Ver, out.Data)
	case in.Incr && out.Ver != 0:
		return fmt.Sprintf("%s → ok v%d", call, out.Ver)
	}
	return call + " → ok"
}
