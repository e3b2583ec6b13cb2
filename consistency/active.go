package consistency

import (
	"math"
	"sort"
)

// activations holds, per tracker, the activates and deactivates that may
// have taken effect: what a tracker operation recorded without a context
// id (sync, recovery points, auto-recovery) may have acted on.
type activations map[int32]*timeline

type timeline struct {
	byCall  []activation // by Call
	rets    []int64      // Returns of the certain events, ascending
	maxCall []int64      // maxCall[i]: latest Call among certain events 0..i (by Return)
	maxDur  int64        // longest event (finite)
	pending bool         // an event may still have been running at a cut
}

type activation struct {
	interval
	id      string // "" for a deactivate
	certain bool   // it succeeded
}

func (h *history) activations() activations {
	a := activations{}
	for i := range h.recs {
		r := &h.recs[i]
		if (r.kind != kTrackerActivate && r.kind != kTrackerDeactivate) || !r.err.possible() {
			continue
		}
		t := a[r.tracker]
		if t == nil {
			t = &timeline{}
			a[r.tracker] = t
		}
		id := ""
		if r.kind == kTrackerActivate {
			id = r.key
		}
		t.byCall = append(t.byCall, activation{r.interval(), id, r.err == eOK})
	}
	for _, t := range a {
		sort.Slice(t.byCall, func(i, j int) bool { return t.byCall[i].call < t.byCall[j].call })
		var certain []activation
		for _, e := range t.byCall {
			if e.certain {
				certain = append(certain, e)
			}
			if e.ret != never {
				t.maxDur = max(t.maxDur, e.ret-e.call)
			} else {
				t.pending = true
			}
		}
		sort.Slice(certain, func(i, j int) bool { return certain[i].ret < certain[j].ret })
		latest := int64(math.MinInt64)
		for _, e := range certain {
			latest = max(latest, e.call)
			t.rets = append(t.rets, e.ret)
			t.maxCall = append(t.maxCall, latest)
		}
	}
	return a
}

// activeIDs returns the ids tracker t may have had active during x: those
// of the activates that may have been its last activate or deactivate
// before x. An event e may precede x when e.Call <= x.Return, and is
// certainly followed by another before x when some certain event b has
// e.Return < b.Call and b.Return < x.Call — that is, when e.Return is below
// the latest Call M of the certain events that returned before x began.
func (a activations) activeIDs(t int32, x interval) []string {
	tl := a[t]
	if tl == nil {
		return nil
	}
	m := int64(math.MinInt64)
	if k := sort.Search(len(tl.rets), func(i int) bool { return tl.rets[i] >= x.call }); k > 0 {
		m = tl.maxCall[k-1]
	}
	var ids []string
	last := sort.Search(len(tl.byCall), func(i int) bool { return tl.byCall[i].call > x.ret })
	for i := last - 1; i >= 0; i-- {
		e := tl.byCall[i]
		if m != math.MinInt64 && !tl.pending && e.call < m-tl.maxDur {
			break // every earlier event returned before m
		}
		if e.ret >= m && e.id != "" && !contains(ids, e.id) {
			ids = append(ids, e.id)
		}
	}
	return ids
}

func contains(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
