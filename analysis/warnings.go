package analysis

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat"

	"lockbench/results"
)

// Warning is a caveat about a figure, to print beside it.
type Warning struct {
	Workload, Strategy string
	// Concurrency is 0 for a warning about the whole (workload, strategy).
	Concurrency int
	// Repetition is the run's repetition, or -1 for a warning about a
	// whole cell (all its repetitions).
	Repetition int
	// Kind is one of the Kind… constants.
	Kind string
	// Message says what is suspect, with the figures.
	Message string
}

// Warning kinds.
const (
	// KindFewSamples: a cell has fewer runs than a U test needs to reach
	// significance (4 per side).
	KindFewSamples = "few-samples"
	// KindLittlesLaw: closed loop, throughput × (mean latency + think
	// time) / concurrency is off 1 by more than 0.1, the operations cut
	// by the window's edges and, below 1, the harness's own work between
	// operations explain: the harness mismeasures (see littlesLawCaveat).
	KindLittlesLaw = "littles-law"
	// KindStoreLatency: the realised store latency (mean) is off the
	// configured one by more than 10% and 100µs.
	KindStoreLatency = "store-latency"
	// KindSpread: the coefficient of variation of throughput across
	// repetitions exceeds 10%.
	KindSpread = "spread"
	// KindFailed: a run failed; its figures are left out.
	KindFailed = "failed"
	// KindInterrupted: a run was interrupted; its figures are left out.
	KindInterrupted = "interrupted"
	// KindRun: a warning the run itself recorded.
	KindRun = "run"
	// KindCensored: operations were still in flight when measuring ended.
	KindCensored = "censored"
	// KindPacerLateness: open loop, the pacer started operations late
	// (p50 above 100µs), so the offered load was below the target rate.
	KindPacerLateness = "pacer-lateness"
	// KindOutliers: repetitions of a cell lie beyond Tukey's fences on
	// throughput (CellOutliers).
	KindOutliers = "outliers"
	// KindUSLNotFitted: fewer than 3 concurrency levels, no USL fit.
	KindUSLNotFitted = "usl-not-fitted"
)

// Thresholds of the warnings.
const (
	minSamplesForSignificance = 4
	littlesLawLow             = 0.9
	littlesLawHigh            = 1.1
	// littlesLawHarnessGap bounds the CPU time per operation a client may
	// spend outside operations for the harness's own work: drawing the
	// next operation and key, recording the last. That work took 100–300
	// ns per operation on the 2-core VM under load (kv-read-mostly: ratio
	// 0.3–0.9 with 200–500 ns of CPU per operation), comparable to an
	// operation of the memory store; a stalled or missing client costs
	// microseconds to seconds.
	littlesLawHarnessGap = time.Microsecond
	storeLatencyRelative = 0.10
	storeLatencyAbsolute = 100 * time.Microsecond
	storeLatencyNoise    = 4 // standard errors of the realised mean
	spreadCV             = 0.10
	pacerLatenessLimit   = 100 * time.Microsecond
)

// cellWide is the Repetition of a warning about a whole cell.
const cellWide = -1

// Warnings lists the caveats of f: per run (failed, interrupted, the run's own
// warnings, Little's law, store latency, censored operations, pacer
// lateness), per cell (too few samples, wide spread) and per (workload,
// strategy) (no USL fit). Sorted by workload, concurrency, strategy,
// repetition, kind.
func Warnings(f *results.File) []Warning {
	if f == nil {
		return nil
	}
	var ws []Warning
	for _, r := range f.Runs {
		ws = append(ws, runWarnings(r)...)
	}
	cells := Cells(f)
	levels := map[[2]string]int{}
	for _, k := range SortedKeys(cells) {
		ws = append(ws, cellWarnings(k, cells[k])...)
		levels[[2]string{k.Workload, k.Strategy}]++
	}
	for pair, n := range levels {
		if n < 3 {
			ws = append(ws, Warning{Workload: pair[0], Strategy: pair[1], Repetition: cellWide, Kind: KindUSLNotFitted,
				Message: fmt.Sprintf("measured at %d concurrency level(s): the USL needs at least 3", n)})
		}
	}
	slices.SortFunc(ws, func(a, b Warning) int {
		return cmp.Or(
			cmp.Compare(a.Workload, b.Workload),
			cmp.Compare(a.Concurrency, b.Concurrency),
			cmp.Compare(a.Strategy, b.Strategy),
			cmp.Compare(a.Repetition, b.Repetition),
			cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Message, b.Message),
		)
	})
	return ws
}

