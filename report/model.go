package report

import (
	"lockbench/analysis"
	"lockbench/results"
)

// Model is everything a report says, computed once from a results file.
// It is plain data: the writers only read it, so report.md and report.html
// cannot disagree. Times are in seconds, throughput in operations per second,
// memory in bytes.
type Model struct {
	Meta results.Meta
	// Baseline is the strategy the others are compared with.
	Baseline string
	// Strategies in display order: naive, refactored, sharded, then any
	// other name alphabetically.
	Strategies []string
	// ImageFormat is the plot format report.md links: FormatPNG when PNG
	// files are written, else FormatSVG.
	ImageFormat string
	// MemorySource names the figure the peak-memory columns show:
	// MemoryHeap when the runs recorded it, else MemoryRSS.
	MemorySource string
	// Runs counts every run in the file, UsableRuns the successful ones.
	Runs, UsableRuns int
	// Summary has one row per workload: what a reader can act on.
	Summary []SummaryRow
	// GeoMeans summarise each strategy's throughput against the baseline
	// over every workload and concurrency.
	GeoMeans  []GeoMean
	Workloads []Workload
	// Scaling has one entry per strategy: its USL fits across workloads.
	Scaling []Scaling
	// Problems lists the failed and interrupted runs.
	Problems []RunProblem
	// Missing lists the cells (workload × strategy × concurrency) the
	// sweep has no usable run for: the file is partial.
	Missing []analysis.CellKey
	// Warnings that concern no single workload.
	Warnings []analysis.Warning
}

// Memory sources.
const (
	// MemoryHeap is the Go heap's peak during the run: per run, so runs
	// can be compared with each other.
	MemoryHeap = "runtime.heap_peak_bytes"
	// MemoryRSS is the process's resident set size at its peak. Memory the
	// runtime has not yet returned to the OS after an earlier run counts
	// too, so it is used only when the heap peak is absent.
	MemoryRSS = "process.max_rss_bytes"
)

// SummaryRow is one workload's verdict.
type SummaryRow struct {
	Workload string
	// Concurrency is the level the fastest strategy was picked at:
	// Workload.Top.
	Concurrency int
	// Fastest is the strategy with the highest median throughput at
	// Concurrency; "" when no strategy has usable runs there.
	Fastest           string
	FastestThroughput float64
	// VsBaseline compares Fastest with the baseline on throughput; nil
	// when Fastest is the baseline or the baseline has no runs there.
	VsBaseline *analysis.Comparison
	// Anomalies sums the consistency anomalies of Fastest's runs over every
	// concurrency of the workload; AnomalyKinds splits them by kind.
	Anomalies    int64
	AnomalyKinds []KindCount
	// CheckedRuns of Runs of Fastest on the workload had the consistency
	// checks on.
	CheckedRuns, Runs int
	// Clean is the fastest strategy at Concurrency whose runs were all
	// checked and showed no anomaly; "" when there is none.
	Clean           string
	CleanThroughput float64
	CleanVsBaseline *analysis.Comparison
	// CleanHeldIO and BaselineHeldIO are the time locks were held inside
	// store I/O per operation at Concurrency, for Clean and for the
	// baseline (medians over the repetitions). Absolute and split by lock
	// scope, so a correct strategy that holds a per-key lock across its own
	// write cannot rank below one that serialises every client on a
	// map-wide lock (a share of hold time would put both near 100%).
	CleanHeldIO, BaselineHeldIO HeldIOPerOp
	// Limits says what limits each strategy at Concurrency: its cell's
	// bottleneck (operational laws), in strategy order.
	Limits []BottleneckCell
}

// HeldIOPerOp is held-in-I/O time per operation, in seconds, split by lock
// scope (analysis.PerKeyLock); NaN when the runs had no lock figures.
type HeldIOPerOp struct {
	MapWide, PerKey float64
}

// Workload holds the figures of one workload.
type Workload struct {
	Name string
	// Description is the workload's own, from the results' meta ("" when
	// the file has none).
	Description string
	// Stores and Arrivals are the distinct store specs and arrival modes
	// its runs used (normally one each).
	Stores, Arrivals []string
	// Concurrencies measured, ascending.
	Concurrencies []int
	// Strategies with at least one usable run, in display order.
	Strategies []string
	// Top is the concurrency the summary and the highest-concurrency plots
	// use: the highest level at which every strategy of the workload has
	// usable runs, or failing that the highest level with any.
	Top int
	// Cells in strategy order, then ascending concurrency.
	Cells []Cell
	// Throughput and P99 compare every strategy with the baseline, per
	// concurrency.
	Throughput, P99 []analysis.Comparison
	// GeoMeans summarise those comparisons per strategy and metric.
	GeoMeans []GeoMean
	// Warnings about this workload's figures.
	Warnings []analysis.Warning
	// Locks seen in any run, sorted.
	Locks []string
	// HeldIO per strategy and lock at Top; HeldIOTotals per strategy over
	// all its locks (Lock is "").
	HeldIO, HeldIOTotals []HeldIO
	// Representative is one run per strategy at Top (its own highest
	// concurrency when it has none at Top): the repetition with the median
	// throughput, for the spectrum and timeline plots.
	Representative []RunRef
	// Fits are the USL fits of the workload, one per strategy.
	Fits []analysis.USL
	// Consistency per strategy over all its runs of the workload.
	Consistency []Consistency
	// Bottlenecks per strategy and concurrency (Cells order), and the
	// utilization of every server resource per cell.
	Bottlenecks []BottleneckCell
	ResourceUse []ResourceUse
}

