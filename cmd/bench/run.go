package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"lockbench/analysis"
	_ "lockbench/impl/all" // the built-in strategies
	"lockbench/internal/safefile"
	"lockbench/report"
	"lockbench/results"
	"lockbench/runner"
	"lockbench/store"
	"lockbench/workload"
)

func init() { commands["run"] = cmdRun }

// runFlags are the flags of `bench run`. A zero value means "as the
// workload says".
type runFlags struct {
	suite, workloads, strategies, concurrency string
	duration, warmup, thinkTime               time.Duration
	ops                                       int64
	count                                     int
	store                                     store.Spec // parsed with the flag
	arrival                                   string
	rate                                      float64
	seed                                      int64
	out, format                               string
	history, quiet, noInstrument              bool
	profiles                                  runner.Profiles
	stall, drain                              time.Duration
	set                                       map[string]bool // flags given explicitly
}

func newRunFlagSet(stderr io.Writer) (*flag.FlagSet, *runFlags) {
	f := &runFlags{}
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.suite, "suite", "", "run a named `SUITE` (quick, default, full; bench list shows them)")
	fs.StringVar(&f.workloads, "workload", "", "comma-separated workload names or YAML files")
	fs.StringVar(&f.strategies, "strategies", "", "comma-separated strategies (default: every registered one)")
	fs.StringVar(&f.concurrency, "concurrency", "", "comma-separated worker counts, overriding the workloads' sweep")
	fs.DurationVar(&f.duration, "duration", 0, "measured phase per run, e.g. 2s (overrides the workload; clears --ops)")
	fs.Int64Var(&f.ops, "ops", 0, "measure until this many operations completed instead of a duration")
	fs.DurationVar(&f.warmup, "warmup", 0, "warm-up per run, not recorded (overrides the workload)")
	fs.DurationVar(&f.thinkTime, "think-time", 0, "closed loop: pause between a worker's operations")
	fs.IntVar(&f.count, "count", 0, "repetitions per (strategy, workload, concurrency)")
	fs.TextVar(&f.store, "store", store.Spec{}, "store `SPEC`, e.g. sim:latency=1ms,dist=exp (overrides the workload)")
	fs.StringVar(&f.arrival, "arrival", "", "closed or open loop (overrides the workload)")
	fs.Float64Var(&f.rate, "rate", 0, "open loop: total operations per second")
	fs.Int64Var(&f.seed, "seed", 0, "seed for key and operation sequences (overrides the workload)")
	fs.StringVar(&f.out, "out", "", "`DIR` for results.json and per-run files (created if missing; default: a fresh lockbench-run-* directory here)")
	fs.StringVar(&f.format, "format", "text", "stdout format: text (a table), json (the results file) or bench (Go benchmark lines)")
	fs.BoolVar(&f.history, "history", false, "record operation histories and check linearizability (porcupine)")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress on stderr")
	fs.BoolVar(&f.noInstrument, "no-instrument", false, "plain sync locks: no lock figures (to measure the instrumentation's cost)")
	fs.BoolVar(&f.profiles.CPU, "cpuprofile", false, "write a CPU profile of each run's measured phase into --out")
	fs.BoolVar(&f.profiles.Mutex, "mutexprofile", false, "write a mutex profile per run into --out")
	fs.BoolVar(&f.profiles.Block, "blockprofile", false, "write a block profile per run into --out")
	fs.BoolVar(&f.profiles.Trace, "trace", false, "write an execution trace of each run's measured phase into --out")
	fs.DurationVar(&f.stall, "stall-timeout", runner.DefaultStallTimeout, "abandon a run when no operation completed for this long")
	fs.DurationVar(&f.drain, "drain-timeout", runner.DefaultDrainTimeout, "how long to wait for operations in flight after the measured phase")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bench run [--suite NAME | --workload NAME|FILE[,…]] [flags]\n\nRuns workloads against strategies and records every figure.")
		fs.PrintDefaults()
	}
	return fs, f
}

