package analysis

import (
	"cmp"
	"maps"
	"math"
	"slices"

	"lockbench/results"
	"lockbench/store"
)

// The operational laws (Denning & Buzen 1978; Jain, ch. 33) hold for any
// resource k over a measured window, whatever the distributions: with X the
// throughput and D_k the resource's busy time per completed operation (its
// service demand), the utilization law gives U_k = X·D_k/servers_k, and a
// resource that serves servers_k callers at a time bounds X ≤ servers_k/D_k.
// A closed loop of N clients with think time Z is bounded by N/(R₀ + Z), R₀
// the response time of an operation without queueing. The lowest of these
// bounds is the run's ceiling and its resource the bottleneck.
//
// How the demands are taken from a run's figures:
//
//   - a lock (every name): an exclusive server for its writers; readers of
//     an RWMutex share it and are treated as a delay. Its demand is the
//     writers' hold time minus the part of it spent waiting for another
//     lock (that is queueing elsewhere, not this lock's work), per
//     operation. A name made of several locks that are not stripes (one
//     tracker.state per client) is its busiest lock.
//   - a striped family: its total, as a server with one place per stripe,
//     and, separately, its hottest stripe, as an exclusive server: one hot
//     key saturates one stripe while the family looks idle.
//   - the store: a delay centre (no utilization, no bound) unless the sim
//     store has a pool, then a server of capacity pool. Its demand is its
//     calls per operation times their realised mean latency (with a pool
//     that includes the queueing for a slot, so the store's demand is then
//     an upper bound).
//   - the CPUs: GOMAXPROCS servers, demand the process CPU time per
//     operation.
//   - the clients (closed loop): N servers, demand R₀ + Z. R₀ is what an
//     operation costs alone, without queueing: its response time R less
//     its mean lock wait, with R = N/X − Z (the interactive response time
//     law, over the same window as X, so that the bound and the measured
//     throughput are read off the same operations); where the CPUs or a
//     store pool are busy enough to queue, at most its CPU time plus its
//     store time (see noQueueing). A lock held during store I/O is
//     possessed together with the store: its demand already contains the
//     I/O, so lock demands are never added into R₀ — that would count the
//     I/O twice, once in the store and once in every lock held across it.
//   - the offered rate (open loop): the target rate bounds throughput.
//
// Lock and CPU figures cover the measured window and divide by the
// operations completed in it (lock waits too). Store figures also cover the
// drain after it (operations that started inside the window and ended after
// it), so they divide by ops + drained.

// Bottlenecks fills r's Resources, Bottleneck, BoundRatio and WhatIf from its
// figures; gomaxprocs is the number of CPUs the run could use. A run that
// did not finish, or completed nothing, is left alone, and so is a run with
// locks whose figures were not measured (LocksMeasured): without them the
// analysis would see no lock at all, name another resource the bottleneck
// and say no lock is held across I/O.
func Bottlenecks(r *results.Run, gomaxprocs int) {
	if len(r.Locks) > 0 && !LocksMeasured(*r) {
		return
	}
	rs := Resources(*r, gomaxprocs)
	if len(rs) == 0 {
		return
	}
	r.Resources = rs
	b, ok := BottleneckOf(rs)
	if !ok {
		return
	}
	r.Bottleneck = &b
	r.BoundRatio = CompletionRate(*r) / b.BoundOpsS
	r.WhatIf = WhatIfs(rs)
}

// CompletionRate is the rate of completions in the window, failed ones
// included: a failed operation held its resources too, so the operational
// laws count it, though throughput (goodput) does not.
func CompletionRate(r results.Run) float64 {
	if r.DurationS > 0 && r.FailedOps > 0 {
		return float64(r.Ops) / r.DurationS
	}
	return r.ThroughputOpsS
}

