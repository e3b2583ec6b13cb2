package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"lockbench/analysis/verdict"
	"lockbench/results"
)

// compareTwo writes old and new into the current directory and runs
// bench compare on them with args.
func compareTwo(t *testing.T, old, new *results.File, args ...string) (stdout string, err error) {
	t.Helper()
	t.Chdir(t.TempDir())
	for name, f := range map[string]*results.File{"a.json": old, "b.json": new} {
		if err := results.WriteFile(name, f); err != nil {
			t.Fatal(err)
		}
	}
	var out, stderr bytes.Buffer
	err = run(append([]string{"compare", "a.json", "b.json"}, args...), &out, &stderr)
	return out.String(), err
}

func withAnomaly(runs []results.Run, kind string, n int64) []results.Run {
	for i := range runs {
		runs[i].Consistency = results.Consistency{Checked: true, Anomalies: map[string]int64{kind: n}}
	}
	return runs
}

// A planted anomaly fails the gate although the speed is the same: a
// correctness regression, listed first, whatever the threshold.
func TestCompareCorrectnessRegressionFailsGate(t *testing.T) {
	old := compareFixture(compareCell("w", 4, "s", 6, 1000))
	new := compareFixture(withAnomaly(compareCell("w", 4, "s", 6, 1000), "zombie", 2))
	out, err := compareTwo(t, old, new, "--fail-on-regression", "--threshold", "90%")
	if !errors.Is(err, errRegression) || !strings.Contains(err.Error(), "1 correctness regression") {
		t.Fatalf("err = %v, want a correctness regression", err)
	}
	for _, want := range []string{"CORRECTNESS REGRESSION: new zombie", "1 correctness regression(s):", "zombie=12 (6 of 6 checked)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Listed before every speed table.
	if strings.Index(out, "CORRECTNESS REGRESSION") > strings.Index(out, "throughput (") {
		t.Errorf("correctness not first:\n%s", out)
	}
	// The same anomaly on both sides is not a regression.
	if _, err := compareTwo(t, new, new, "--fail-on-regression"); err != nil {
		t.Errorf("anomalies on both sides: %v, want pass", err)
	}
}

func TestCompareIllegalVerdictFailsGate(t *testing.T) {
	old := compareFixture(compareCell("w", 4, "s", 6, 1000))
	new := compareFixture(compareCell("w", 4, "s", 6, 1000))
	new.Runs[3].Consistency.Linearizable = results.LinIllegal
	out, err := compareTwo(t, old, new, "--fail-on-regression", "--format", "json")
	if !errors.Is(err, errRegression) {
		t.Fatalf("err = %v, want a correctness regression", err)
	}
	var j verdict.JSON
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	if j.CorrectnessRegressions != 1 || !j.Correctness[0].TurnedIllegal || j.Gate.Pass {
		t.Errorf("json: %d correctness regressions, correctness %+v, gate %+v", j.CorrectnessRegressions, j.Correctness, j.Gate)
	}
}

func TestCompareUncheckedSaysSo(t *testing.T) {
	old := compareFixture(compareCell("w", 4, "s", 6, 1000))
	new := compareFixture(compareCell("w", 4, "s", 6, 1000))
	for i := range new.Runs {
		new.Runs[i].Consistency = results.Consistency{}
	}
	out, err := compareTwo(t, old, new)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "new not checked") {
		t.Errorf("an unchecked cell does not say so:\n%s", out)
	}
}

// A planted 2× slowdown on 2 repetitions a side is inconclusive — the U
// test cannot reach p < 0.05 — and fails the gate unless allowed.
func TestCompareInconclusiveFailsGate(t *testing.T) {
	old := compareFixture(compareCell("w", 4, "s", 2, 1000))
	new := compareFixture(compareCell("w", 4, "s", 2, 500))
	out, err := compareTwo(t, old, new, "--fail-on-regression", "--metric", "throughput")
	if !errors.Is(err, errRegression) || !strings.Contains(err.Error(), "1 inconclusive") {
		t.Fatalf("err = %v, want an inconclusive failure", err)
	}
	if !strings.Contains(out, "INCONCLUSIVE -50.00% (needs ≥ 4 repetitions per side)") {
		t.Errorf("output lacks the inconclusive verdict:\n%s", out)
	}
	if _, err := compareTwo(t, old, new, "--fail-on-regression", "--metric", "throughput", "--allow-inconclusive"); err != nil {
		t.Errorf("--allow-inconclusive: %v, want pass", err)
	}
	// An improvement on 2 repetitions is not inconclusive: nothing to fear.
	if _, err := compareTwo(t, new, old, "--fail-on-regression", "--metric", "throughput"); err != nil {
		t.Errorf("2× faster on 2 repetitions: %v, want pass", err)
	}
}