func cmdRun(args []string, stdout, stderr io.Writer) error {
	// Signals are caught first, before --out is made: an interruption at
	// any later moment leaves results.json valid and no lock file behind.
	// SIGHUP (the terminal closed) ends a sweep like SIGTERM: the run is
	// marked interrupted and its store removed.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	fs, f := newRunFlagSet(stderr)
	if help, err := parseFlags(fs, args, stderr); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badInput("run: unexpected argument %s", quoteShort(fs.Arg(0)))
	}
	f.set = map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })

	sweep, suiteName, err := planSweep(f)
	if err != nil {
		return err
	}
	defaultOut := !f.set["out"]
	if defaultOut {
		// A sweep is never thrown away: without --out it goes into a
		// fresh directory, named on stderr before the first run.
		dir, err := os.MkdirTemp(".", "lockbench-run-"+time.Now().UTC().Format("20060102-150405")+"-*")
		if err != nil {
			return badInput("run: no --out, and no directory can be made here for the results: %v", unwrapPathError(err))
		}
		f.out, sweep.OutDir = dir, dir
	}
	dir, err := openOutDir("run: --out", f.out)
	if err != nil {
		return err
	}
	defer dir.close()
	if defaultOut {
		fmt.Fprintf(stderr, "bench: no --out given: results go to %s\n", showPath(filepath.Join(f.out, report.ResultsFile)))
	}
	sweep.Meta = runner.Meta(sweepSeed(sweep.Specs), "bench "+strings.Join(append([]string{"run"}, args...), " "))
	sweep.Meta.Suite = suiteName
	for _, spec := range sweep.Specs {
		if spec.Description != "" {
			if sweep.Meta.Workloads == nil {
				sweep.Meta.Workloads = map[string]string{}
			}
			sweep.Meta.Workloads[spec.Name] = spec.Description
		}
	}
	for _, warning := range countWarnings(sweep.Specs) {
		fmt.Fprintln(stderr, "bench: warning: "+warning)
	}
	var progress *progressLine
	if !f.quiet && isTerminal(os.Stderr) {
		progress = &progressLine{w: os.Stderr}
	}
	sweepOutput(sweep, stdout, progress, f.format == "text")

	file, runErr := sweep.Run(ctx)
	progress.clear()
	if f.format == "text" {
		writeCellWarnings(stdout, file)
	}
	switch f.format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(file); err != nil {
			return err
		}
	case "bench":
		if err := writeBench(stdout, file); err != nil {
			return err
		}
	}
	where := showPath(filepath.Join(f.out, report.ResultsFile))
	switch {
	case errors.Is(runErr, context.Canceled):
		return fmt.Errorf("%w; runs measured: %d; results in %s", errInterrupted, len(file.Runs), where)
	case runErr != nil:
		for _, r := range file.Runs {
			if r.Status == results.StatusFailed {
				fmt.Fprintf(stderr, "bench: run %s/%s/c=%d/r=%d failed: %s\n", r.Workload, r.Strategy, r.Concurrency, r.Repetition, r.Reason)
			}
		}
		return fmt.Errorf("%w (results in %s)", runErr, where)
	}
	if !f.quiet {
		fmt.Fprintf(stderr, "bench: %d runs, results in %s\n", len(file.Runs), where)
	}
	return nil
}