// Resources returns the resources of r with their demands, utilizations and
// bounds, in a fixed order: locks and stripes by name, store, CPU, clients or
// offered rate.
func Resources(r results.Run, gomaxprocs int) []results.Resource {
	x := CompletionRate(r)
	if r.Status != results.StatusOK && r.Status != "" || r.Ops <= 0 || x <= 0 {
		return nil
	}
	windowOps := float64(r.Ops)
	spanOps := float64(r.Ops + r.DrainedOps) // store figures, waits and latencies cover window and drain
	var rs []results.Resource
	add := func(res results.Resource) {
		if res.Servers > 0 && res.DemandNsPerOp > 0 {
			res.BoundOpsS = float64(res.Servers) * 1e9 / res.DemandNsPerOp
			res.Utilization = x / res.BoundOpsS
		}
		rs = append(rs, res)
	}

	var lockWaitNs float64
	for _, name := range slices.Sorted(maps.Keys(r.Locks)) {
		l := r.Locks[name]
		lockWaitNs += float64(l.WaitTotalNs)
		all, busiest := writerFigures(l)
		if all.HoldNs <= 0 {
			continue // readers only: a delay
		}
		count, scope := max(l.Count, 1), cmp.Or(l.Scope, results.ScopeMapWide)
		perOp := func(w results.LockWriters) (demand, heldIO float64) {
			return float64(max(w.HoldNs-w.HeldWaitNs, 0)) / windowOps, float64(w.HeldIONs) / windowOps
		}
		switch {
		case scope == results.ScopePerKey:
			d, io := perOp(all)
			add(results.Resource{Name: name, Kind: results.KindLock, Servers: count, DemandNsPerOp: d, HeldIONsPerOp: io, Scope: scope})
			d, io = perOp(busiest)
			add(results.Resource{Name: name, Kind: results.KindStripe, Servers: 1, DemandNsPerOp: d, HeldIONsPerOp: io, Scope: scope})
		default:
			// One lock, or one per tracker: each is its own exclusive
			// server, and the busiest one is the one that bounds.
			w := all
			if count > 1 {
				w = busiest
			}
			d, io := perOp(w)
			add(results.Resource{Name: name, Kind: results.KindLock, Servers: 1, DemandNsPerOp: d, HeldIONsPerOp: io, Scope: scope})
		}
	}

	// The realised mean latency; files from before it was recorded have
	// the median, which stands for it (exact for a fixed delay).
	if latency := cmp.Or(r.Store.LatencyMeanNs, r.Store.LatencyP50Ns); r.Store.Ops > 0 && latency > 0 {
		add(results.Resource{
			Name: "store", Kind: results.KindStore, Servers: storePool(r.Store.Spec),
			DemandNsPerOp: float64(r.Store.Ops) / spanOps * float64(latency),
		})
	}
	if cpu := r.Process.CPUUserS + r.Process.CPUSysS; cpu > 0 && gomaxprocs > 0 {
		add(results.Resource{Name: "cpu", Kind: results.KindCPU, Servers: gomaxprocs, DemandNsPerOp: cpu * 1e9 / float64(r.Ops)})
	}

	if closedLoop(r) {
		r0 := noQueueing(r, rs, lockWaitNs/windowOps)
		if r0 > 0 && r.Concurrency > 0 {
			add(results.Resource{Name: "clients", Kind: results.KindClients, Servers: r.Concurrency, DemandNsPerOp: r0 + float64(r.ThinkTimeNs)})
		}
	} else if r.TargetRate > 0 {
		rs = append(rs, results.Resource{
			Name: "offered rate", Kind: results.KindOffered, Servers: 1,
			DemandNsPerOp: 1e9 / r.TargetRate, BoundOpsS: r.TargetRate, Utilization: x / r.TargetRate,
		})
	}
	return rs
}

// noQueueing returns R₀, the response time of an operation without
// queueing. It is the response time N/X − Z less the mean lock wait (the
// queueing the locks measured) — unless the CPUs
// or the store's pool are at least half busy, where operations also
// queue outside locks (for a CPU, for a pool slot) and that estimate would
// keep the queueing: then it is the smaller of it and the sum of the
// demands of the resources an operation does not hold at once, CPU time
// and store time. Lock demands are never added: a lock's hold is spent on
// CPU or in the store, already counted.
func noQueueing(r results.Run, rs []results.Resource, lockWaitNsPerOp float64) float64 {
	r0 := float64(r.Concurrency)*1e9/CompletionRate(r) - float64(r.ThinkTimeNs) - lockWaitNsPerOp
	var sum float64
	queues := false
	for _, res := range rs {
		if res.Kind == results.KindCPU || res.Kind == results.KindStore {
			sum += res.DemandNsPerOp
			queues = queues || res.Servers > 0 && res.Utilization >= 0.5
		}
	}
	if queues && sum > 0 && (sum < r0 || r0 <= 0) {
		return sum
	}
	return r0
}

