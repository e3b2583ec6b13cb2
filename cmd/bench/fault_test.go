package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"lockbench/impl"
	"lockbench/report"
	"lockbench/results"
)

// TestRunFailureExitsOne: a run that fails is recorded, the sweep goes on,
// and bench run exits 1 naming the failed run.
func TestRunFailureExitsOne(t *testing.T) {
	name := "test-broken-" + strings.ToLower(t.Name())
	impl.MustRegister(impl.Strategy{Name: name, Description: "test", New: func(impl.Deps) (*impl.System, error) {
		return nil, errors.New("built broken on purpose")
	}})
	t.Cleanup(func() { impl.Unregister(name) })
	dir := t.TempDir()
	wl := filepath.Join(dir, "quick.yaml")
	if err := os.WriteFile(wl, []byte(quickYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	var stdout, stderr bytes.Buffer
	err := run([]string{"run", "--workload", wl, "--strategies", name + ",naive", "--out", out, "--quiet"}, &stdout, &stderr)
	if code := exitCode(err); code != 1 {
		t.Fatalf("exit %d (err %v), want 1", code, err)
	}
	if !strings.Contains(stderr.String(), "quick-test/"+name+"/c=1/r=1 failed: ") || !strings.Contains(stderr.String(), "built broken on purpose") {
		t.Errorf("stderr does not name the failed run and why:\n%s", stderr.String())
	}
	f, rerr := results.ReadFile(filepath.Join(out, "results.json"))
	if rerr != nil {
		t.Fatal(rerr)
	}
	if len(f.Runs) != 2 || f.Runs[0].Status != results.StatusFailed || f.Runs[1].Status != results.StatusOK {
		t.Errorf("results.json: %d runs, want the failed one and the naive one after it", len(f.Runs))
	}
	// The workload's description travels with the figures, for the report.
	if got := f.Meta.Workloads["quick-test"]; got != "a valid workload for the bad-input table" {
		t.Errorf("results.json: meta.workloads[quick-test] = %q", got)
	}
	// The lock is released with its file: --out holds results.json alone.
	if names := entries(t, out); len(names) != 1 || names[0] != "results.json" {
		t.Errorf("--out holds %v, want results.json alone", names)
	}
}

// TestDefaultOutDir: without --out, the sweep is saved in a fresh
// directory in the working directory, named on stderr.
func TestDefaultOutDir(t *testing.T) {
	wd := t.TempDir()
	t.Chdir(wd)
	if err := os.WriteFile("quick.yaml", []byte(quickYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	for range 2 {
		if err := run([]string{"run", "--workload", "./quick.yaml", "--strategies", "naive", "--format", "json"}, &stdout, &stderr); err != nil {
			t.Fatal(err)
		}
	}
	dirs, _ := filepath.Glob("lockbench-run-*")
	if len(dirs) != 2 {
		t.Fatalf("directories %v, want two fresh lockbench-run-* directories", dirs)
	}
	for _, d := range dirs {
		if _, err := results.ReadFile(filepath.Join(d, "results.json")); err != nil {
			t.Error(err)
		}
		if !strings.Contains(stderr.String(), filepath.Join(d, "results.json")) {
			t.Errorf("stderr does not say where the results are (%s):\n%s", d, stderr.String())
		}
	}
}

// TestRunFlagHelp: the help of -suite names its argument, not the
// command that lists suites.
func TestRunFlagHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run([]string{"run", "-h"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	help := stderr.String()
	if strings.Contains(help, "-suite bench list") || !strings.Contains(help, "-suite SUITE") {
		t.Errorf("run -h:\n%s", help)
	}
}

// TestReportInterruptKeepsPrevious: SIGINT during bench report exits 130
// and leaves the previous report as it was: no file of the new one, no
// temporary file, no staging directory.
func TestReportInterruptKeepsPrevious(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.json")
	first := &results.File{Schema: results.Schema, Meta: results.Meta{Command: "first"}}
	if err := results.WriteFile(in, first); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	small := []string{"--formats", "svg", "--dpi", "20", "--width", "2", "--height", "1.5"}
	var stdout, stderr bytes.Buffer
	if err := run(append([]string{"report", "--in", in, "--out", out}, small...), &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, out)

	second := &results.File{Schema: results.Schema, Meta: results.Meta{Command: "second"}, Runs: []results.Run{{Strategy: "naive", Workload: "w", Concurrency: 1, Status: results.StatusOK, Ops: 1}}}
	if err := results.WriteFile(in, second); err != nil {
		t.Fatal(err)
	}
	reportSignalsCaught = func(ctx context.Context) {
		syscall.Kill(os.Getpid(), syscall.SIGINT)
		<-ctx.Done()
	}
	defer func() { reportSignalsCaught = func(context.Context) {} }()
	err := run(append([]string{"report", "--in", in, "--out", out}, small...), &stdout, &stderr)
	if code := exitCode(err); code != 130 {
		t.Fatalf("exit %d (err %v), want 130", code, err)
	}
	after := snapshot(t, out)
	if len(after) != len(before) {
		t.Errorf("files before the interrupt %d, after %d", len(before), len(after))
	}
	for name, data := range after {
		if !bytes.Equal(before[name], data) {
			t.Errorf("%s changed by the interrupted report", name)
		}
	}
}

// snapshot reads every entry of dir, failing on a temporary or staging
// entry.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || e.IsDir() {
			t.Errorf("%s holds %s", dir, e.Name())
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = data
	}
	if len(files) == 0 || files[report.MarkdownFile] == nil {
		t.Fatalf("%s holds no report", dir)
	}
	return files
}

func TestOneLine(t *testing.T) {
	if got := oneLine("a\nb\rc"); got != `a\nb\rc` {
		t.Errorf("oneLine: %q", got)
	}
	if got := oneLine(strings.Repeat("x", 1e5)); len(got) > 2010 {
		t.Errorf("oneLine kept %d bytes", len(got))
	}
}
