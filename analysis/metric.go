package analysis

import (
	"math"
	"strconv"
	"strings"

	"lockbench/results"
)

// Metric is one figure of a run that can be compared across runs.
type Metric struct {
	// Name identifies the metric on the command line and in tables.
	Name string
	// Unit of Value: "ops/s", "s", "s/op" or "failed/op". Time is always in seconds so
	// a single SI formatter serves every metric.
	Unit string
	// Better is +1 when higher values are better, -1 when lower are.
	Better int
	// Value extracts the metric from a run; NaN when the run does not
	// define it (no operations, no latency recorded).
	Value func(results.Run) float64
}

// overallLatency is the key of the latency over all operations.
const overallLatency = "all"

// The metrics lockbench compares.
var (
	// Throughput is completed operations per second.
	Throughput = Metric{Name: "throughput", Unit: "ops/s", Better: +1,
		Value: func(r results.Run) float64 { return r.ThroughputOpsS }}

	// LatencyP50 is the median latency over all operations, in seconds.
	LatencyP50 = Metric{Name: "p50", Unit: "s", Better: -1,
		Value: func(r results.Run) float64 {
			l, ok := r.Latency[overallLatency]
			if !ok || l.Count == 0 {
				return math.NaN()
			}
			return float64(l.P50Ns) / 1e9
		}}

	// LatencyP99 is the 99th percentile latency over all operations, in
	// seconds.
	LatencyP99 = Metric{Name: "p99", Unit: "s", Better: -1,
		Value: func(r results.Run) float64 {
			l, ok := r.Latency[overallLatency]
			if !ok || l.Count == 0 {
				return math.NaN()
			}
			return float64(l.P99Ns) / 1e9
		}}

	// CPUPerOp is user plus system CPU seconds per operation.
	CPUPerOp = Metric{Name: "cpu-per-op", Unit: "s/op", Better: -1,
		Value: func(r results.Run) float64 {
			if r.Ops <= 0 {
				return math.NaN()
			}
			return (r.Process.CPUUserS + r.Process.CPUSysS) / float64(r.Ops)
		}}

	// LockWaitPerOp is the time spent waiting for instrumented locks, summed
	// over all locks, per operation, in seconds. It can exceed latency: many
	// waits of one operation on several locks add up.
	LockWaitPerOp = Metric{Name: "lock-wait-per-op", Unit: "s/op", Better: -1,
		Value: func(r results.Run) float64 { return LockWaitPerOpOf(r, "") }}
)

// ErrorRate is the share of the window's operations that failed (failed
// operations are not throughput, which counts successes only); NaN when
// the run completed no operation.
var ErrorRate = Metric{Name: "error-rate", Unit: "failed/op", Better: -1,
	Value: func(r results.Run) float64 {
		if r.Ops <= 0 {
			return math.NaN()
		}
		return r.ErrorRate
	}}

// Metrics lists every metric in the order tables show them.
var Metrics = []Metric{Throughput, LatencyP50, LatencyP99, CPUPerOp, LockWaitPerOp, ErrorRate}

// metricAliases are the short names the command line also accepts.
var metricAliases = map[string]string{
	"cpu":         CPUPerOp.Name,
	"lockwait":    LockWaitPerOp.Name,
	"lock-wait":   LockWaitPerOp.Name,
	"latency-p50": LatencyP50.Name,
	"latency-p99": LatencyP99.Name,
	"errors":      ErrorRate.Name,
}

// MetricByName finds a metric by its Name or a short alias ("cpu",
// "lockwait"), ignoring case.
func MetricByName(name string) (Metric, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	if full, ok := metricAliases[name]; ok {
		name = full
	}
	for _, m := range Metrics {
		if m.Name == name {
			return m, true
		}
	}
	return Metric{}, false
}

func isNaN(v float64) bool { return v != v }

func itoa(i int) string { return strconv.Itoa(i) }

