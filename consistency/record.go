package consistency

import "math"

// opKind is a qualified operation name parsed once, at Record time, so the
// checks compare small integers instead of strings.
type opKind uint8

const (
	kOther opKind = iota
	kManagerGet
	kManagerCreate
	kManagerUpdate
	kManagerDelete
	kManagerList
	kManagerRecoveryPoint
	kManagerRecoveryPoints
	kTrackerGetState
	kTrackerUpdateState
	kTrackerActivate
	kTrackerDeactivate
	kTrackerSync
	kTrackerRecoveryPoint
	kAdapterCreate
	kAdapterGet
	kAdapterUpdate
	kAdapterDelete
	kAdapterList
	kAdapterUpdateConfig
	kAdapterCleanup
	numKinds
)

var kindNames = [numKinds]string{
	kOther:                 "other",
	kManagerGet:            "manager.get",
	kManagerCreate:         "manager.create",
	kManagerUpdate:         "manager.update",
	kManagerDelete:         "manager.delete",
	kManagerList:           "manager.list",
	kManagerRecoveryPoint:  "manager.recovery_point",
	kManagerRecoveryPoints: "manager.recovery_points",
	kTrackerGetState:       "tracker.get_state",
	kTrackerUpdateState:    "tracker.update_state",
	kTrackerActivate:       "tracker.activate",
	kTrackerDeactivate:     "tracker.deactivate",
	kTrackerSync:           "tracker.sync",
	kTrackerRecoveryPoint:  "tracker.recovery_point",
	kAdapterCreate:         "adapter.create",
	kAdapterGet:            "adapter.get",
	kAdapterUpdate:         "adapter.update",
	kAdapterDelete:         "adapter.delete",
	kAdapterList:           "adapter.list",
	kAdapterUpdateConfig:   "adapter.update_config",
	kAdapterCleanup:        "adapter.cleanup",
}

func (k opKind) String() string { return kindNames[k] }

func parseKind(s string) opKind {
	switch s {
	case "manager.get":
		return kManagerGet
	case "manager.create":
		return kManagerCreate
	case "manager.update":
		return kManagerUpdate
	case "manager.delete":
		return kManagerDelete
	case "manager.list":
		return kManagerList
	case "manager.recovery_point":
		return kManagerRecoveryPoint
	case "manager.recovery_points":
		return kManagerRecoveryPoints
	case "tracker.get_state":
		return kTrackerGetState
	case "tracker.update_state":
		return kTrackerUpdateState
	case "tracker.activate":
		return kTrackerActivate
	case "tracker.deactivate":
		return kTrackerDeactivate
	case "tracker.sync":
		return kTrackerSync
	case "tracker.recovery_point":
		return kTrackerRecoveryPoint
	case "adapter.create":
		return kAdapterCreate
	case "adapter.get":
		return kAdapterGet
	case "adapter.update":
		return kAdapterUpdate
	case "adapter.delete":
		return kAdapterDelete
	case "adapter.list":
		return kAdapterList
	case "adapter.update_config":
		return kAdapterUpdateConfig
	case "adapter.cleanup":
		return kAdapterCleanup
	}
	return kOther
}

// errCode is ctxsys.ErrorKind parsed into three outcome classes: success,
// a definite failure (the operation had no effect), and an indeterminate
// failure (the operation may or may not have taken effect).
type errCode uint8

const (
	eOK errCode = iota
	eExists
	eLimit
	eNotFound
	eStale
	eNoActive
	eInvalid
	// Indeterminate from here on: see errCode.unknown.
	eStore
	eCanceled
	eOther
)

var errNames = [...]string{
	eOK: "ok", eExists: "exists", eLimit: "limit", eNotFound: "not_found",
	eStale: "stale_version", eNoActive: "no_active", eInvalid: "invalid",
	eStore: "store", eCanceled: "canceled", eOther: "other",
}

func (e errCode) String() string { return errNames[e] }

func parseErr(s string) errCode {
	switch s {
	case "":
		return eOK
	case "exists":
		return eExists
	case "limit":
		return eLimit
	case "not_found":
		return eNotFound
	case "stale_version":
		return eStale
	case "no_active":
		return eNoActive
	case "invalid":
		return eInvalid
	case "store":
		return eStore
	case "canceled":
		return eCanceled
	}
	return eOther
}

// unknown reports an indeterminate outcome: the caller was told the
// operation failed, but not that it had no effect. A store failure may hit
// after a write landed (or, in refactored, after memory changed); a
// canceled operation may have done its work before it noticed.
func (e errCode) unknown() bool { return e >= eStore }

// possible reports whether the operation may have taken effect: it
// succeeded, or its outcome is unknown.
func (e errCode) possible() bool { return e == eOK || e.unknown() }

// never is the Return of an operation whose effect may come after every
// recorded operation (still pending at a history cut).
const never = math.MaxInt64

// rec is the compact form of an Op kept in a worker's buffer.
type rec struct {
	call, ret  int64
	version    uint64
	outVersion uint64
	key        string
	data       string
	outData    string
	outIDs     []string
	outCount   int32
	tracker    int32
	client     int32
	kind       opKind
	err        errCode
}

func (r *rec) interval() interval { return interval{r.call, r.ret} }

// interval is an operation's [Call, Return], closed as in porcupine: two
// operations that share an instant are concurrent.
type interval struct{ call, ret int64 }

// failure is a write whose caller was told it failed with an indeterminate
// error; kept apart from the history so a divergence at quiescence can be
// attributed to it even after the history cap stopped recording.
type failure struct {
	kind    opKind
	key     string
	data    string
	tracker int32
	at      interval
}

// writes reports whether an operation of kind k can change state that the
// quiescence checks compare (memory, store, adapter map, recovery points).
func writes(k opKind) bool {
	switch k {
	case kManagerCreate, kManagerUpdate, kManagerDelete, kManagerRecoveryPoint,
		kTrackerUpdateState, kTrackerSync, kTrackerRecoveryPoint,
		kAdapterCreate, kAdapterUpdate, kAdapterDelete, kAdapterCleanup:
		return true
	}
	return false
}
