package consistency

import (
	"math"
	"sort"
	"time"

	"lockbench/ctxsys"
)

// idFacts gathers, for one context id, the operations the anomaly facts
// look at.
type idFacts struct {
	creates   []interval // successful manager.create and adapter.create
	deletes   []interval // deletes that may have taken effect, cleanup removals
	refreshes []refresh  // successful adapter.update and adapter.create
	adCreates []interval // adapter.create that may have taken effect
	removals  []interval // successful cleanups that returned the id
	rpSeen    int        // most recovery points a manager.recovery_points returned
}

type refresh struct {
	interval
	create bool
}

// facts adds the anomalies found in the recorded operations.
func (h *history) facts(c map[string]int64, q *quiescent, cfg ctxsys.Config, failed failureIndex, n *notes) {
	ids, wildcards := h.byID()
	var dup, lost int64
	var spans []interval
	most := q.recoveryCounts()
	for _, id := range sortedIDs(ids) {
		f := ids[id]
		del := newDeleteIndex(f.deletes, wildcards)
		dup += duplicates(f.creates, del, len(f.deletes)+len(wildcards))
		spans = append(spans, presenceSpans(f.creates, del)...)
		most[id] = max(most[id], f.rpSeen)
	}
	// More recovery points than the limit, where a recovery point of the
	// id was told it failed, may be its trim failing part way (naive and
	// sharded keep memory equal to the store then): not an overflow the
	// strategy allowed, but a failed write still visible.
	for id, count := range most {
		excess := int64(max(0, count-cfg.MaxRecoveryPoints))
		if failed.explainsRecovery(id) {
			c[FailedWriteVisible] += excess
		} else {
			c[RecoveryOverflow] += excess
		}
	}
	if ttl, ok := h.ttl(q, cfg, n); ok {
		for _, id := range sortedIDs(ids) {
			lost += lostRefreshes(ids[id], ttl)
		}
	}
	c[DuplicateCreate] += dup
	c[LostRefresh] += lost
	c[CapacityOvershoot] = max(c[CapacityOvershoot], int64(maxOverlap(spans)-cfg.MaxContexts), q.overshoot(cfg, h))
	c[VersionRegression] += h.versionRegressions(q)
}

// byID groups the operations by context id. Cleanups whose outcome is
// unknown may have removed any id: they are returned apart, as wildcards.
func (h *history) byID() (map[string]*idFacts, []interval) {
	ids := map[string]*idFacts{}
	get := func(id string) *idFacts {
		f := ids[id]
		if f == nil {
			f = &idFacts{}
			ids[id] = f
		}
		return f
	}
	var wildcards []interval
	for i := range h.recs {
		r := &h.recs[i]
		iv := r.interval()
		switch r.kind {
		case kManagerCreate, kAdapterCreate:
			f := get(r.key)
			if r.err == eOK {
				f.creates = append(f.creates, iv)
			}
			if r.kind == kAdapterCreate && r.err.possible() {
				f.adCreates = append(f.adCreates, iv)
				if r.err == eOK {
					f.refreshes = append(f.refreshes, refresh{iv, true})
				}
			}
		case kManagerDelete, kAdapterDelete:
			if r.err.possible() {
				get(r.key).deletes = append(get(r.key).deletes, iv)
			}
		case kAdapterUpdate:
			if r.err == eOK {
				get(r.key).refreshes = append(get(r.key).refreshes, refresh{iv, false})
			}
		case kAdapterCleanup:
			switch {
			case r.err == eOK:
				for _, id := range r.outIDs {
					f := get(id)
					f.deletes = append(f.deletes, iv)
					f.removals = append(f.removals, iv)
				}
			case r.err.unknown():
				wildcards = append(wildcards, iv)
			}
		case kManagerRecoveryPoints:
			if r.err == eOK {
				get(r.key).rpSeen = max(get(r.key).rpSeen, int(r.outCount))
			}
		}
	}
	return ids, wildcards
}

// deleteIndex answers earliest(x): the earliest Call among the deletes that
// returned at or after x, i.e. the earliest instant at which a delete that
// could follow an operation invoked at x could take effect.
type deleteIndex struct {
	rets    []int64 // ascending
	minCall []int64 // minCall[i] = min Call of deletes i.. (by Return)
}

func newDeleteIndex(deletes, wildcards []interval) deleteIndex {
	all := make([]interval, 0, len(deletes)+len(wildcards))
	all = append(append(all, deletes...), wildcards...)
	sort.Slice(all, func(i, j int) bool { return all[i].ret < all[j].ret })
	d := deleteIndex{rets: make([]int64, len(all)), minCall: make([]int64, len(all)+1)}
	d.minCall[len(all)] = math.MaxInt64
	for i := len(all) - 1; i >= 0; i-- {
		d.rets[i] = all[i].ret
		d.minCall[i] = min(all[i].call, d.minCall[i+1])
	}
	return d
}