// planSweep validates every input and builds the sweep. It writes nothing.
func planSweep(f *runFlags) (*runner.Sweep, string, error) {
	switch f.format {
	case "text", "json", "bench":
	default:
		return nil, "", badInput("run: --format %s: want text, json or bench", quoteShort(f.format))
	}
	if f.set["suite"] && f.set["workload"] {
		return nil, "", badInput("run: --suite and --workload are exclusive")
	}
	if !f.set["suite"] && !f.set["workload"] {
		return nil, "", badInput("run: give --suite NAME or --workload NAME|FILE[,…] (bench list shows them)")
	}
	if f.set["out"] {
		if f.out == "" {
			return nil, "", badInput("run: --out is empty (give a directory, or leave --out out for a fresh one)")
		}
		// results.json is rewritten after every run: a destination that
		// cannot take it must fail now, not after the first run.
		if err := safefile.CheckDestination(filepath.Join(f.out, report.ResultsFile)); err != nil {
			return nil, "", badInput("run: --out %q: %s", f.out, strings.TrimPrefix(err.Error(), safefile.ErrUnsafeDestination.Error()+": "))
		}
	}
	if f.set["duration"] && f.set["ops"] {
		return nil, "", badInput("run: --duration and --ops are exclusive")
	}
	if !f.set["out"] {
		for _, name := range []string{"cpuprofile", "mutexprofile", "blockprofile", "trace"} {
			if f.set[name] {
				return nil, "", badInput("run: --%s needs --out (profiles are written into it)", name)
			}
		}
	}
	if f.stall <= 0 {
		return nil, "", badInput("run: --stall-timeout must be > 0, got %s", f.stall)
	}
	if f.drain <= 0 {
		return nil, "", badInput("run: --drain-timeout must be > 0, got %s", f.drain)
	}
	var specs []*workload.Spec
	suiteName := ""
	switch {
	case f.set["workload"]:
		for _, name := range splitList(f.workloads) {
			spec, err := workload.Load(name)
			if err != nil {
				return nil, "", badInput("run: --workload: %v", err)
			}
			specs = append(specs, spec)
		}
	default:
		suiteName = f.suite
		suite, err := workload.LookupSuite(suiteName)
		if err != nil {
			return nil, "", badInput("run: --suite: %v", err)
		}
		if specs, err = suite.Specs(); err != nil {
			return nil, "", badInput("run: suite %s: %v", suiteName, err)
		}
	}
	if len(specs) == 0 {
		return nil, "", badInput("run: --workload: no workloads given")
	}
	// Runs are keyed by workload name in results and reports: two specs of
	// one name would mix their figures.
	seen := map[string]bool{}
	for _, spec := range specs {
		if seen[spec.Name] {
			return nil, "", badInput("run: --workload: workload %q given twice", spec.Name)
		}
		seen[spec.Name] = true
	}
	for i, spec := range specs {
		var err error
		if specs[i], err = applyOverrides(spec, f); err != nil {
			return nil, "", err
		}
	}
	// Without --strategies every workload runs every strategy of its
	// target; with it, every workload's target must have each one.
	var strategies []string
	if f.set["strategies"] {
		strategies = splitList(f.strategies)
		if len(strategies) == 0 {
			return nil, "", badInput("run: --strategies: no strategy given")
		}
	}
	seen = map[string]bool{}
	for _, name := range strategies {
		for _, spec := range specs {
			t, err := spec.System()
			if err == nil {
				_, err = t.Strategy(name)
			}
			if err != nil {
				return nil, "", badInput("run: --strategies: %v", err)
			}
		}
		if seen[name] {
			return nil, "", badInput("run: --strategies: %q given twice", name)
		}
		seen[name] = true
	}
	return &runner.Sweep{
		Specs: specs, Strategies: strategies,
		Options: runner.Options{
			OutDir: f.out, Instrument: !f.noInstrument, History: f.history, Profiles: f.profiles,
			StallTimeout: f.stall, DrainTimeout: f.drain,
		},
	}, suiteName, nil
}

