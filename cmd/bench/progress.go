package main

import (
	"fmt"
	"io"

	"lockbench/results"
	"lockbench/runner"
)

// progressLine shows a sweep's progress on a terminal: one line on stderr,
// rewritten in place for each run. Anything else printed to the terminal
// (a table row on stdout, a message on stderr) must clear it first, or it
// is printed over the line's text.
type progressLine struct {
	w     io.Writer
	shown bool
}

// clearLine returns the cursor to the start of the line and erases it.
const clearLine = "\r\033[K"

func (p *progressLine) show(ev runner.ProgressEvent) {
	fmt.Fprintf(p.w, "%s[%d/%d] %s %s c=%d r=%d  ETA %s", clearLine, ev.Run, ev.Runs,
		ev.Params.Spec.Name, ev.Params.Strategy, ev.Params.Concurrency, ev.Params.Repetition, ev.ETA)
	p.shown = true
}

// clear erases the line if it is shown; a nil progressLine does nothing.
func (p *progressLine) clear() {
	if p != nil && p.shown {
		fmt.Fprint(p.w, clearLine)
		p.shown = false
	}
}

// sweepOutput connects a sweep to the terminal: the progress line (when
// progress is not nil) and, in text format, a table row per run printed as
// it finishes, the progress line cleared before it.
func sweepOutput(sweep *runner.Sweep, stdout io.Writer, progress *progressLine, text bool) {
	if progress != nil {
		sweep.Progress = progress.show
	}
	if text {
		// Rows are printed as runs finish, so columns have fixed widths
		// rather than widths computed over the whole table.
		writeRunHeader(stdout)
		sweep.OnRun = func(r results.Run) {
			progress.clear()
			writeRunRow(stdout, r)
			writeRunWarnings(stdout, r)
		}
	}
}
