// Package results holds the plain data of a lockbench sweep — the schema of
// results.json (lockbench/results/v1) — and reads and writes it atomically.
// It knows nothing of plots or tables; rendering lives in lockbench/report.
package results

import "time"

// Schema identifies the file format.
const Schema = "lockbench/results/v1"

// File is the content of results.json.
type File struct {
	Schema string `json:"schema"`
	Meta   Meta   `json:"meta"`
	Runs   []Run  `json:"runs"`
}

// Meta describes the environment, once per file. Figures are only comparable
// under one Go version (mutex-wait semantics changed in 1.22 and 1.24).
type Meta struct {
	GoVersion    string    `json:"go_version"`
	GOMAXPROCS   int       `json:"gomaxprocs"`
	NumCPU       int       `json:"num_cpu"`
	GODEBUG      string    `json:"godebug"`
	GOEXPERIMENT string    `json:"goexperiment"`
	GOOS         string    `json:"goos,omitempty"`
	GOARCH       string    `json:"goarch,omitempty"`
	CPUModel     string    `json:"cpu_model,omitempty"`
	Hostname     string    `json:"hostname,omitempty"`
	Seed         int64     `json:"seed"`
	Command      string    `json:"command"`
	Suite        string    `json:"suite,omitempty"`
	StartedAt    time.Time `json:"started_at"`
	FinishedAt   time.Time `json:"finished_at"`
	// Interrupted is set when the sweep was stopped by a signal.
	Interrupted bool `json:"interrupted,omitempty"`
	// Workloads holds each workload's description, by name, as its YAML
	// gives it: the report opens the workload's section with it, so a
	// caveat no window removes is said where its warnings appear.
	Workloads map[string]string `json:"workloads,omitempty"`
}

// Run status values.
const (
	StatusOK          = "ok"
	StatusFailed      = "failed"
	StatusInterrupted = "interrupted"
)

