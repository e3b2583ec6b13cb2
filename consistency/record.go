package consistency

import (
	"math"

	"lockbench/ctxsys"
	"lockbench/target"
)

// opKind is an operation of the context target (lockbench/ctxsys.Ops). The
// short names below keep the checks readable.
type opKind = target.Op

const (
	kManagerGet            = ctxsys.ManagerGet
	kManagerCreate         = ctxsys.ManagerCreate
	kManagerUpdate         = ctxsys.ManagerUpdate
	kManagerDelete         = ctxsys.ManagerDelete
	kManagerList           = ctxsys.ManagerList
	kManagerRecoveryPoint  = ctxsys.ManagerRecoveryPoint
	kManagerRecoveryPoints = ctxsys.ManagerRecoveryPoints
	kTrackerGetState       = ctxsys.TrackerGetState
	kTrackerUpdateState    = ctxsys.TrackerUpdateState
	kTrackerActivate       = ctxsys.TrackerActivate
	kTrackerDeactivate     = ctxsys.TrackerDeactivate
	kTrackerSync           = ctxsys.TrackerSync
	kTrackerRecoveryPoint  = ctxsys.TrackerRecoveryPoint
	kAdapterCreate         = ctxsys.AdapterCreate
	kAdapterGet            = ctxsys.AdapterGet
	kAdapterUpdate         = ctxsys.AdapterUpdate
	kAdapterDelete         = ctxsys.AdapterDelete
	kAdapterList           = ctxsys.AdapterList
	kAdapterUpdateConfig   = ctxsys.AdapterUpdateConfig
	kAdapterCleanup        = ctxsys.AdapterCleanup
)

// kindName is an operation's qualified name, e.g. "manager.update".
func kindName(k opKind) string { return ctxsys.Ops[k].Name }

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
func writes(k opKind) bool { return ctxsys.Ops[k].Writes }