// Cell is the repetitions of one strategy at one concurrency.
type Cell struct {
	Strategy    string
	Concurrency int
	// Runs counts the usable repetitions.
	Runs int
	// Throughput in ops/s; Samples are the per-run values in repetition
	// order (the spread the plots draw).
	Throughput Spread
	Samples    []float64
	// P50 and P99 latency over all operations, seconds.
	P50, P99 Spread
	// ErrorRate is the share of the window's operations that failed.
	ErrorRate Spread
	// Offered is the open-loop target rate (ops/s); ServiceP50 and
	// ServiceP99 the service time from the actual start, seconds. NaN
	// medians for closed loop.
	Offered, ServiceP50, ServiceP99 Spread
	// CPUPerOp is user plus system CPU seconds per operation.
	CPUPerOp Spread
	// LockWaitPerOp is lock wait summed over every lock, seconds per
	// operation; LockWait splits its median by lock.
	LockWaitPerOp Spread
	LockWait      map[string]float64
	// PeakMemory in bytes, from Model.MemorySource.
	PeakMemory Spread
	// HeldIOMapWide and HeldIOPerKey are held-in-I/O seconds per operation
	// on map-wide and on per-key locks.
	HeldIOMapWide, HeldIOPerKey Spread
	// Anomalies summed over the runs; CheckedRuns had the checks on.
	Anomalies   int64
	CheckedRuns int
	// Outliers classifies the repetitions by Tukey's fences on throughput.
	Outliers analysis.Outliers
}

// Spread describes a figure across repetitions. Median, Min and Max are NaN
// when N is 0.
type Spread struct {
	Median, Min, Max float64
	N                int
}

// GeoMean is the geometric mean of a strategy's ratios to the baseline over
// the concurrencies of one workload.
type GeoMean struct {
	Strategy, Metric string
	Ratio            float64
	// Cells counts the comparisons averaged.
	Cells int
}

// HeldIO is the time a lock was held while its holder was in store I/O.
type HeldIO struct {
	Strategy, Lock string
	Concurrency    int
	// HeldIONs and HoldNs are summed over the runs, Ops too (completed
	// operations): HeldIONs / Ops is the held-in-I/O time per operation.
	HeldIONs, HoldNs, Ops int64
	// Scope is results.ScopeMapWide or results.ScopePerKey (a striped
	// family); "" in a results file written before locks had one.
	Scope string
	// Share is HeldIONs / HoldNs; NaN when the lock was never held.
	Share float64
}

// RunRef is one run picked to stand for its cell in the per-run plots.
type RunRef struct {
	Strategy                string
	Concurrency, Repetition int
	Throughput              float64
	Spectrum                []results.SpectrumPoint
	Timeline                []results.TimelinePoint
}

// Consistency is a strategy's consistency record on one workload.
type Consistency struct {
	Strategy string
	// Checked of Runs usable runs had the checks on.
	Runs, Checked int
	Total         int64
	// Anomalies by kind, largest first.
	Anomalies []KindCount
	// Linearizable counts the runs per verdict (ok, illegal, unknown,
	// skipped).
	Linearizable []KindCount
	// Visualizations of illegal histories, relative to the results
	// directory.
	Visualizations []string
	// Notes of the checker, deduplicated.
	Notes []string
}

// KindCount is a count of one kind of thing.
type KindCount struct {
	Kind  string
	Count int64
}

// Scaling is one strategy's USL fits across workloads.
type Scaling struct {
	Strategy string
	Fits     []ScalingFit
}

// ScalingFit is one USL fit with the measured figures it is read against.
type ScalingFit struct {
	// USL is the fit; only Workload and Strategy are set when Fitted is
	// false.
	analysis.USL
	// Fitted is false when the strategy was measured on the workload but
	// could not be fitted (too few concurrency levels).
	Fitted bool
	// Levels is the number of concurrency levels measured.
	Levels int
	// Measured is the median throughput per concurrency, ascending.
	Measured []MeasuredPoint
	// MaxMeasured is the highest concurrency measured; BestMeasured the
	// highest median throughput, reached at BestMeasuredAt.
	MaxMeasured    int
	BestMeasured   float64
	BestMeasuredAt int
	// OperationalCeiling is the lowest bound a server (lock, stripe, pooled
	// store, CPUs) sets at MaxMeasured, by the operational laws, and
	// OperationalCeilingBy names that server; NaN and "" when the runs have
	// no analysis.
	OperationalCeiling   float64
	OperationalCeilingBy string
}

// MeasuredPoint is a median throughput at one concurrency.
type MeasuredPoint struct {
	Concurrency int
	Throughput  float64
}

// RunProblem is a run that did not produce usable figures.
type RunProblem struct {
	Workload, Strategy      string
	Concurrency, Repetition int
	Status, Reason          string
}
