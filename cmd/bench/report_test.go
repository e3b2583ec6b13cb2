package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lockbench/results"
)

// reportFixture is a small complete sweep: one workload, two strategies,
// three concurrency levels, two repetitions.
func reportFixture() *results.File {
	var cells [][]results.Run
	for _, c := range []int{1, 4, 16} {
		cells = append(cells,
			compareCell("same-context-update", c, "naive", 2, 1000),
			compareCell("same-context-update", c, "sharded", 2, 900*float64(c)))
	}
	return compareFixture(cells...)
}

func writeResults(t *testing.T, dir string, f *results.File) string {
	t.Helper()
	path := filepath.Join(dir, "results.json")
	if err := results.WriteFile(path, f); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReportBadInput(t *testing.T) {
	dir := t.TempDir()
	good := writeResults(t, dir, reportFixture())
	wrongSchema := filepath.Join(dir, "other.json")
	if err := os.WriteFile(wrongSchema, []byte(`{"schema":"something/else","runs":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	malformed := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(malformed, []byte(`{"schema":`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no --in", []string{}, "--in is required"},
		{"missing file", []string{"--in", filepath.Join(dir, "nope.json")}, "nope.json"},
		{"wrong schema", []string{"--in", wrongSchema}, "schema"},
		{"malformed", []string{"--in", malformed}, "broken.json"},
		{"unknown format", []string{"--in", good, "--formats", "gif"}, "--formats"},
		{"bad dpi", []string{"--in", good, "--dpi", "0"}, "--dpi"},
		{"bad width", []string{"--in", good, "--width", "-1"}, "--width"},
		{"unknown baseline", []string{"--in", good, "--baseline", "nosuch"}, "nosuch"},
		{"positional argument", []string{"--in", good, "extra"}, "unexpected argument"},
		{"unknown flag", []string{"--nosuchflag"}, "nosuchflag"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			var stdout, stderr bytes.Buffer
			err := run(append([]string{"report", "--out", out}, tc.args...), &stdout, &stderr)
			if !errors.Is(err, errBadInput) || exitCode(err) != 2 {
				t.Fatalf("err = %v (exit %d), want bad input (exit 2)", err, exitCode(err))
			}
			if !strings.Contains(err.Error()+stderr.String(), tc.want) {
				t.Errorf("message %q does not name %q", err, tc.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("bad input, yet %s was created", out)
			}
		})
	}
}

func TestReportWritesEveryFile(t *testing.T) {
	in := writeResults(t, t.TempDir(), reportFixture())
	out := filepath.Join(t.TempDir(), "report")
	var stdout, stderr bytes.Buffer
	if err := run([]string{"report", "--in", in, "--out", out, "--formats", "png"}, &stdout, &stderr); err != nil {
		t.Fatalf("report: %v\n%s", err, stderr.String())
	}
	for _, name := range []string{"results.json", "report.md", "report.html", "bench.txt", "same-context-update-throughput.png"} {
		if st, err := os.Stat(filepath.Join(out, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty (%v)", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "same-context-update-throughput.svg")); !os.IsNotExist(err) {
		t.Error("an SVG was written with --formats png")
	}
	if !strings.Contains(stdout.String(), out) {
		t.Errorf("stdout %q does not say where the report went", stdout.String())
	}
}

func TestReportInPlace(t *testing.T) {
	dir := t.TempDir()
	in := writeResults(t, dir, reportFixture())
	before, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	// --in as a directory, no --out: the report goes beside the results.
	if err := run([]string{"report", "--in", dir, "--formats", "svg"}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("results.json was rewritten in place")
	}
	if _, err := os.Stat(filepath.Join(dir, "report.md")); err != nil {
		t.Error(err)
	}
}

func TestReportHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run([]string{"report", "-h"}, &stdout, &stderr); err != nil {
		t.Fatalf("-h: %v", err)
	}
	for _, flag := range []string{"-in", "-out", "-formats", "-width", "-height", "-dpi", "-baseline"} {
		if !strings.Contains(stderr.String(), flag) {
			t.Errorf("help lacks %s", flag)
		}
	}
}