// applyOverrides applies the flags given explicitly to spec and validates
// the result (workload.Spec.Override names the field), then checks that
// the store can be made at its path.
func applyOverrides(spec *workload.Spec, f *runFlags) (*workload.Spec, error) {
	var o workload.Overrides
	if f.set["concurrency"] {
		levels, err := parseInts(f.concurrency)
		if err != nil {
			return nil, badInput("run: --concurrency: %v", err)
		}
		o.Concurrency = levels
	}
	if f.set["duration"] {
		o.Duration = &f.duration
	}
	if f.set["ops"] {
		o.Ops = &f.ops
	}
	if f.set["warmup"] {
		o.Warmup = &f.warmup
	}
	if f.set["count"] {
		o.Count = &f.count
	}
	if f.set["store"] {
		o.Store = &f.store
	}
	if f.set["arrival"] {
		o.Arrival = &f.arrival
	}
	if f.set["rate"] {
		o.Rate = &f.rate
	}
	if f.set["seed"] {
		o.Seed = &f.seed
	}
	out, err := spec.Override(o, "command line")
	if err != nil {
		return nil, overrideError(spec.Name, err, f.set)
	}
	if f.set["think-time"] {
		out.ThinkTime = f.thinkTime
		if err := out.Validate(); err != nil {
			return nil, overrideError(out.Name, err, f.set)
		}
	}
	if err := store.CheckPath(out.Store); err != nil {
		flagOrWorkload := "workload " + out.Name
		if f.set["store"] {
			flagOrWorkload = "--store"
		}
		return nil, badInput("run: %s: %v", flagOrWorkload, err)
	}
	return out, nil
}

// overrideError names the flag behind a validation error of the overridden
// spec (the workload package names the field, which is the flag's name),
// or the workload when no flag set that field.
func overrideError(workloadName string, err error, set map[string]bool) error {
	var we *workload.Error
	if !errors.As(err, &we) {
		return badInput("run: workload %s: %v", workloadName, err)
	}
	field := we.Field
	if i := strings.IndexAny(field, "[."); i >= 0 {
		field = field[:i]
	}
	if flagName := strings.ReplaceAll(field, "_", "-"); field != "" && set[flagName] {
		return badInput("run: --%s: %s", flagName, we.Message)
	}
	return badInput("run: workload %s with the flags given: %s: %s", workloadName, we.Field, we.Message)
}

func sweepSeed(specs []*workload.Spec) int64 {
	if len(specs) == 0 {
		return 0
	}
	return specs[0].Seed
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, part := range splitList(s) {
		n, err := strconv.Atoi(part)
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number", part)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty list")
	}
	return out, nil
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

const runRowFormat = "%-22s %-11s %6s %3s %10s %8s %9s %9s %9s %12s %19s %9s %6s  %-30s %-12s %s\n"

func writeRunHeader(w io.Writer) {
	fmt.Fprintf(w, runRowFormat, "workload", "strategy", "conc", "rep", "ops/s", "offered", "p50", "p99", "svc p50", "lockwait/op", "held io/op map|key", "CPU/op", "failed", "bottleneck", "anomalies", "status")
}

// bottleneckCell names what limits the run and how busy it is, e.g.
// "manager.contexts 99%" or "manager.keys stripe 97%".
func bottleneckCell(r results.Run) string {
	b := r.Bottleneck
	if b == nil {
		return "-"
	}
	name := b.Name
	if b.Kind == results.KindStripe {
		name += " stripe"
	}
	return fmt.Sprintf("%s %.0f%%", name, 100*b.Utilization)
}

