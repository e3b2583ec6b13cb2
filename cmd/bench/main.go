// Command bench is lockbench's command line: it lists strategies, workloads
// and stores, runs sweeps, renders reports and compares results files.
//
// Usage:
//
//	bench list    [--format text|json]
//	bench run     [--suite NAME | --workload NAME|FILE[,…]] [--strategies a,b] …
//	bench report  --in DIR/results.json --out DIR
//	bench compare OLD.json NEW.json [--threshold 5%] [--fail-on-regression]
//
// Run "bench COMMAND -h" for the flags of each command.
//
// Exit status: 0 success; 1 a run failed, or a regression was found with
// --fail-on-regression; 2 bad input (unknown name, malformed file, impossible
// value), with a message naming the culprit and nothing written; 130
// interrupted (SIGINT/SIGTERM), after writing what was measured.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	if err != nil && !errors.Is(err, errQuietFailure) {
		fmt.Fprintln(os.Stderr, "bench:", err)
	}
	os.Exit(exitCode(err))
}

// Errors that pick the exit status.
var (
	// errBadInput marks bad input: exit 2.
	errBadInput = errors.New("bad input")
	// errInterrupted: exit 130.
	errInterrupted = errors.New("interrupted")
	// errRegression: a significant regression found (exit 1).
	errRegression = errors.New("regression found")
	// errQuietFailure: exit 1, the message was already printed.
	errQuietFailure = errors.New("failed")
)

// badInput returns an error that exits with status 2.
func badInput(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errBadInput, fmt.Sprintf(format, args...))
}

func exitCode(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errBadInput):
		return 2
	case errors.Is(err, errInterrupted):
		return 130
	default:
		return 1
	}
}

// commands maps subcommand names to their functions; each file adds its own
// in an init function.
var commands = map[string]func(args []string, stdout, stderr io.Writer) error{}

const usage = `usage: bench COMMAND [flags]

commands:
  list      list strategies, workloads, suites and store kinds
  run       run workloads against strategies and record results
  report    render a results file into report.md, report.html and plots
  compare   compare two results files, benchstat style

Run "bench COMMAND -h" for a command's flags.
`

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return badInput("no command given")
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprint(stderr, usage)
		return badInput("unknown command %q", args[0])
	}
	return cmd(args[1:], stdout, stderr)
}
