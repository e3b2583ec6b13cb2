package runner

import (
	"runtime"
	"slices"
	"time"

	"lockbench/analysis"
	"lockbench/lock"
	"lockbench/results"
	"lockbench/store"
)

// collect gathers the run's figures once the workers have stopped (or the
// drain bound passed): latency histograms, counts, Little's law, lock,
// store, runtime and process figures, and the runner's own caveats.
func (r *run) collect() {
	res := &r.res
	window := time.Duration(r.end - r.start)
	res.DurationS = window.Seconds()
	res.Latency, res.ServiceLatency = r.rec.merged(func(i int) string { return r.opNames[i] })
	latSum := r.countOps()
	if window > 0 {
		// Goodput: a failed operation is not work done.
		res.ThroughputOpsS = float64(res.Ops-res.FailedOps) / window.Seconds()
	}
	if !r.openLoop && res.Ops > 0 && r.p.Concurrency > 0 && window > 0 {
		// Little's law holds for every completion, failed or not.
		completions := float64(res.Ops) / window.Seconds()
		meanLat := float64(latSum) / float64(res.Ops) / 1e9
		res.LittlesLawRatio = completions * meanLat / float64(r.p.Concurrency)
	}
	res.Locks = lockFigures(r.windowLocks, r.locks.Enabled())
	res.Store = storeFigures(r.raw, r.spec.Store.String())
	res.Runtime = runtimeDelta(r.rt0, r.rt1, res.Ops)
	res.Runtime.HeapPeakBytes, res.Runtime.GoroutinesPeak = r.tl.heapPeak, r.tl.goroutinesPeak
	res.Process = results.Process{
		CPUUserS:    (r.ru1.user - r.ru0.user).Seconds(),
		CPUSysS:     (r.ru1.sys - r.ru0.sys).Seconds(),
		MaxRSSBytes: r.tl.rssPeak,
	}
	if window > 0 {
		res.Process.CPUUtil = (r.ru1.total() - r.ru0.total()).Seconds() / window.Seconds()
	}
	res.Timeline = r.tl.points
	res.HarnessNsPerOp = harnessCost()
	res.ThinkTimeNs = int64(r.spec.ThinkTime)
	analysis.Bottlenecks(res, runtime.GOMAXPROCS(0))
	res.Warnings = append(res.Warnings, runWarnings(res)...)
}

// countOps sums the workers' counts into the results — operations,
// failures and errors by kind, drained operations, pacer lateness — and
// returns the window's latency sum.
func (r *run) countOps() (latSum int64) {
	res := &r.res
	var lateness []int64
	failures := map[string]int64{}
	for _, w := range r.workers {
		res.Ops += w.windowOps
		res.FailedOps += w.windowFailed
		latSum += w.windowLatSum
		res.DrainedOps += w.drained
		for k, v := range w.errors {
			res.Errors[k] += v
		}
		for k, v := range w.windowErrors {
			failures[k] += v
		}
		lateness = append(lateness, w.lateness...)
	}
	if res.Ops > 0 {
		res.ErrorRate = float64(res.FailedOps) / float64(res.Ops)
		for k, v := range failures {
			if res.ErrorRates == nil {
				res.ErrorRates = map[string]float64{}
			}
			res.ErrorRates[k] = float64(v) / float64(res.Ops)
		}
	}
	if r.openLoop && len(lateness) > 0 {
		slices.Sort(lateness)
		res.PacerLatenessP50Ns = lateness[len(lateness)/2]
		res.PacerLatenessP99Ns = lateness[min(len(lateness)-1, len(lateness)*99/100)]
	}
	return latSum
}

func lockFigures(snap map[string]lock.Snapshot, enabled bool) map[string]results.Lock {
	out := map[string]results.Lock{}
	for name, l := range snap {
		f := results.Lock{
			Acquisitions: l.Acquisitions, Contended: l.Contended,
			WaitTotalNs: l.WaitTotalNs, WaitMaxNs: l.WaitMaxNs, WaitP99Ns: l.WaitP99Ns,
			HoldTotalNs: l.HoldTotalNs, HoldMaxNs: l.HoldMaxNs, HoldP99Ns: l.HoldP99Ns,
			HeldIONs: l.HeldIONs,
			Scope:    results.ScopeMapWide, Count: l.Locks,
		}
		if l.Striped {
			f.Scope = results.ScopePerKey
		}
		if enabled {
			f.Writers = &results.LockWriters{HoldNs: l.Writers.HoldNs, HeldIONs: l.Writers.HeldIONs, HeldWaitNs: l.Writers.HeldWaitNs}
			f.Busiest = &results.LockWriters{HoldNs: l.Busiest.HoldNs, HeldIONs: l.Busiest.HeldIONs, HeldWaitNs: l.Busiest.HeldWaitNs}
		}
		out[name] = f
	}
	return out
}

func storeFigures(s store.Store, spec string) results.StoreFigures {
	f := results.StoreFigures{Spec: spec}
	if r, ok := s.(store.StatsReporter); ok {
		st := r.Stats()
		f.Ops, f.Errors, f.InflightMax = st.Ops, st.Errors, st.InflightMax
		f.LatencyMeanNs, f.LatencyStddevNs = st.LatencyMeanNs, st.LatencyStddevNs
		f.LatencyP50Ns, f.LatencyP99Ns = st.LatencyP50Ns, st.LatencyP99Ns
		f.ErrorsInjected, f.ConfiguredLatencyNs = st.ErrorsInjected, st.ConfiguredLatencyNs
	}
	return f
}