func (d deleteIndex) earliest(x int64) int64 {
	return d.minCall[sort.Search(len(d.rets), func(i int) bool { return d.rets[i] >= x })]
}

// separable reports whether some delete can be linearized between two
// successful creates a and b, in either order: a delete d fits between a
// and b iff d.Return >= a.Call and d.Call <= b.Return.
func (d deleteIndex) separable(a, b interval) bool {
	return d.earliest(a.call) <= b.ret || d.earliest(b.call) <= a.ret
}

// duplicates counts duplicate_create for one id: successful creates,
// consecutive in Call order, that no delete can separate — or, when more,
// the successful creates beyond one plus the number of deletes that may
// have taken effect (each create after the first needs its own delete).
func duplicates(creates []interval, del deleteIndex, deletes int) int64 {
	sort.Slice(creates, func(i, j int) bool { return creates[i].call < creates[j].call })
	var adjacent int64
	for i := 1; i < len(creates); i++ {
		if !del.separable(creates[i-1], creates[i]) {
			adjacent++
		}
	}
	return max(adjacent, int64(len(creates)-deletes-1), 0)
}

// presenceSpans returns the spans during which an id certainly existed: from
// the Return of a successful create to the Call of the first delete that
// could be linearized after that create. Overlapping spans (duplicate
// creates) are merged so an id counts once.
func presenceSpans(creates []interval, del deleteIndex) []interval {
	var spans []interval
	for _, c := range creates {
		if end := del.earliest(c.call); end > c.ret {
			spans = append(spans, interval{c.ret, end})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].call < spans[j].call })
	merged := spans[:0]
	for _, s := range spans {
		if k := len(merged) - 1; k >= 0 && s.call <= merged[k].ret {
			merged[k].ret = max(merged[k].ret, s.ret)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// maxOverlap is the largest number of half-open spans [call, ret) that
// contain one instant.
func maxOverlap(spans []interval) int {
	type edge struct {
		t     int64
		delta int
	}
	edges := make([]edge, 0, 2*len(spans))
	for _, s := range spans {
		edges = append(edges, edge{s.call, +1}, edge{s.ret, -1})
	}
	// At one instant, ends before starts: [a, t) and [t, b) do not overlap.
	sort.Slice(edges, func(i, j int) bool {
		if edges[i].t != edges[j].t {
			return edges[i].t < edges[j].t
		}
		return edges[i].delta < edges[j].delta
	})
	cur, best := 0, 0
	for _, e := range edges {
		cur += e.delta
		best = max(best, cur)
	}
	return best
}

// ttl returns the adapter's ttl, or false when update_config may have
// changed it during the run: the operations do not carry the new value.
// When update_config ran but the adapter ends the run with the configured
// ttl, the ttl is taken as unchanged (the runner's update_config re-applies
// the configured values), and a note says so.
func (h *history) ttl(q *quiescent, cfg ctxsys.Config, n *notes) (time.Duration, bool) {
	if !h.saw(kAdapterUpdateConfig) {
		if q.adapterCfg.TTL > 0 {
			return q.adapterCfg.TTL, true
		}
		return cfg.TTL, true
	}
	if !h.saw(kAdapterCleanup) {
		return 0, false
	}
	if q.adapterCfg.TTL == cfg.TTL {
		n.add("%s assumes the ttl stayed %v: adapter.update_config ran, and the adapter ends with that ttl", LostRefresh, cfg.TTL)
		return cfg.TTL, true
	}
	n.add("%s not evaluated: adapter.update_config changed the ttl during the run", LostRefresh)
	return 0, false
}

// lostRefreshes counts lost_refresh for one id: successful cleanups that
// returned the id although a successful refresh r (adapter.update or
// adapter.create) of it must be linearized before the cleanup and keeps it
// fresh. r must precede cleanup cl when r.Return < cl.Call, or when r is an
// update that overlaps cl and no adapter.create that may have taken effect
// fits between them (an update succeeds only on an existing id, so after a
// removal it needs a create first). r keeps the id fresh when
// cl.Return - r.Call <= ttl: UpdatedAt is read within r, the cleanup's
// clock within cl, and expiry needs now - UpdatedAt > ttl.
func lostRefreshes(f *idFacts, ttl time.Duration) int64 {
	if len(f.removals) == 0 || len(f.refreshes) == 0 {
		return 0
	}
	rs := f.refreshes
	sort.Slice(rs, func(i, j int) bool { return rs[i].call < rs[j].call })
	var lost int64
	for _, cl := range f.removals {
		i := sort.Search(len(rs), func(i int) bool { return rs[i].call > cl.ret }) - 1
		for ; i >= 0; i-- {
			r := rs[i]
			if cl.ret-r.call > int64(ttl) {
				break // this and every earlier refresh may have expired
			}
			if r.ret < cl.call {
				lost++
				break
			}
			if !r.create && !createBetween(f.adCreates, cl, r.interval) {
				lost++
				break
			}
		}
	}
	return lost
}

// createBetween reports whether a create can be linearized after cleanup cl
// and before operation r.
func createBetween(creates []interval, cl, r interval) bool {
	for _, c := range creates {
		if c.ret >= cl.call && c.call <= r.ret {
			return true
		}
	}
	return false
}

// versionRegressions counts version_regression: a successful
// tracker.get_state g that returned a version lower than an observation o
// of the same tracker — a successful update_state (its version) or another
// successful get_state (its result) — with o.Return < g.Call and no
// tracker.activate that may have taken effect able to fall between them
// (activate legitimately replaces the state). Plus one per tracker whose
// final version is lower than such an observation with no activate able to
// follow it.
func (h *history) versionRegressions(q *quiescent) int64 {
	type obs struct {
		interval
		v   uint64
		get bool
	}
	byTracker := map[int32][]obs{}
	barriers := map[int32][]interval{}
	for i := range h.recs {
		r := &h.recs[i]
		switch {
		case r.kind == kTrackerUpdateState && r.err == eOK:
			byTracker[r.tracker] = append(byTracker[r.tracker], obs{r.interval(), r.version, false})
		case r.kind == kTrackerGetState && r.err == eOK:
			byTracker[r.tracker] = append(byTracker[r.tracker], obs{r.interval(), r.outVersion, true})
		case r.kind == kTrackerActivate && r.err.possible():
			barriers[r.tracker] = append(barriers[r.tracker], r.interval())
		}
	}
	var count int64
	for t, all := range byTracker {
		last := newBarrierIndex(barriers[t])
		// Observations by Return (inserted as time passes), ranked by Call
		// descending (so "Call > A" is a prefix of the ranking).
		byRet := append([]obs(nil), all...)
		sort.Slice(byRet, func(i, j int) bool { return byRet[i].ret < byRet[j].ret })
		calls := make([]int64, len(all))
		for i, o := range all {
			calls[i] = o.call
		}
		sort.Slice(calls, func(i, j int) bool { return calls[i] > calls[j] })
		rank := func(call int64) int { // number of observations with Call > call
			return sort.Search(len(calls), func(i int) bool { return calls[i] <= call })
		}
		gets := make([]obs, 0, len(all))
		for _, o := range all {
			if o.get {
				gets = append(gets, o)
			}
		}
		sort.Slice(gets, func(i, j int) bool { return gets[i].call < gets[j].call })
		tree := make(maxTree, len(all)+1)
		next := 0
		for _, g := range gets {
			for ; next < len(byRet) && byRet[next].ret < g.call; next++ {
				// rank(call-1) counts observations with Call >= call:
				// a 1-based position among equal Calls is enough.
				tree.add(rank(byRet[next].call-1)-1, byRet[next].v)
			}
			if tree.prefix(rank(last.before(g.ret))) > g.v {
				count++
			}
		}
		if int(t) >= 0 && int(t) < len(q.trackers) && q.trackers[t].known {
			var highest uint64
			after := last.before(math.MaxInt64)
			for _, o := range all {
				if o.call > after {
					highest = max(highest, o.v)
				}
			}
			if highest > q.trackers[t].version {
				count++
			}
		}
	}
	return count
}

// barrierIndex answers before(t): the latest Return among the barriers
// (activates) invoked at or before t; math.MinInt64 when none.
type barrierIndex struct {
	calls  []int64
	maxRet []int64
}

func newBarrierIndex(b []interval) barrierIndex {
	sort.Slice(b, func(i, j int) bool { return b[i].call < b[j].call })
	x := barrierIndex{calls: make([]int64, len(b)), maxRet: make([]int64, len(b))}
	best := int64(math.MinInt64)
	for i, iv := range b {
		best = max(best, iv.ret)
		x.calls[i], x.maxRet[i] = iv.call, best
	}
	return x
}

func (x barrierIndex) before(t int64) int64 {
	i := sort.Search(len(x.calls), func(i int) bool { return x.calls[i] > t })
	if i == 0 {
		return math.MinInt64
	}
	return x.maxRet[i-1]
}

// maxTree is a Fenwick tree of prefix maxima over positions 0..n-1.
type maxTree []uint64

func (t maxTree) add(i int, v uint64) {
	for i++; i < len(t); i += i & -i {
		t[i] = max(t[i], v)
	}
}

func (t maxTree) prefix(n int) uint64 {
	var m uint64
	for i := n; i > 0; i -= i & -i {
		m = max(m, t[i])
	}
	return m
}