// writerFigures returns a lock's writer figures, all of its locks and the
// busiest. A results file written before they were recorded has only the
// totals: they stand for both (readers' holds included, so an RWMutex's
// demand is then overstated).
func writerFigures(l results.Lock) (all, busiest results.LockWriters) {
	if l.Writers == nil {
		w := results.LockWriters{HoldNs: l.HoldTotalNs, HeldIONs: l.HeldIONs}
		return w, w
	}
	all, busiest = *l.Writers, *l.Writers
	if l.Busiest != nil {
		busiest = *l.Busiest
	}
	return all, busiest
}

// storePool returns the sim store's pool size from its spec, 0 (a delay
// centre) for no pool or another store.
func storePool(spec string) int {
	s, err := store.ParseSpec(spec)
	if err != nil {
		return 0
	}
	sim, _ := s.Config.(store.SimConfig)
	return sim.Pool
}

// BottleneckOf returns the resource with the lowest bound; ok is false when
// no resource bounds anything. Ties go to the first in rs (locks first: of a
// lock and the clients bounding alike, the lock is what the user can change).
func BottleneckOf(rs []results.Resource) (b results.Bottleneck, ok bool) {
	i := lowestBound(rs, nil)
	if i < 0 {
		return b, false
	}
	r := rs[i]
	return results.Bottleneck{Name: r.Name, Kind: r.Kind, Utilization: r.Utilization, BoundOpsS: r.BoundOpsS}, true
}

// lowestBound returns the index of the resource with the lowest bound, with
// demand(i) replacing the demands if not nil; -1 if none bounds.
func lowestBound(rs []results.Resource, bound func(i int) float64) int {
	best, bestBound := -1, math.Inf(1)
	for i, r := range rs {
		b := r.BoundOpsS
		if bound != nil {
			b = bound(i)
		}
		if b > 0 && b < bestBound {
			best, bestBound = i, b
		}
	}
	return best
}

// WhatIfs returns, for every lock held across store I/O, the run's bound
// if that lock alone were released during the I/O (its demand without its
// held-I/O part; the minimum over all resources, so the next bottleneck
// shows), then the bound with no lock held across I/O at all. Nothing when
// no lock is held across I/O.
func WhatIfs(rs []results.Resource) []results.WhatIf {
	var locks []string
	for _, r := range rs {
		if isLock(r) && r.HeldIONsPerOp > 0 && !slices.Contains(locks, r.Name) {
			locks = append(locks, r.Name)
		}
	}
	if len(locks) == 0 {
		return nil
	}
	whatIf := func(change, lock string, released func(r results.Resource) bool) results.WhatIf {
		bound := func(i int) float64 {
			r := rs[i]
			if !released(r) {
				return r.BoundOpsS
			}
			d := r.DemandNsPerOp - r.HeldIONsPerOp
			if d <= 0 {
				return 0
			}
			return float64(r.Servers) * 1e9 / d
		}
		w := results.WhatIf{Change: change, Lock: lock}
		if i := lowestBound(rs, bound); i >= 0 {
			w.BoundOpsS, w.NextBottleneck, w.NextKind = bound(i), rs[i].Name, rs[i].Kind
		}
		return w
	}
	var out []results.WhatIf
	for _, name := range locks {
		out = append(out, whatIf("release "+name+" during store I/O", name,
			func(r results.Resource) bool { return isLock(r) && r.Name == name }))
	}
	return append(out, whatIf("no lock held across store I/O", "", isLock))
}

func isLock(r results.Resource) bool {
	return r.Kind == results.KindLock || r.Kind == results.KindStripe
}