func TestCompareMap(t *testing.T) {
	// One file holding naive and sharded; sharded is 3× faster and has an
	// anomaly naive does not.
	f := compareFixture(
		compareCell("w", 4, "naive", 6, 1000),
		withAnomaly(compareCell("w", 4, "sharded", 6, 3000), "lost_refresh", 1),
		compareCell("w", 16, "naive", 6, 1000),
		compareCell("w", 16, "sharded", 6, 3000),
	)
	t.Chdir(t.TempDir())
	if err := results.WriteFile("r.json", f); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	err := run([]string{"compare", "r.json", "--map", "naive=sharded", "--format", "json", "--metric", "throughput"}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("run: %v %s", err, stderr.String())
	}
	var j verdict.JSON
	if err := json.Unmarshal(stdout.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	cells := j.Metrics[0].Cells
	if len(cells) != 2 || cells[0].Strategy != "naive" || cells[0].NewStrategy != "sharded" || cells[0].Verdict != verdict.Improvement {
		t.Fatalf("mapped cells %+v, want naive→sharded improvements at 4 and 16", cells)
	}
	if r := *cells[0].Ratio; r < 2.9 || r > 3.1 {
		t.Errorf("ratio %g, want 3", r)
	}
	if j.CorrectnessRegressions != 1 || j.Correctness[0].NewKinds[0] != "lost_refresh" {
		t.Errorf("correctness %+v, want lost_refresh new in sharded at 4", j.Correctness)
	}

	// Across two files: old's naive against new's mine.
	old := compareFixture(compareCell("w", 4, "naive", 6, 1000))
	new := compareFixture(compareCell("w", 4, "mine", 6, 700))
	out, err := compareTwo(t, old, new, "--map", "naive=mine", "--fail-on-regression", "--metric", "throughput")
	if !errors.Is(err, errRegression) || !strings.Contains(out, "w/conc=4/strategy=naive→mine") {
		t.Errorf("naive=mine: err %v, output:\n%s", err, out)
	}
	// Without the map they share no cell.
	if _, err := compareTwo(t, old, new); !errors.Is(err, errBadInput) {
		t.Errorf("without --map: %v, want bad input", err)
	}
}

func TestCompareMapBadInput(t *testing.T) {
	compareDir(t)
	tests := []struct {
		args    []string
		wantMsg string
	}{
		{[]string{"old.json", "new.json", "--map", "naive"}, `"naive": want OLD=NEW`},
		{[]string{"old.json", "new.json", "--map", "naive=shardd"}, `no run of strategy "shardd" in the new file`},
		{[]string{"old.json", "new.json", "--map", "nave=naive"}, `no run of strategy "nave" in the old file`},
		{[]string{"old.json", "new.json", "--map", "naive=sharded,naive=naive"}, `"naive" mapped twice`},
		{[]string{"old.json"}, "got 1 argument"},
	}
	for _, tc := range tests {
		var stdout, stderr bytes.Buffer
		err := run(append([]string{"compare"}, tc.args...), &stdout, &stderr)
		if !errors.Is(err, errBadInput) || !strings.Contains(err.Error(), tc.wantMsg) {
			t.Errorf("%q: err %v, want bad input mentioning %q", tc.args, err, tc.wantMsg)
		}
		if stdout.Len() > 0 {
			t.Errorf("%q: wrote to stdout on bad input", tc.args)
		}
	}
}

func TestCompareMarkdownGolden(t *testing.T) {
	goldenDir := compareDir(t)
	var stdout, stderr bytes.Buffer
	if err := run([]string{"compare", "old.json", "new.json", "--format", "markdown", "--metric", "throughput"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stdout.String(), "**Verdict: FAIL**") {
		t.Errorf("markdown does not start with the verdict:\n%s", stdout.String())
	}
	checkGolden(t, filepath.Join(goldenDir, "compare_markdown.golden"), stdout.Bytes())
}
