package ctxsys

import "lockbench/target"

// The context system's operations, as the runner, the workload generator
// and the consistency checker know them: indexes into Ops (see
// lockbench/target). Their names are what workload mixes and results use.
const (
	ManagerGet target.Op = iota
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
	numOps
)

// Component names, the part of an operation's name before the dot.
const (
	ComponentManager = "manager"
	ComponentTracker = "tracker"
	ComponentAdapter = "adapter"
)

// Ops describes every operation, indexed by the constants above. Keyed
// operations take a context id; the others (list, cleanup, update_config
// and every tracker operation but activate) get the empty key. Tracker
// operations without a key work on the tracker's active context, which is
// what NeedsExisting means for sync and recovery_point.
var Ops = []target.OpSpec{
	ManagerGet:            {Name: "manager.get", Keyed: true, NeedsExisting: true},
	ManagerCreate:         {Name: "manager.create", Keyed: true, Writes: true, Creates: true},
	ManagerUpdate:         {Name: "manager.update", Keyed: true, Writes: true, NeedsExisting: true},
	ManagerDelete:         {Name: "manager.delete", Keyed: true, Writes: true, NeedsExisting: true},
	ManagerList:           {Name: "manager.list"},
	ManagerRecoveryPoint:  {Name: "manager.recovery_point", Keyed: true, Writes: true, NeedsExisting: true},
	ManagerRecoveryPoints: {Name: "manager.recovery_points", Keyed: true, NeedsExisting: true},
	TrackerGetState:       {Name: "tracker.get_state"},
	TrackerUpdateState:    {Name: "tracker.update_state", Writes: true},
	TrackerActivate:       {Name: "tracker.activate", Keyed: true, NeedsExisting: true},
	TrackerDeactivate:     {Name: "tracker.deactivate"},
	TrackerSync:           {Name: "tracker.sync", Writes: true, NeedsExisting: true},
	TrackerRecoveryPoint:  {Name: "tracker.recovery_point", Writes: true, NeedsExisting: true},
	AdapterCreate:         {Name: "adapter.create", Keyed: true, Writes: true, Creates: true},
	AdapterGet:            {Name: "adapter.get", Keyed: true, NeedsExisting: true},
	AdapterUpdate:         {Name: "adapter.update", Keyed: true, Writes: true, NeedsExisting: true},
	AdapterDelete:         {Name: "adapter.delete", Keyed: true, Writes: true, NeedsExisting: true},
	AdapterList:           {Name: "adapter.list"},
	AdapterUpdateConfig:   {Name: "adapter.update_config"},
	AdapterCleanup:        {Name: "adapter.cleanup", Writes: true},
}

// NumOps is the number of operations, the length of an Op-indexed table.
const NumOps = int(numOps)

// OpComponent returns "manager", "tracker" or "adapter" for op.
func OpComponent(op target.Op) string { return Ops[op].Component() }
