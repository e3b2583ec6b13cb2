// Command bench is lockbench's command line: it lists strategies, workloads
// and stores, runs sweeps, renders reports and compares results files.
//
// Usage:
//
//	bench list    [--format text|json]
//	bench run     (--suite NAME | --workload NAME|FILE[,…]) [--strategies a,b] [--out DIR] …
//	bench report  --in DIR/results.json [--out DIR] [--formats png,svg] …
//	bench compare OLD.json NEW.json [--threshold 5%] [--fail-on-regression]
//	              [--metric throughput,p99,…] [--format text|json]
//
// Run "bench COMMAND -h" for the flags of each command.
//
// bench run without --out writes into a fresh lockbench-run-* directory in
// the working directory and names it. A sweep, and a report, hold an
// advisory lock on their output directory: a second one into it is refused.
// Every file is written through a temporary file and a rename, never
// through a symlink; a report is staged and moved in whole.
//
// Exit status: 0 success; 1 a run failed, or a regression was found with
// --fail-on-regression; 2 bad input (unknown name, malformed or oversized
// file, impossible value, a bad or busy output directory), with one line
// naming the culprit and nothing written; 130 interrupted (SIGINT, SIGTERM
// or SIGHUP): bench run after writing what was measured, bench report
// leaving the previous report as it was.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	if err != nil && !errors.Is(err, errQuietFailure) {
		fmt.Fprintln(os.Stderr, "bench:", oneLine(err.Error()))
	}
	os.Exit(exitCode(err))
}

// oneLine is the last guard of the promise that an error is one readable
// line: every message quotes its culprits, but one from deep in a library
// might not. Line breaks are escaped and a runaway message is cut.
func oneLine(msg string) string {
	const limit = 2000
	msg = strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(msg)
	if len(msg) > limit {
		msg = msg[:limit] + "…"
	}
	return msg
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
		return badInput("unknown command %s (want one of %s; bench help shows usage)", quoteShort(args[0]), strings.Join(commandNames(), ", "))
	}
	return cmd(args[1:], stdout, stderr)
}

func commandNames() []string {
	var names []string
	for name := range commands {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// parseFlags parses args into fs so that a bad flag gives one line — the
// returned error, naming the flag — instead of the flag package's message
// followed by the whole usage text. -h prints the usage on stderr and
// returns help = true.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) (help bool, err error) {
	usage := fs.Usage
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	err = fs.Parse(args)
	fs.Usage = usage
	fs.SetOutput(stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.Usage()
		return true, nil
	case err != nil:
		if m := invalidValue.FindStringSubmatch(err.Error()); m != nil {
			return false, badInput("%s: %s", fs.Name(), valueError(m[1], m[2], m[3]))
		}
		return false, badInput("%s: %v (bench %s -h lists the flags)", fs.Name(), err, fs.Name())
	}
	return false, nil
}

// invalidValue matches the flag package's message for a value a flag
// refused: invalid value "VALUE" for flag -NAME: ERROR.
var invalidValue = regexp.MustCompile(`(?s)^invalid value ("(?:[^"\\]|\\.)*") for flag -(\S+): (.*)$`)

// valueError names a refused flag value as the user typed the flag
// (--store): the value, unless the flag's own error quotes it already,
// and the error without a prefix that repeats the flag's name (a
// store.Spec's "store: bad spec …" for --store).
func valueError(quotedValue, name, msg string) string {
	msg = strings.TrimPrefix(msg, name+": ")
	if value, err := strconv.Unquote(quotedValue); err == nil && !strings.Contains(msg, quotedValue) {
		return fmt.Sprintf("--%s %s: %s", name, quoteShort(value), msg)
	}
	return fmt.Sprintf("--%s: %s", name, msg)
}
