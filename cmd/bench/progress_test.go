package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"lockbench/results"
	"lockbench/runner"
	"lockbench/workload"
)

// TestProgressLineClearedBeforeRows: on a terminal, stdout and stderr are
// one screen; a table row printed while the progress line is shown must
// first clear it, or the row is printed over its text.
func TestProgressLineClearedBeforeRows(t *testing.T) {
	var screen bytes.Buffer
	sweep := &runner.Sweep{}
	progress := &progressLine{w: &screen}
	sweepOutput(sweep, &screen, progress, true)
	screen.Reset() // the header
	spec := &workload.Spec{Name: "many-key-update"}
	sweep.Progress(runner.ProgressEvent{Run: 1, Runs: 2, Params: runner.Params{Strategy: "naive", Spec: spec, Concurrency: 4, Repetition: 1}, ETA: 3 * time.Second})
	sweep.OnRun(results.Run{Workload: "many-key-update", Strategy: "naive", Concurrency: 4, Repetition: 1, Status: results.StatusOK})
	got := screen.String()
	progressText := "[1/2] many-key-update naive c=4 r=1  ETA 3s"
	i := strings.Index(got, progressText)
	if i < 0 {
		t.Fatalf("no progress line in %q", got)
	}
	rest := got[i+len(progressText):]
	if !strings.HasPrefix(rest, clearLine+"many-key-update") {
		t.Errorf("after the progress line comes %q, want the line cleared and then the row", rest)
	}
	progress.clear()
	if strings.HasSuffix(screen.String(), clearLine+clearLine) {
		t.Error("a cleared line was cleared again")
	}
}
