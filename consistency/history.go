package consistency

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
)

// Anomaly kinds, the keys of results.Consistency.Anomalies.
const (
	DuplicateCreate   = "duplicate_create"
	CapacityOvershoot = "capacity_overshoot"
	StoreDivergence   = "store_divergence"
	Zombie            = "zombie"
	VersionRegression = "version_regression"
	LostRefresh       = "lost_refresh"
	RecoveryOverflow  = "recovery_overflow"
	// FailedWriteVisible is not one of the seven DesignKinds: memory and store (or
	// adapter and manager) disagree at quiescence because of a write whose
	// caller was told it failed. It is not lost data (nobody was told the
	// write succeeded), but the system no longer agrees with itself.
	FailedWriteVisible = "failed_write_visible"
)

// Kinds lists every key of Anomalies: DesignKinds, then FailedWriteVisible.
var Kinds = append(append([]string(nil), DesignKinds...), FailedWriteVisible)

// DesignKinds are the seven anomaly kinds a linearizable strategy never
// shows, the ones refactored's check-then-act gaps allow (see
// impl/STRATEGIES.md).
var DesignKinds = []string{
	DuplicateCreate, CapacityOvershoot, StoreDivergence, Zombie,
	VersionRegression, LostRefresh, RecoveryOverflow,
}

func newCounts() map[string]int64 {
	m := make(map[string]int64, len(Kinds))
	for _, k := range Kinds {
		m[k] = 0
	}
	return m
}

// notes collects caveats for results.Consistency.Notes.
type notes []string

func (n *notes) add(format string, args ...any) { *n = append(*n, fmt.Sprintf(format, args...)) }

// history is the merged record of a run, after the cut.
type history struct {
	recs            []rec // sorted by call
	cut             int64 // Call of the first operation dropped (MaxInt64: none)
	historyCap      int
	dropped         int64
	excluded        int // recorded operations invoked at or after the cut
	failures        []failure
	failuresDropped int64
	seen            uint64 // kinds that were called and may have taken effect
}

// saw reports whether some operation of kind k may have taken effect.
func (h *history) saw(k opKind) bool { return h.seen&(1<<k) != 0 }

// capped reports whether the history cap dropped operations.
func (h *history) capped() bool { return h.cut != math.MaxInt64 }

// applyCut keeps the operations invoked before the first dropped one, the
// longest prefix in which no operation is missing. Those still running at
// the cut may have observed (or been overtaken by) dropped ones, so their
// outcome becomes unknown and their effect may come at any time after
// their call.
func (h *history) applyCut() {
	// Generic and stable: sort.SliceStable's reflective swaps of these
	// large records were a sixth of a whole check.
	slices.SortStableFunc(h.recs, func(a, b rec) int { return cmp.Compare(a.call, b.call) })
	if !h.capped() {
		return
	}
	n := sort.Search(len(h.recs), func(i int) bool { return h.recs[i].call >= h.cut })
	h.excluded = len(h.recs) - n
	h.recs = h.recs[:n:n]
	for i := range h.recs {
		if r := &h.recs[i]; r.ret >= h.cut {
			r.ret = never
			if r.err == eOK {
				r.err = eOther
			}
		}
	}
}

func (h *history) describeCut(n *notes) {
	if !h.capped() {
		return
	}
	n.add("history cap of %d operations reached at t=%.3fs: %d operations were not recorded; "+
		"the checks use the %d operations invoked before that instant (%d recorded later were set aside), "+
		"so anomalies after it are not counted and linearizability is at best unknown",
		h.historyCap, float64(h.cut)/1e9, h.dropped, len(h.recs), h.excluded)
	if h.failuresDropped > 0 {
		n.add("%d failed writes beyond the cap were not kept: divergences they caused may be counted as %s or %s instead of %s",
			h.failuresDropped, StoreDivergence, Zombie, FailedWriteVisible)
	}
}

// failureIndex answers which quiescent disagreements a failed write explains.
type failureIndex struct {
	tags        map[string]bool // data written by a write told it failed
	deletes     map[string]bool // ids of deletes told they failed
	recovery    map[string]bool // ids whose recovery points a failed write touched
	anyCleanup  bool            // a cleanup failed: it may have removed any id
	anyRecovery bool            // a failed recovery point of an unknown id
}

func (h *history) failureIndex() failureIndex {
	f := failureIndex{tags: map[string]bool{}, deletes: map[string]bool{}, recovery: map[string]bool{}}
	active := h.activations()
	for _, x := range h.failures {
		if x.kind == kTrackerRecoveryPoint || x.kind == kTrackerUpdateState {
			// The runner records no context id for these: the ids the
			// tracker may have had active (the last activates before).
			if x.key == "" {
				for _, id := range active.activeIDs(x.tracker, x.at) {
					f.recovery[id] = true
				}
				f.anyRecovery = f.anyRecovery || active[x.tracker] == nil
				continue
			}
		}
		if x.data != "" {
			f.tags[x.data] = true
		}
		switch x.kind {
		case kManagerDelete, kAdapterDelete:
			f.deletes[x.key] = true
			f.recovery[x.key] = true
		case kManagerRecoveryPoint, kTrackerRecoveryPoint, kTrackerUpdateState:
			f.recovery[x.key] = true
		case kAdapterCleanup:
			f.anyCleanup = true
		}
	}
	return f
}

func (f failureIndex) explainsDelete(id string) bool { return f.deletes[id] || f.anyCleanup }

func (f failureIndex) explainsRecovery(id string) bool {
	return f.recovery[id] || f.anyRecovery || f.explainsDelete(id)
}
