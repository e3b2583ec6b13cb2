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
	// Unit of Value: "ops/s", "s" or "s/op". Time is always in seconds so
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
		Value: func(r results.Run) float64 {
			if r.Ops <= 0 {
				return math.NaN()
			}
			var waitNs int64
			for _, l := range r.Locks {
				waitNs += l.WaitTotalNs
			}
			return float64(waitNs) / 1e9 / float64(r.Ops)
		}}
)

// Metrics lists every metric in the order tables show them.
var Metrics = []Metric{Throughput, LatencyP50, LatencyP99, CPUPerOp, LockWaitPerOp}

// metricAliases are the short names the command line also accepts.
var metricAliases = map[string]string{
	"cpu":         CPUPerOp.Name,
	"lockwait":    LockWaitPerOp.Name,
	"lock-wait":   LockWaitPerOp.Name,
	"latency-p50": LatencyP50.Name,
	"latency-p99": LatencyP99.Name,
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
