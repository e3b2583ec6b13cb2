package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"lockbench/analysis"
	"lockbench/analysis/verdict"
	"lockbench/results"
)

func init() { commands["compare"] = cmdCompare }

const compareUsage = `usage: bench compare OLD.json NEW.json [--threshold 5%] [--fail-on-regression]
                     [--allow-inconclusive] [--map OLD=NEW[,…]] [--metric throughput,p99,…]
                     [--format text|json|markdown]
       bench compare RESULTS.json --map OLD=NEW[,…] [flags]

Compares every (workload, concurrency, strategy) cell present in both results
files — or, with --map, strategy OLD's cells in the first file with strategy
NEW's in the second (or in the same file, given once).

Correctness first: both sides' anomalies by kind and linearizability
verdicts. A kind absent or zero in OLD and non-zero in NEW, or a verdict that
turns illegal, is a correctness regression whatever the speed; a cell whose
runs were not checked says so.

Then speed, benchstat style: for each metric, the median of each side with
the half-width of its 95% confidence interval ("± ∞" below 6 repetitions),
the change of the medians, and the p-value of a Mann–Whitney U test with the
number of repetitions. The p-values of all the tests are adjusted together
(Benjamini–Hochberg), so comparing many cells and metrics does not flag
something by chance. "~" means no significant difference. The geomean row is
the geometric mean of each column; its change is the geometric mean of the
cells' ratios.

A regression is a significant change for the worse (lower throughput, higher
latency, more CPU or lock wait per operation) larger than --threshold. A
change for the worse larger than --threshold with too few repetitions for
the test ever to reach p < 0.05 is inconclusive, with the repetitions per
side it would take. With --fail-on-regression, a correctness regression, a
regression or (unless --allow-inconclusive) an inconclusive cell makes the
command exit 1: a CI gate. Flags may come before or after the file names.

flags:
`

// compareFlags are the flags of `bench compare`.
type compareFlags struct {
	threshold         string
	failOnRegression  bool
	allowInconclusive bool
	mapping           string
	metrics           string
	format            string
}

func newCompareFlagSet(stderr io.Writer) (*flag.FlagSet, *compareFlags) {
	f := &compareFlags{}
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.threshold, "threshold", "5%", "smallest significant change for the worse that counts as a regression: a percentage (5%) or a fraction (0.05)")
	fs.BoolVar(&f.failOnRegression, "fail-on-regression", false, "exit 1 on a correctness regression, a significant regression beyond --threshold, or an inconclusive cell")
	fs.BoolVar(&f.allowInconclusive, "allow-inconclusive", false, "with --fail-on-regression, do not fail on cells with too few repetitions to judge")
	fs.StringVar(&f.mapping, "map", "", "pair strategies: OLD=NEW[,OLD2=NEW2] compares OLD's cells in the first file with NEW's in the second (or in the only file)")
	fs.StringVar(&f.metrics, "metric", compareDefaultMetrics(), "comma-separated metrics to compare: "+compareDefaultMetrics()+" (aliases cpu, lockwait), or all")
	fs.StringVar(&f.format, "format", "text", "output format: text (benchstat-style tables), json, or markdown (a table for a pull request, verdict first)")
	fs.Usage = func() {
		fmt.Fprint(stderr, compareUsage)
		fs.PrintDefaults()
	}
	return fs, f
}

func compareDefaultMetrics() string {
	names := make([]string, len(analysis.Metrics))
	for i, m := range analysis.Metrics {
		names[i] = m.Name
	}
	return strings.Join(names, ",")
}

