// Command boundcheck tests the operational-law analysis of a results file
// against what was measured, and prints the worst agreement:
//
//	go run ./cmd/boundcheck reports/latest/results.json
//
// It checks two things over every successful run (analysis.CheckBounds):
// in every closed-loop run whose bottleneck is at least 90% utilized,
// measured throughput is within 10% of the bottleneck's bound; in every run
// where no lock, stripe, store pool or CPU is above 50%, the bottleneck is
// the client population (or the offered rate) and its bound is within 10%
// of measured. It prints each case's run count and worst measured/bound
// ratio, then every run that fails. Exit status: 0 all pass, 1 some run
// fails, 2 bad input.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"lockbench/analysis"
	"lockbench/results"
)

func main() {
	err := run(os.Args[1:], os.Stdout)
	var bad badInput
	switch {
	case errors.As(err, &bad):
		fmt.Fprintln(os.Stderr, "boundcheck:", err)
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "boundcheck:", err)
		os.Exit(1)
	}
}

type badInput struct{ error }

func run(args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return badInput{errors.New("usage: boundcheck RESULTS.json")}
	}
	f, err := results.ReadFile(args[0])
	if err != nil {
		return badInput{fmt.Errorf("%q: %w", args[0], err)}
	}
	c := analysis.CheckBounds(f)
	failed := 0
	for _, cs := range []struct {
		name string
		c    analysis.BoundCases
	}{
		{"bottleneck utilization >= 0.9 (closed loop)", c.Saturated},
		{"no server above 0.5 utilization", c.Idle},
	} {
		fmt.Fprintf(stdout, "%s: %d runs", cs.name, cs.c.Runs)
		if cs.c.Runs > 0 {
			fmt.Fprintf(stdout, ", worst measured/bound %.3f (%s)", cs.c.WorstRatio, cs.c.WorstRun)
		}
		fmt.Fprintln(stdout)
		for _, f := range cs.c.Failures {
			fmt.Fprintf(stdout, "  FAIL %s: measured/bound %.3f, bottleneck %s (%s) at %.0f%%\n",
				f.Run, f.Ratio, f.Bottleneck.Name, f.Bottleneck.Kind, 100*f.Bottleneck.Utilization)
		}
		failed += len(cs.c.Failures)
	}
	if failed > 0 {
		return fmt.Errorf("%d runs outside %.0f%% of their bound", failed, 100*analysis.BoundTolerance)
	}
	return nil
}
