package workload

import (
	"fmt"
	"strings"
)

// Op is the kind of one operation a worker issues: a component and a method
// of the context system. The zero value is not an operation.
type Op int

// Operation kinds, in the order of DESIGN §5 (manager, tracker, adapter).
// Their String is the qualified name used in workload mixes and results.
const (
	ManagerGet Op = iota + 1
	ManagerCreate
	ManagerUpdate
	ManagerDelete
	ManagerList
	ManagerRecoveryPoint
	ManagerRecoveryPoints
	TrackerGetState
	TrackerUpdateState
	TrackerActivate
	TrackerDeactivate
	TrackerSync
	TrackerRecoveryPoint
	AdapterCreate
	AdapterGet
	AdapterUpdate
	AdapterDelete
	AdapterList
	AdapterUpdateConfig
	AdapterCleanup
	opEnd // one past the last operation
)

// Component names, the part of an operation's name before the dot.
const (
	ComponentManager = "manager"
	ComponentTracker = "tracker"
	ComponentAdapter = "adapter"
)

// opInfo describes an operation kind. keyed: the operation takes a context
// id (Generator.Next returns one). creates: it makes a context exist.
// needsContext: it only does real work when its context (the key, or the
// tracker's active context) already exists.
type opInfo struct {
	name         string
	keyed        bool
	creates      bool
	needsContext bool
}

var opInfos = [opEnd]opInfo{
	ManagerGet:            {name: "manager.get", keyed: true, needsContext: true},
	ManagerCreate:         {name: "manager.create", keyed: true, creates: true},
	ManagerUpdate:         {name: "manager.update", keyed: true, needsContext: true},
	ManagerDelete:         {name: "manager.delete", keyed: true, needsContext: true},
	ManagerList:           {name: "manager.list"},
	ManagerRecoveryPoint:  {name: "manager.recovery_point", keyed: true, needsContext: true},
	ManagerRecoveryPoints: {name: "manager.recovery_points", keyed: true, needsContext: true},
	TrackerGetState:       {name: "tracker.get_state"},
	TrackerUpdateState:    {name: "tracker.update_state"},
	TrackerActivate:       {name: "tracker.activate", keyed: true, needsContext: true},
	TrackerDeactivate:     {name: "tracker.deactivate"},
	TrackerSync:           {name: "tracker.sync", needsContext: true},
	TrackerRecoveryPoint:  {name: "tracker.recovery_point", needsContext: true},
	AdapterCreate:         {name: "adapter.create", keyed: true, creates: true},
	AdapterGet:            {name: "adapter.get", keyed: true, needsContext: true},
	AdapterUpdate:         {name: "adapter.update", keyed: true, needsContext: true},
	AdapterDelete:         {name: "adapter.delete", keyed: true, needsContext: true},
	AdapterList:           {name: "adapter.list"},
	AdapterUpdateConfig:   {name: "adapter.update_config"},
	AdapterCleanup:        {name: "adapter.cleanup"},
}

// AllOps returns every operation kind, in declaration order.
func AllOps() []Op {
	ops := make([]Op, 0, opEnd-1)
	for op := Op(1); op < opEnd; op++ {
		ops = append(ops, op)
	}
	return ops
}

// Valid reports whether op is one of the declared operation kinds.
func (op Op) Valid() bool { return op > 0 && op < opEnd }

// String returns the qualified name, e.g. "manager.update".
func (op Op) String() string {
	if !op.Valid() {
		return fmt.Sprintf("workload.Op(%d)", int(op))
	}
	return opInfos[op].name
}

// Component returns "manager", "tracker" or "adapter".
func (op Op) Component() string {
	name := op.String()
	if i := strings.IndexByte(name, '.'); i > 0 && op.Valid() {
		return name[:i]
	}
	return ""
}

// Keyed reports whether the operation takes a context id. For the others
// (list, cleanup, update_config and every tracker operation but activate)
// Generator.Next returns the empty key.
func (op Op) Keyed() bool { return op.Valid() && opInfos[op].keyed }

// Creates reports whether the operation creates a context
// (manager.create, adapter.create).
func (op Op) Creates() bool { return op.Valid() && opInfos[op].creates }

// NeedsContext reports whether the operation does its real work only on a
// context that exists: its key (get, update, delete, recovery points,
// activate) or the tracker's active context (sync, recovery_point). On a
// missing one it fails with not-found or no-active-context.
func (op Op) NeedsContext() bool { return op.Valid() && opInfos[op].needsContext }

// ParseOp returns the operation kind of a qualified name. The error wraps
// ErrUnknown and suggests the closest name.
func ParseOp(name string) (Op, error) {
	for op := Op(1); op < opEnd; op++ {
		if opInfos[op].name == name {
			return op, nil
		}
	}
	names := make([]string, 0, opEnd-1)
	for op := Op(1); op < opEnd; op++ {
		names = append(names, opInfos[op].name)
	}
	return 0, fmt.Errorf("%w operation %q%s", ErrUnknown, name, suggest(name, names))
}
