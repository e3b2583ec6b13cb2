// Command quota is the runnable example of measuring a type of one's own
// with lockbench: a per-key token quota (quota.go) in three lock strategies,
// registered as the target "quota" (target.go), swept over a hot-key
// workload and rendered as the same report `bench report` writes.
//
//	go run ./examples/quota                  # writes to a new temporary directory
//	go run ./examples/quota --out /tmp/quota --count 3
//
// The strategy "unlocked-io" never holds a lock across its store write, and
// pays for it: under --history (on by default) its runs show an illegal
// linearizability verdict — a token spent twice — and store divergences.
// go test ./examples/quota checks every strategy with targettest and shows
// the racy one caught; go test -bench . ./examples/quota gives
// strategy=NAME sub-benchmarks for benchstat -col /strategy.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"time"

	"github.com/montanaflynn/stats"

	"lockbench/report"
	"lockbench/results"
	"lockbench/runner"
	"lockbench/workload"
)

// workloadYAML is the sweep: most operations take a token from one of 8
// keys, a fifth refill; the store write costs 200µs, so a lock held across
// it is a lock held for 200µs.
const workloadYAML = `
name: quota-hot
description: takes and refills on 8 keys, write-through to a 200µs store
target: quota
mix: {quota.take: 70, quota.refill: 20, quota.tokens: 10}
keys: 8
preload: 8
concurrency: [1, 4, 16]
duration: 500ms
warmup: 100ms
count: 2
store: sim:latency=200us
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0) // the flag set printed the usage
		}
		fmt.Fprintln(os.Stderr, "quota:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("quota", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "directory for results.json and the report (default: a new temporary directory)")
	duration := fs.Duration("duration", 0, "measured time of each run (default: the workload's, 500ms)")
	count := fs.Int("count", 0, "repetitions (default: the workload's, 2)")
	hist := fs.Bool("history", true, "record every operation and check linearizability with porcupine")
	if err := fs.Parse(args); err != nil {
		return err
	}
	spec, err := workload.Parse([]byte(workloadYAML), "quota-hot.yaml")
	if err != nil {
		return err
	}
	var o workload.Overrides
	if *duration > 0 {
		o.Duration = duration
	}
	if *count > 0 {
		o.Count = count
	}
	if spec, err = spec.Override(o, "flags"); err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		if dir, err = os.MkdirTemp("", "lockbench-quota-"); err != nil {
			return err
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}

	sweep := runner.Sweep{
		Specs:   []*workload.Spec{spec},
		Options: runner.Options{OutDir: dir, Instrument: true, History: *hist},
		Meta:    runner.Meta(spec.Seed, "go run ./examples/quota "+strings.Join(args, " ")),
	}
	start := time.Now()
	file, err := sweep.Run(ctx)
	if err != nil && !errors.Is(err, runner.ErrRunsFailed) {
		return err
	}
	summarize(stdout, file)
	if err := report.Render(file, dir, report.Options{Baseline: "mutex", SkipResults: true}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d runs in %s; results and report in %s (%s)\n",
		len(file.Runs), time.Since(start).Round(time.Second), dir, report.MarkdownFile)
	return err
}

// summarize prints one line per strategy and concurrency: median
// throughput, store divergences and linearizability verdicts.
func summarize(w io.Writer, f *results.File) {
	type cell struct {
		strategy    string
		concurrency int
	}
	throughput := map[cell][]float64{}
	divergent := map[cell]int64{}
	verdicts := map[cell]map[string]int{}
	var cells []cell
	for _, r := range f.Runs {
		c := cell{r.Strategy, r.Concurrency}
		if _, seen := throughput[c]; !seen {
			cells = append(cells, c)
			verdicts[c] = map[string]int{}
		}
		throughput[c] = append(throughput[c], r.ThroughputOpsS)
		divergent[c] += r.Consistency.Anomalies["store_divergence"]
		verdicts[c][r.Consistency.Linearizable]++
	}
	fmt.Fprintf(w, "%-12s %5s %12s %12s  %s\n", "strategy", "conc", "ops/s (med)", "divergences", "linearizable")
	for _, c := range cells {
		med, _ := stats.Median(throughput[c]) // of an even count, the mean of the middle two
		var v []string
		for verdict, n := range verdicts[c] {
			v = append(v, fmt.Sprintf("%s×%d", verdict, n))
		}
		sort.Strings(v)
		fmt.Fprintf(w, "%-12s %5d %12.0f %12d  %s\n", c.strategy, c.concurrency, med, divergent[c], strings.Join(v, " "))
	}
}