// writeRunRow prints one run. Anomalies sit in the same row as the speed, so
// a fast strategy that broke the data cannot look like a plain winner. Every
// derived figure comes from package analysis, as in the report and compare.
// Open loop shows the offered rate beside the achieved one and the service
// time beside the latency; closed loop has "-" there.
func writeRunRow(w io.Writer, r results.Run) {
	seconds := func(m analysis.Metric) string {
		v := m.Value(r)
		if math.IsNaN(v) {
			return "-"
		}
		return fmtDuration(v * 1e9)
	}
	offered := "-"
	if v := analysis.OfferedRate.Value(r); !math.IsNaN(v) {
		offered = fmt.Sprintf("%.0f", v)
	}
	heldIO := "-"
	if len(r.Locks) > 0 {
		heldIO = seconds(analysis.HeldIOMapWidePerOp) + "|" + seconds(analysis.HeldIOPerKeyPerOp)
	}
	lockWait := "-"
	if len(r.Locks) > 0 {
		lockWait = seconds(analysis.LockWaitPerOp)
	}
	// Failed operations are not in ops/s (goodput); their share is.
	failed := "-"
	if v := analysis.ErrorRate.Value(r); !math.IsNaN(v) {
		failed = fmt.Sprintf("%.1f%%", 100*v)
	}
	anomalies := "not checked"
	if r.Consistency.Checked {
		var n int64
		var kinds []string
		for k, v := range r.Consistency.Anomalies {
			if v > 0 {
				n += v
				kinds = append(kinds, fmt.Sprintf("%s=%d", k, v))
			}
		}
		anomalies = "0"
		if n > 0 {
			anomalies = strings.Join(sortedStrings(kinds), ",")
		}
		if r.Consistency.Linearizable == results.LinIllegal {
			anomalies += " NOT linearizable"
		}
	}
	fmt.Fprintf(w, runRowFormat,
		r.Workload, r.Strategy, strconv.Itoa(r.Concurrency), strconv.Itoa(r.Repetition), fmt.Sprintf("%.0f", r.ThroughputOpsS),
		offered, seconds(analysis.LatencyP50), seconds(analysis.LatencyP99), seconds(analysis.ServiceP50),
		lockWait, heldIO, seconds(analysis.CPUPerOp), failed, bottleneckCell(r), anomalies, r.Status)
}

// countWarnings says, before anything runs, when the repetitions asked for
// are too few for bench compare or the report to call any difference
// significant, or to give a confidence interval: one line per count, naming
// its workloads.
func countWarnings(specs []*workload.Spec) []string {
	need := analysis.RepsToReachAlpha()
	byCount := map[int][]string{}
	var counts []int
	for _, spec := range specs {
		if spec.Count >= analysis.RepsForCI {
			continue
		}
		if byCount[spec.Count] == nil {
			counts = append(counts, spec.Count)
		}
		byCount[spec.Count] = append(byCount[spec.Count], spec.Name)
	}
	slices.Sort(counts)
	var out []string
	for _, n := range counts {
		names := strings.Join(byCount[n], ", ")
		if n < need {
			out = append(out, fmt.Sprintf("count %d (%s): a Mann–Whitney U test needs at least %d repetitions per side to reach p < %.2g, so no comparison of these runs can be significant (bench compare calls a change inconclusive); use --count %d or more", n, names, need, analysis.Alpha, analysis.RepsForCI))
		} else {
			out = append(out, fmt.Sprintf("count %d (%s): a 95%% confidence interval of a median needs at least %d repetitions; use --count %d or more", n, names, analysis.RepsForCI, analysis.RepsForCI))
		}
	}
	return out
}

// writeCellWarnings prints, after the sweep, the caveats about whole cells
// that need every repetition: outlying repetitions (Tukey's fences).
func writeCellWarnings(w io.Writer, f *results.File) {
	for _, warn := range analysis.Warnings(f) {
		if warn.Kind == analysis.KindOutliers {
			fmt.Fprintf(w, "! %s/%s/c=%d: %s\n", warn.Workload, warn.Strategy, warn.Concurrency, warn.Message)
		}
	}
}

// writeRunWarnings prints, under a run's row, the caveats about its figures
// (analysis.Warnings on that run alone: the same wording the report uses).
// Caveats about a whole cell — too few repetitions, spread — need the whole
// sweep and are left to the report.
func writeRunWarnings(w io.Writer, r results.Run) {
	one := &results.File{Schema: results.Schema, Runs: []results.Run{r}}
	for _, warn := range analysis.Warnings(one) {
		if warn.Repetition < 0 || warn.Concurrency == 0 {
			continue // cell-wide
		}
		fmt.Fprintf(w, "    ! %s\n", warn.Message)
	}
}

func fmtDuration(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.2fs", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.2fms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1fµs", ns/1e3)
	default:
		return fmt.Sprintf("%.0fns", ns)
	}
}

// writeBench prints the runs as Go benchmark lines (the bench.txt format of
// reports), so `benchstat -col /strategy` can read bench run's output.
func writeBench(w io.Writer, f *results.File) error {
	return report.WriteBenchFormat(w, f)
}