func cmdCompare(args []string, stdout, stderr io.Writer) error {
	fs, f := newCompareFlagSet(stderr)
	// Silence the flag package: a bad flag is one line, -h the usage.
	usage := fs.Usage
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	paths, err := compareParseInterspersed(fs, args)
	fs.Usage = usage
	fs.SetOutput(stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.Usage()
			return nil
		}
		return badInput("compare: %v (bench compare -h lists the flags)", err)
	}
	var pairs []verdict.Pair
	if f.mapping != "" {
		if pairs, err = verdict.ParseMap(f.mapping); err != nil {
			return badInput("compare: --map: %v", err)
		}
	}
	if len(paths) == 1 && pairs != nil {
		paths = append(paths, paths[0])
	}
	if len(paths) != 2 {
		return badInput("compare: want two results files, OLD.json and NEW.json (or one with --map); got %d argument(s) %q", len(paths), paths)
	}
	threshold, err := parseThreshold(f.threshold)
	if err != nil {
		return badInput("compare: --threshold %q: %v", f.threshold, err)
	}
	metrics, err := parseMetrics(f.metrics)
	if err != nil {
		return badInput("compare: --metric: %v", err)
	}
	if f.format != "text" && f.format != "json" && f.format != "markdown" {
		return badInput("compare: --format %q: want text, json or markdown", f.format)
	}
	var files [2]*results.File
	for i, path := range paths {
		files[i], err = results.ReadFile(path)
		if err != nil {
			return fmt.Errorf("%w: compare: %w", errBadInput, err)
		}
	}
	cmp, err := verdict.Compare(files[0], files[1], verdict.Options{Metrics: metrics, Threshold: threshold, Map: pairs})
	if err != nil {
		return badInput("compare: --map: %v", err)
	}
	cmp.OldName, cmp.NewName = paths[0], paths[1]
	if len(cmp.Cells) == 0 {
		return badInput("compare: %q and %q have no (workload, concurrency, strategy) cell with successful runs in common", paths[0], paths[1])
	}

	switch f.format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(cmp.JSON(f.allowInconclusive))
	case "markdown":
		err = cmp.WriteMarkdown(stdout, f.allowInconclusive)
	default:
		err = cmp.WriteText(stdout, f.allowInconclusive)
	}
	if err != nil {
		return err
	}
	if g := cmp.Gate(f.allowInconclusive); f.failOnRegression && !g.Pass {
		return fmt.Errorf("%w: %s", errRegression, strings.Join(g.Reasons, ", "))
	}
	return nil
}

// compareParseInterspersed parses flags that may come before, between or
// after the positional arguments (flag.Parse stops at the first positional
// one) and returns the positional arguments. Everything after "--" is
// positional.
func compareParseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		// Parse consumed a "--" just before rest: the rest is positional.
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// parseThreshold reads "5%" (a percentage) or "0.05" (a fraction). A bare
// number of 1 or more is refused: "5" could mean 5% or 500%.
func parseThreshold(s string) (float64, error) {
	text, percent := strings.CutSuffix(strings.TrimSpace(s), "%")
	v, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	switch {
	case err != nil:
		return 0, errors.New("want a percentage like 5% or a fraction like 0.05")
	case math.IsNaN(v) || math.IsInf(v, 0) || v < 0:
		return 0, errors.New("want a finite value ≥ 0")
	case percent:
		return v / 100, nil
	case v >= 1:
		return 0, fmt.Errorf("ambiguous: write %g%% for a percentage or %g for a fraction", v, v/100)
	}
	return v, nil
}

// parseMetrics reads a comma-separated list of metric names; "all" is every
// metric.
func parseMetrics(s string) ([]analysis.Metric, error) {
	if strings.TrimSpace(s) == "all" {
		return analysis.Metrics, nil
	}
	var metrics []analysis.Metric
	seen := map[string]bool{}
	for name := range strings.SplitSeq(s, ",") {
		if strings.TrimSpace(name) == "" {
			continue
		}
		m, ok := analysis.MetricByName(name)
		if !ok {
			return nil, fmt.Errorf("unknown metric %q (want %s)", strings.TrimSpace(name), compareDefaultMetrics())
		}
		if !seen[m.Name] {
			seen[m.Name] = true
			metrics = append(metrics, m)
		}
	}
	if len(metrics) == 0 {
		return nil, fmt.Errorf("no metric named (want %s)", compareDefaultMetrics())
	}
	return metrics, nil
}
