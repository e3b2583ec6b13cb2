package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sample = `{"files":[{"file_name":"usl.go","mutations":[
 {"type":"CONDITIONALS_BOUNDARY","status":"KILLED","line":10,"column":5},
 {"type":"CONDITIONALS_BOUNDARY","status":"LIVED","line":11,"column":5},
 {"type":"ARITHMETIC_BASE","status":"LIVED","line":12,"column":7},
 {"type":"ARITHMETIC_BASE","status":"TIMED OUT","line":13,"column":7},
 {"type":"ARITHMETIC_BASE","status":"NOT COVERED","line":14,"column":7}]}]}`

func TestTableCountsEquivalentApart(t *testing.T) {
	dir := t.TempDir()
	res := filepath.Join(dir, "a.json")
	os.WriteFile(res, []byte(sample), 0o644)
	equiv := filepath.Join(dir, "eq.txt")
	os.WriteFile(equiv, []byte("# comment\nanalysis/usl.go:12:7 ARITHMETIC_BASE x*1 == x/1 here\n"), 0o644)
	var out bytes.Buffer
	if err := run([]string{"-equivalent", equiv, "./analysis=" + res}, &out); err != nil {
		t.Fatal(err)
	}
	// killed 1 + timed out 1 = 2, lived 1, equivalent 1: efficacy 2/3.
	want := "| analysis | 2 | 1 | 1 | 1 | 1 | 66.7% | 80.0% |"
	if !strings.Contains(out.String(), want) {
		t.Fatalf("table lacks %q:\n%s", want, out.String())
	}
	if !strings.Contains(out.String(), "analysis/usl.go:11:5 CONDITIONALS_BOUNDARY") {
		t.Errorf("survivor not listed:\n%s", out.String())
	}
	if strings.Contains(out.String(), "  analysis/usl.go:12:7") {
		t.Errorf("equivalent mutant listed as a survivor:\n%s", out.String())
	}
}

func TestGoalFails(t *testing.T) {
	dir := t.TempDir()
	res := filepath.Join(dir, "a.json")
	os.WriteFile(res, []byte(sample), 0o644)
	var out bytes.Buffer
	err := run([]string{"-equivalent", filepath.Join(dir, "none"), "-goal", "85", "./analysis=" + res}, &out)
	if err == nil || !strings.Contains(err.Error(), "analysis 50.0%") {
		t.Fatalf("err = %v, want efficacy below goal naming analysis 50.0%%", err)
	}
	if err := run([]string{"-equivalent", filepath.Join(dir, "none"), "-goal", "40", "./analysis=" + res}, &out); err != nil {
		t.Fatalf("goal 40: %v", err)
	}
}

// TestStaleOnlyInMeasuredPackages: an equivalent entry that no longer
// survives is listed as stale only when its package was measured; another
// package's entries are not judged by these results.
func TestStaleOnlyInMeasuredPackages(t *testing.T) {
	dir := t.TempDir()
	res := filepath.Join(dir, "a.json")
	os.WriteFile(res, []byte(sample), 0o644)
	equiv := filepath.Join(dir, "eq.txt")
	os.WriteFile(equiv, []byte("analysis/usl.go:10:5 CONDITIONALS_BOUNDARY killed meanwhile\nrunner/run.go:1:1 ARITHMETIC_BASE another package\n"), 0o644)
	var out bytes.Buffer
	if err := run([]string{"-equivalent", equiv, "./analysis=" + res}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "  analysis/usl.go:10:5 CONDITIONALS_BOUNDARY") {
		t.Errorf("the measured package's stale entry is not listed:\n%s", out.String())
	}
	if strings.Contains(out.String(), "runner/run.go") {
		t.Errorf("another package's entry listed as stale:\n%s", out.String())
	}
}