func runWarnings(r results.Run) []Warning {
	var ws []Warning
	add := func(kind, format string, args ...any) {
		ws = append(ws, Warning{Workload: r.Workload, Strategy: r.Strategy, Concurrency: r.Concurrency,
			Repetition: r.Repetition, Kind: kind, Message: fmt.Sprintf(format, args...)})
	}
	for _, w := range r.Warnings {
		add(KindRun, "%s", w)
	}
	switch r.Status {
	case results.StatusFailed:
		add(KindFailed, "run failed: %s", cmp.Or(r.Reason, "no reason given"))
		return ws
	case results.StatusInterrupted:
		add(KindInterrupted, "run interrupted: its figures are left out")
		return ws
	}
	if msg := littlesLawCaveat(r); msg != "" {
		add(KindLittlesLaw, "%s", msg)
	}
	// Like with like: the realised mean against the configured mean (the
	// median of an exponential delay is ln 2 of its mean, not an error).
	// A deviation within storeLatencyNoise standard errors of the mean is
	// noise of a skewed distribution over few calls, not a slow store.
	if s := r.Store; s.ConfiguredLatencyNs > 0 && s.Ops > 0 && s.LatencyMeanNs > 0 {
		off := s.LatencyMeanNs - s.ConfiguredLatencyNs
		noise := storeLatencyNoise * float64(s.LatencyStddevNs) / math.Sqrt(float64(s.Ops))
		if math.Abs(float64(off)) > storeLatencyRelative*float64(s.ConfiguredLatencyNs) &&
			time.Duration(abs(off)) > storeLatencyAbsolute && math.Abs(float64(off)) > noise {
			msg := fmt.Sprintf("realised store latency mean %v is %+.0f%% off the configured mean %v",
				time.Duration(s.LatencyMeanNs), 100*float64(off)/float64(s.ConfiguredLatencyNs), time.Duration(s.ConfiguredLatencyNs))
			// A sleeping call whose delay has ended still waits for the Go
			// scheduler to run it: with many runnable goroutines on few
			// CPUs that wait, measured by the runtime, is what the mean
			// gained, not the store.
			if sched := r.Runtime.SchedLatencyP99Ns; off > 0 && sched >= off {
				msg += fmt.Sprintf("; the runtime's scheduling latency p99 was %v: calls whose delay had ended waited that long for a CPU", time.Duration(sched))
			}
			add(KindStoreLatency, "%s", msg)
		}
	}
	if r.CensoredOps > 0 {
		add(KindCensored, "%d operation(s) still in flight when measuring ended (censored)", r.CensoredOps)
	}
	if r.Arrival == "open" && time.Duration(r.PacerLatenessP50Ns) > pacerLatenessLimit {
		add(KindPacerLateness, "pacer lateness p50 %v above %v: operations started late, the offered load fell short of the target rate",
			time.Duration(r.PacerLatenessP50Ns), pacerLatenessLimit)
	}
	return ws
}