// Run is one (strategy, workload, concurrency, repetition) on a freshly
// built system.
type Run struct {
	// Target is the system under test (see lockbench/target); "" is the
	// context system, the default.
	Target      string  `json:"target,omitempty"`
	Strategy    string  `json:"strategy"`
	Workload    string  `json:"workload"`
	Concurrency int     `json:"concurrency"`
	Repetition  int     `json:"repetition"`
	Arrival     string  `json:"arrival"`
	TargetRate  float64 `json:"target_rate"`

	// Status is "ok", "failed" (Reason says why) or "interrupted".
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`

	DurationS float64 `json:"duration_s"`
	// Ops is the number of operations completed inside the measured
	// window, successful or not; FailedOps of them failed.
	Ops       int64 `json:"ops"`
	FailedOps int64 `json:"failed_ops"`
	// Errors counts operations that returned an error, by kind, over every
	// recorded operation (the window's and the drained ones). Some kinds
	// are answers (not found, exists, limit: the target says which), the
	// rest failures.
	Errors map[string]int64 `json:"errors"`
	// ErrorRate is FailedOps / Ops; ErrorRates splits it by kind, failures
	// only. A failed operation is not throughput; an answer is.
	ErrorRate  float64            `json:"error_rate"`
	ErrorRates map[string]float64 `json:"error_rates,omitempty"`
	// ThroughputOpsS is goodput: successful operations completed inside
	// the window per second of it.
	ThroughputOpsS float64            `json:"throughput_ops_s"`
	Latency        map[string]Latency `json:"latency"`
	ServiceLatency map[string]Latency `json:"service_latency,omitempty"`
	Locks          map[string]Lock    `json:"locks"`
	Runtime        Runtime            `json:"runtime"`
	Process        Process            `json:"process"`
	// Store holds the store spec and its figures. The results schema names "store"
	// twice (the spec and the figures); one object carries both.
	Store           StoreFigures `json:"store"`
	LittlesLawRatio float64      `json:"littles_law_ratio"`
	CensoredOps     int64        `json:"censored_ops"`
	// DrainedOps completed after the window closed (started inside it);
	// their latencies are in the histograms, not in Ops.
	DrainedOps int64 `json:"drained_ops"`
	// PacerLatenessP50Ns: open loop only, actual minus intended start when
	// a worker was free.
	PacerLatenessP50Ns int64           `json:"pacer_lateness_p50_ns,omitempty"`
	PacerLatenessP99Ns int64           `json:"pacer_lateness_p99_ns,omitempty"`
	Timeline           []TimelinePoint `json:"timeline"`
	Consistency        Consistency     `json:"consistency"`
	// ThinkTimeNs is each closed-loop client's pause between operations.
	ThinkTimeNs int64 `json:"think_time_ns,omitempty"`
	// Resources, Bottleneck, BoundRatio and WhatIf are the operational-law
	// analysis of the run (lockbench/analysis.Bottlenecks): what limits
	// it, how close it runs to that limit, and what the limit would be
	// without each lock held across store I/O.
	Resources  []Resource  `json:"resources,omitempty"`
	Bottleneck *Bottleneck `json:"bottleneck,omitempty"`
	BoundRatio float64     `json:"bound_ratio,omitempty"`
	WhatIf     []WhatIf    `json:"what_if,omitempty"`
	// HarnessNsPerOp is the recorder's own cost per operation (measured).
	HarnessNsPerOp float64 `json:"harness_ns_per_op,omitempty"`
	// Warnings are caveats about this run's figures.
	Warnings []string `json:"warnings,omitempty"`
	// Profiles names files written for this run, relative to the results
	// directory.
	Profiles map[string]string `json:"profiles,omitempty"`
}

// Latency summarises one operation's latency distribution, in nanoseconds.
type Latency struct {
	Count    int64   `json:"count"`
	MeanNs   float64 `json:"mean_ns"`
	StddevNs float64 `json:"stddev_ns"`
	MinNs    int64   `json:"min_ns"`
	P50Ns    int64   `json:"p50_ns"`
	P90Ns    int64   `json:"p90_ns"`
	P99Ns    int64   `json:"p99_ns"`
	P999Ns   int64   `json:"p999_ns"`
	MaxNs    int64   `json:"max_ns"`
	// Spectrum is the percentile distribution (HdrHistogram style), for
	// the spectrum plot: pairs of percentile and value.
	Spectrum []SpectrumPoint `json:"spectrum,omitempty"`
}

// SpectrumPoint is one point of a latency percentile spectrum.
type SpectrumPoint struct {
	Percentile float64 `json:"percentile"`
	ValueNs    int64   `json:"value_ns"`
}

// Lock is one named lock's figures over the measured phase.
type Lock struct {
	Acquisitions int64 `json:"acquisitions"`
	Contended    int64 `json:"contended"`
	WaitTotalNs  int64 `json:"wait_total_ns"`
	WaitMaxNs    int64 `json:"wait_max_ns"`
	WaitP99Ns    int64 `json:"wait_p99_ns"`
	HoldTotalNs  int64 `json:"hold_total_ns"`
	HoldMaxNs    int64 `json:"hold_max_ns"`
	HoldP99Ns    int64 `json:"hold_p99_ns"`
	HeldIONs     int64 `json:"held_io_ns"`

	// Scope is "per-key" for a striped family (its locks each guard the
	// keys that hash to them: holding one blocks one key's writers) and
	// "map-wide" otherwise.
	Scope string `json:"scope,omitempty"`
	// Count is how many locks share the name (stripes, one per tracker).
	Count int `json:"count,omitempty"`
	// Writers sums the exclusive (writer) holds of every lock of the name;
	// Busiest is the one lock with the largest own demand (for a striped
	// name, the hottest stripe).
	Writers *LockWriters `json:"writers,omitempty"`
	Busiest *LockWriters `json:"busiest,omitempty"`
}

// Lock scopes.
const (
	ScopeMapWide = "map-wide"
	ScopePerKey  = "per-key"
)

// LockWriters are exclusive hold figures, in nanoseconds.
type LockWriters struct {
	HoldNs   int64 `json:"hold_ns"`
	HeldIONs int64 `json:"held_io_ns"`
	// HeldWaitNs is the part of HoldNs spent waiting for another lock.
	HeldWaitNs int64 `json:"held_wait_ns"`
}

// Resource kinds.
const (
	KindLock    = "lock"
	KindStripe  = "stripe"
	KindStore   = "store"
	KindCPU     = "cpu"
	KindClients = "clients"
	KindOffered = "offered"
)

// Resource is one resource of a run under the operational laws: its
// service demand per operation D, its utilization U = X·D/servers, and the
// throughput bound servers/D it sets.
type Resource struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	// Servers: 1 for a lock, a stripe or a shared tracker; the number of
	// locks for a striped family's total; the pool size for a pooled store;
	// GOMAXPROCS for the CPUs; the concurrency for the clients. 0 is a
	// delay centre (a store with no pool): it serves every caller at once,
	// so it has no utilization and bounds nothing.
	Servers       int     `json:"servers"`
	Utilization   float64 `json:"utilization"`
	DemandNsPerOp float64 `json:"demand_ns_per_op"`
	HeldIONsPerOp float64 `json:"held_io_ns_per_op"`
	BoundOpsS     float64 `json:"bound_ops_s,omitempty"` // 0: unbounded
	Scope         string  `json:"scope,omitempty"`       // locks and stripes
}

// Bottleneck is the resource with the lowest throughput bound.
type Bottleneck struct {
	Name        string  `json:"name"`
	Kind        string  `json:"kind"`
	Utilization float64 `json:"utilization"`
	BoundOpsS   float64 `json:"bound_ops_s"`
}

// WhatIf is the bound of the run with one change to its demands.
type WhatIf struct {
	// Change says what changes, e.g. "release manager.persist during
	// store I/O" or "no lock held across store I/O".
	Change string `json:"change"`
	// Lock is the lock released during I/O; empty for the all-locks case.
	Lock           string  `json:"lock,omitempty"`
	BoundOpsS      float64 `json:"bound_ops_s"`
	NextBottleneck string  `json:"next_bottleneck"`
	NextKind       string  `json:"next_kind"`
}

// Runtime holds runtime/metrics deltas over the measured phase.
type Runtime struct {
	MutexWaitS        float64 `json:"mutex_wait_s"`
	SchedLatencyP99Ns int64   `json:"sched_latency_p99_ns"`
	GCCycles          int64   `json:"gc_cycles"`
	GCPauseTotalNs    int64   `json:"gc_pause_total_ns"`
	HeapPeakBytes     int64   `json:"heap_peak_bytes"`
	GoroutinesPeak    int64   `json:"goroutines_peak"`
	AllocBytesPerOp   float64 `json:"alloc_bytes_per_op"`
	AllocsPerOp       float64 `json:"allocs_per_op"`
}

// Process holds getrusage figures over the measured phase.
type Process struct {
	CPUUserS    float64 `json:"cpu_user_s"`
	CPUSysS     float64 `json:"cpu_sys_s"`
	CPUUtil     float64 `json:"cpu_util"`
	MaxRSSBytes int64   `json:"max_rss_bytes"`
}

// StoreFigures are the store's figures over the measured phase.
type StoreFigures struct {
	// Spec is the store spec the run used, in canonical form
	// (store.Spec.String); files written before it was canonical hold it
	// as the workload or flag gave it.
	Spec string `json:"spec"`
	// Measured for every store, in the wrapper each goes through.
	Ops             int64 `json:"ops"`
	Errors          int64 `json:"errors"` // calls failed (not-found is an answer, not a failure)
	InflightMax     int64 `json:"inflight_max"`
	LatencyMeanNs   int64 `json:"latency_mean_ns"`
	LatencyStddevNs int64 `json:"latency_stddev_ns"`
	LatencyP50Ns    int64 `json:"latency_p50_ns"`
	LatencyP99Ns    int64 `json:"latency_p99_ns"`
	ErrorsInjected  int64 `json:"errors_injected"`
	// ConfiguredLatencyNs is the sim store's configured mean latency
	// (spikes included), shown beside the realised mean.
	ConfiguredLatencyNs int64 `json:"configured_latency_ns,omitempty"`
}

// TimelinePoint is one ~100 ms interval of a run.
type TimelinePoint struct {
	TS         float64 `json:"t_s"`
	Ops        int64   `json:"ops"`
	P50Ns      int64   `json:"p50_ns"`
	P99Ns      int64   `json:"p99_ns"`
	HeapBytes  int64   `json:"heap_bytes"`
	Goroutines int64   `json:"goroutines"`
	CPUS       float64 `json:"cpu_s"`
}

// Linearizability verdicts.
const (
	LinOK      = "ok"
	LinIllegal = "illegal"
	LinUnknown = "unknown"
	LinSkipped = "skipped"
)

// Consistency is the verdict of the consistency checks for a run.
type Consistency struct {
	Checked      bool             `json:"checked"`
	Anomalies    map[string]int64 `json:"anomalies"`
	Linearizable string           `json:"linearizable"`
	// Notes explain caveats (history cap reached, partitions timed out).
	Notes []string `json:"notes,omitempty"`
	// Visualization is the porcupine HTML of an illegal partition,
	// relative to the results directory.
	Visualization string `json:"visualization,omitempty"`
}