// Figures derived from a run that tables show but compare does not judge by
// default.
var (
	// LatencyMean is the mean latency over all operations, in seconds.
	LatencyMean = Metric{Name: "mean", Unit: "s", Better: -1,
		Value: func(r results.Run) float64 {
			l, ok := r.Latency[overallLatency]
			if !ok || l.Count == 0 {
				return math.NaN()
			}
			return l.MeanNs / 1e9
		}}

	// HeldIOMapWidePerOp is the time locks other than per-key locks were
	// held while their holder was inside store I/O, per operation, in
	// seconds: the anti-pattern the refactoring removed, where one store
	// call blocks every other client.
	HeldIOMapWidePerOp = Metric{Name: "heldio-mapwide-per-op", Unit: "s/op", Better: -1,
		Value: func(r results.Run) float64 { return heldIOPerOp(r, false) }}

	// HeldIOPerKeyPerOp is the same for per-key locks, which serialise only
	// writers of one key (sharded holds them across I/O on purpose, to keep
	// store order equal to memory order).
	HeldIOPerKeyPerOp = Metric{Name: "heldio-perkey-per-op", Unit: "s/op", Better: -1,
		Value: func(r results.Run) float64 { return heldIOPerOp(r, true) }}

	// ServiceP50 and ServiceP99 are open-loop service time (from the actual
	// start of an operation, without the queueing before it) over all
	// operations, in seconds; NaN for closed-loop runs.
	ServiceP50 = Metric{Name: "service-p50", Unit: "s", Better: -1,
		Value: func(r results.Run) float64 { return serviceQuantile(r, false) }}
	ServiceP99 = Metric{Name: "service-p99", Unit: "s", Better: -1,
		Value: func(r results.Run) float64 { return serviceQuantile(r, true) }}

	// OfferedRate is the open-loop target rate in ops/s; NaN for closed
	// loop, where nothing is offered but what the clients complete.
	OfferedRate = Metric{Name: "offered", Unit: "ops/s", Better: +1,
		Value: func(r results.Run) float64 {
			if r.Arrival != "open" || r.TargetRate <= 0 {
				return math.NaN()
			}
			return r.TargetRate
		}}
)

// LockWaitPerOpOf is the wait for the lock named name per operation, in
// seconds; every lock summed when name is "". NaN without operations or
// without measured lock figures (LocksMeasured).
func LockWaitPerOpOf(r results.Run, name string) float64 {
	if r.Ops <= 0 || !LocksMeasured(r) {
		return math.NaN()
	}
	var waitNs int64
	for n, l := range r.Locks {
		if name == "" || n == name {
			waitNs += l.WaitTotalNs
		}
	}
	return float64(waitNs) / 1e9 / float64(r.Ops)
}

// PerKeyLock reports whether the named lock is striped per key: its scope
// says so, or, in files written before locks carried a scope, its name ends
// in ".keys" as sharded names its stripes. Such a lock held across I/O
// delays only writers of the same key, not every client.
func PerKeyLock(name string, l results.Lock) bool {
	if l.Scope != "" {
		return l.Scope == results.ScopePerKey
	}
	return strings.HasSuffix(name, ".keys")
}

// LocksMeasured reports whether r's lock figures are measurements. A run
// with lock instrumentation off (bench run --no-instrument, or
// runner.Options.Instrument false) still lists its locks by name, but with
// every figure zero and no writer figures: there a zero means "not
// measured", not "never waited" or "never held across I/O". A run without
// any lock has no lock figure either.
func LocksMeasured(r results.Run) bool {
	for _, l := range r.Locks {
		// Writers is set for every lock of an instrumented run; files
		// written before it was recorded have counts instead.
		if l.Writers != nil || l.Acquisitions > 0 || l.HoldTotalNs > 0 || l.WaitTotalNs > 0 || l.HeldIONs > 0 {
			return true
		}
	}
	return false
}

func heldIOPerOp(r results.Run, perKey bool) float64 {
	if r.Ops <= 0 || !LocksMeasured(r) {
		return math.NaN()
	}
	var ns int64
	for name, l := range r.Locks {
		if PerKeyLock(name, l) == perKey {
			ns += l.HeldIONs
		}
	}
	return float64(ns) / 1e9 / float64(r.Ops)
}

func serviceQuantile(r results.Run, p99 bool) float64 {
	l, ok := r.ServiceLatency[overallLatency]
	if !ok || l.Count == 0 {
		return math.NaN()
	}
	if p99 {
		return float64(l.P99Ns) / 1e9
	}
	return float64(l.P50Ns) / 1e9
}
