// Command simlat measures how accurately and how cheaply the sim store
// waits, beside plain time.Sleep: the figure behind the sim store's promise
// that its realised median latency is within 1% (or 20 µs) of the
// configured one from 1 ms to 10 ms, with one caller and with 1,000
// concurrent callers (within 10% or 100 µs below 1 ms), at no more than
// twice time.Sleep's CPU per delayed call. A 4% longer service time moves
// an M/D/1 queue at 80% load by 20%: at high load, delay precision
// dominates every queueing figure.
//
// Usage:
//
//	go run ./cmd/simlat [-duration 1.5s] [-callers 1000] [-mechanisms time.Sleep,timing.Sleep,timing.Delay,sim]
//	                    [-cases 2ms/1000,…] [-cpuprofile FILE] [-strict]
//
// For each requested delay and number of callers, every mechanism runs for
// the given duration: each caller waits in a loop — time.Sleep(d),
// timing.Sleep(d) (at least d, as the open-loop pacer needs),
// timing.Delay(d) (d on the median: it aims earlier by the wake-up
// latency it has observed), or Get on a store opened with sim:latency=d and
// wrapped by store.Instrument as in a run, with a cancellable context as the
// runner's workers have — and times each wait from the caller's side. The
// table shows the realised median and 99th percentile, the errors of the
// median and of the mean, and the process's CPU time (user + system, from
// getrusage) per delayed call with its ratio to time.Sleep's in the same
// case. The verdict column applies the goal of the case to the timing.Delay
// and sim rows: PASS when the median is within tolerance and the CPU per
// call is at most 2× time.Sleep's. time.Sleep and timing.Sleep rows are the
// reference ("ref"). 1,000 callers at 200 µs ask for five million wake-ups
// a second, more than two cores deliver: that row reports what is realised,
// marked "beyond".
//
// Timing figures depend on the machine and its load: run it on a quiet
// machine, a few times, and quote medians. With -strict the command exits
// with status 1 when a verdict is FAIL.
package main

import (
	"errors"
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errFailed) {
			fmt.Fprintln(os.Stderr, "simlat:", err)
		}
		os.Exit(1)
	}
}

// errFailed: a verdict was FAIL under -strict; the table says which.
var errFailed = errors.New("a goal was missed")