// littlesLawCaveat checks Little's law on a closed-loop run. Every client
// is always inside an operation, in its think time or in the harness
// between two operations, and the ratio sums the latencies of the
// operations that ended inside the window, so
//
//	ratio + think share = 1 − harness share + (A − B) / (N × window)
//
// where A is the part before the window of each client's operation that
// straddles its start, and B the part inside the window of each client's
// operation that straddles its end (drained, so not summed): each between 0
// and N × the slowest operation. The edges thus move the ratio by up to
// the slowest operation's share of the window, either way, and no more
// than that (nor 0.1 of tolerance) is a mismeasurement when it is above 1.
// Below 1 the rest is the harness's share: for clients that compute, the
// share of their time outside operations is about the share of their CPU
// time, so (that share) × CPU per operation estimates the harness's CPU
// per operation. Within littlesLawHarnessGap that is the harness's own
// work, which operations of a few hundred nanoseconds cannot dwarf (their
// throughput counts it, as any benchmark loop's does); beyond it clients
// were missing, stalled or mismeasured. It returns "" when the law holds,
// or what is wrong.
func littlesLawCaveat(r results.Run) string {
	if !closedLoop(r) || r.LittlesLawRatio == 0 || r.Concurrency <= 0 {
		return ""
	}
	ratio := r.LittlesLawRatio + CompletionRate(r)*float64(r.ThinkTimeNs)/1e9/float64(r.Concurrency)
	edges := 0.0
	if r.DurationS > 0 {
		edges = float64(r.Latency[overallLatency].MaxNs) / 1e9 / r.DurationS
	}
	switch {
	case ratio > littlesLawHigh+edges:
		return fmt.Sprintf("Little's law ratio %.2f above %.1f: throughput × (mean latency + think time) is more than the %d clients, beyond what operations cut by the window's edges add (at most %.2f, the slowest operation's share of the window): the harness mismeasures",
			ratio, littlesLawHigh, r.Concurrency, edges)
	case ratio >= littlesLawLow-edges:
		return ""
	}
	outside := 1 - edges - ratio // the clients' share outside operations, at least
	if harness := outside * CPUPerOp.Value(r) * 1e9; harness <= float64(littlesLawHarnessGap) {
		return ""
	}
	return fmt.Sprintf("Little's law ratio %.2f below %.1f: the clients spent at least %.0f%% of their time outside operations, more than the harness's own work between operations (≤ %v of CPU each) and the window's edges explain: clients were missing, stalled or mismeasured",
		ratio, littlesLawLow, 100*outside, littlesLawHarnessGap)
}

func cellWarnings(k CellKey, runs []results.Run) []Warning {
	var ws []Warning
	add := func(kind, format string, args ...any) {
		ws = append(ws, Warning{Workload: k.Workload, Strategy: k.Strategy, Concurrency: k.Concurrency,
			Repetition: cellWide, Kind: kind, Message: fmt.Sprintf(format, args...)})
	}
	if len(runs) < minSamplesForSignificance {
		add(KindFewSamples, "%d run(s): a Mann–Whitney test needs at least %d per side to reach p<%.2f",
			len(runs), minSamplesForSignificance, Alpha)
	}
	if tput := Values(runs, Throughput); len(tput) >= 2 {
		mean, sd := stat.MeanStdDev(tput, nil)
		if mean > 0 && sd/mean > spreadCV {
			add(KindSpread, "throughput varies by %.0f%% (coefficient of variation) across %d repetitions",
				100*sd/mean, len(tput))
		}
	}
	if o := CellOutliers(runs); o.Count() > 0 {
		add(KindOutliers, "%s beyond Tukey's fences on throughput: repetitions %s", o, repetitionList(o))
	}
	return ws
}

// repetitionList names the outlying repetitions, "3 (severe), 5 (mild)".
func repetitionList(o Outliers) string {
	var parts []string
	for _, r := range o.Severe {
		parts = append(parts, fmt.Sprintf("%d (severe)", r))
	}
	for _, r := range o.Mild {
		parts = append(parts, fmt.Sprintf("%d (mild)", r))
	}
	return strings.Join(parts, ", ")
}

// closedLoop: the arrival is "closed", or unset as in older files.
func closedLoop(r results.Run) bool { return r.Arrival == "closed" || r.Arrival == "" }

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
