package runner

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"strings"
	"time"

	"lockbench/results"
)

// errorRateWarning: above this share of failed operations a run's figures
// describe a system that mostly fails, and the run says so.
const errorRateWarning = 0.01

// runWarnings are the caveats only the runner can see. Caveats derived from
// the figures themselves (Little's law, realised store latency, pacer
// lateness, censored operations, spread) come from analysis.Warnings, so
// they are stated once, in one wording, wherever runs are shown.
func runWarnings(res *results.Run) []string {
	var w []string
	all := res.Latency["all"]
	switch {
	case res.Ops == 0:
		w = append(w, "no operation completed inside the measured window: throughput and the Little's law ratio mean nothing; lengthen --duration")
	case res.Ops < 100:
		w = append(w, fmt.Sprintf("only %d operations completed inside the measured window: percentiles are coarse", res.Ops))
	}
	if res.Ops > 0 && res.ErrorRate > errorRateWarning && res.FailedOps < res.Ops {
		w = append(w, fmt.Sprintf("%.1f%% of operations failed (%s): throughput counts only the successful ones, latency all of them", 100*res.ErrorRate, failuresByKind(res)))
	}
	// Durations are rounded so the same caveat over several repetitions
	// reads the same, with only the figure that differs differing.
	window := roundDuration(int64(res.DurationS * 1e9))
	switch {
	case all.P50Ns > 0 && time.Duration(all.P50Ns) > window/2:
		w = append(w, fmt.Sprintf("the median operation (p50 %s) lasts more than half the %s measured window, which sees few operations start and end; lengthen --duration", roundDuration(all.P50Ns), window))
	case all.P99Ns > 0 && time.Duration(all.P99Ns) > window/2:
		w = append(w, fmt.Sprintf("the slowest operations (p99 %s) last more than half the %s measured window, whose edges cut them and bias throughput and the Little's law ratio; lengthen --duration", roundDuration(all.P99Ns), window))
	}
	return w
}

// failuresByKind renders the window's failures as "store: 12, other: 3",
// largest first.
func failuresByKind(res *results.Run) string {
	errs := map[string]int64{}
	for kind, rate := range res.ErrorRates {
		errs[kind] = int64(math.Round(rate * float64(res.Ops)))
	}
	kinds := slices.Sorted(maps.Keys(errs))
	slices.SortStableFunc(kinds, func(a, b string) int { return cmp.Compare(errs[b], errs[a]) })
	parts := make([]string, 0, len(kinds))
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%s: %d", k, errs[k]))
	}
	return strings.Join(parts, ", ")
}

func joinNames(names []string) string { return strings.Join(names, ", ") }

// roundDuration shows a duration to two or three significant figures.
func roundDuration(ns int64) time.Duration {
	d := time.Duration(ns)
	switch {
	case d >= time.Second:
		return d.Round(100 * time.Millisecond)
	case d >= 100*time.Millisecond:
		return d.Round(10 * time.Millisecond)
	case d >= 10*time.Millisecond:
		return d.Round(100 * time.Microsecond)
	default:
		return d.Round(10 * time.Microsecond)
	}
}

// Goroutine leak check: a run may leave goroutineSlack more goroutines
// than it found. Goroutines of a finished run (workers, the store's
// timers, the system's helpers) exit shortly after it, not at once, so
// the count is given up to goroutineSettle to come down before a leak is
// reported.
const (
	goroutineSlack  = 8
	goroutineSettle = time.Second
)

// settledGrowth returns how many more goroutines run now than before, once
// the count is within slack of before or goroutineSettle has passed.
func settledGrowth(before, slack int) int {
	grown := runtime.NumGoroutine() - before
	for deadline := time.Now().Add(goroutineSettle); grown > slack && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
		grown = runtime.NumGoroutine() - before
	}
	return grown
}
