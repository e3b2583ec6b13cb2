package analysis

import (
	"strings"

	"lockbench/results"
)

// okRun is a healthy closed-loop run: throughput tput ops/s for one second,
// latency consistent with Little's law, no warnings.
func okRun(workload string, concurrency int, strategy string, repetition int, tput float64) results.Run {
	meanNs := float64(concurrency) / tput * 1e9
	return results.Run{
		Strategy: strategy, Workload: workload, Concurrency: concurrency, Repetition: repetition,
		Arrival: "closed", Status: results.StatusOK,
		DurationS: 1, Ops: int64(tput), ThroughputOpsS: tput,
		Latency: map[string]results.Latency{"all": {
			Count: int64(tput), MeanNs: meanNs, P50Ns: int64(meanNs), P99Ns: int64(2 * meanNs),
		}},
		Locks:           map[string]results.Lock{"manager.contexts": {WaitTotalNs: int64(tput) * 1000}},
		Process:         results.Process{CPUUserS: 0.5, CPUSysS: 0.1},
		LittlesLawRatio: 1,
	}
}

// cellRuns is one cell with one run per throughput.
func cellRuns(workload string, concurrency int, strategy string, tputs ...float64) []results.Run {
	runs := make([]results.Run, len(tputs))
	for i, t := range tputs {
		runs[i] = okRun(workload, concurrency, strategy, i, t)
	}
	return runs
}

func file(runs ...[]results.Run) *results.File {
	f := &results.File{Schema: results.Schema}
	for _, rs := range runs {
		f.Runs = append(f.Runs, rs...)
	}
	return f
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
