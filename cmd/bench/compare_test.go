package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lockbench/analysis/verdict"
	"lockbench/results"
)

// The -update flag rewrites golden files. It is registered in init, after
// every package-level variable, so a test file of another command that
// declares `var update = flag.Bool("update", …)` wins instead of panicking.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files in testdata")
	}
}

func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// compareRun is a closed-loop run at tput ops/s for one second whose latency
// obeys Little's law and whose CPU and lock wait per operation are constant,
// so a throughput change shows in throughput and latency only.
func compareRun(workload string, concurrency int, strategy string, repetition int, tput float64) results.Run {
	meanNs := float64(concurrency) / tput * 1e9
	ops := int64(tput)
	return results.Run{
		Strategy: strategy, Workload: workload, Concurrency: concurrency, Repetition: repetition,
		Arrival: "closed", Status: results.StatusOK, DurationS: 1, Ops: ops, ThroughputOpsS: tput,
		Latency: map[string]results.Latency{"all": {
			Count: ops, MeanNs: meanNs, P50Ns: int64(meanNs), P99Ns: int64(3 * meanNs),
		}},
		Locks:           map[string]results.Lock{"manager.contexts": {WaitTotalNs: ops * 2000}},
		Process:         results.Process{CPUUserS: float64(ops) * 4e-6, CPUSysS: float64(ops) * 1e-6},
		LittlesLawRatio: 1,
		Consistency:     results.Consistency{Checked: true, Anomalies: map[string]int64{"zombie": 0}},
	}
}

// compareCell is one cell whose repetitions spread ±2% around tput.
func compareCell(workload string, concurrency int, strategy string, reps int, tput float64) []results.Run {
	runs := make([]results.Run, reps)
	for i := range runs {
		runs[i] = compareRun(workload, concurrency, strategy, i, tput*(1+0.01*float64(i-reps/2)))
	}
	return runs
}

func compareFixture(cells ...[]results.Run) *results.File {
	f := &results.File{Schema: results.Schema, Meta: results.Meta{
		GoVersion: "go1.26.0", GOOS: "linux", GOARCH: "amd64", GOMAXPROCS: 2, NumCPU: 2, Suite: "quick",
	}}
	for _, c := range cells {
		f.Runs = append(f.Runs, c...)
	}
	return f
}

// writeCompareFixtures writes old.json, new.json (a planted 30% throughput
// regression on hot-key/conc=4/strategy=naive, a 10% improvement, an
// unchanged cell, a noisy one, a cell with too few repetitions and one cell
// only in each file), and a file of the wrong schema, into the current
// directory.
func writeCompareFixtures(t *testing.T) {
	t.Helper()
	old := compareFixture(
		compareCell("hot-key", 4, "naive", 5, 1000),
		compareCell("hot-key", 4, "sharded", 5, 4000),
		compareCell("hot-key", 16, "naive", 5, 1000),
		compareCell("hot-key", 16, "sharded", 5, 12000),
		compareCell("mixed", 1, "naive", 3, 800),
		compareCell("mixed", 8, "naive", 3, 900),
	)
	noisy := compareCell("hot-key", 16, "sharded", 5, 12000)
	for i := range noisy {
		// Same values in another order, shifted by under the spread.
		noisy[i] = compareRun("hot-key", 16, "sharded", i, 12000*(1+0.013*float64(2-i)))
	}
	new := compareFixture(
		compareCell("hot-key", 4, "naive", 5, 700),
		compareCell("hot-key", 4, "sharded", 5, 4000),
		compareCell("hot-key", 16, "naive", 5, 1100),
		noisy,
		compareCell("mixed", 1, "naive", 3, 400),
		compareCell("mixed", 2, "sharded", 3, 900),
	)
	for name, f := range map[string]*results.File{"old.json": old, "new.json": new} {
		if err := results.WriteFile(name, f); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile("wrong-schema.json", []byte(`{"schema": "benchstat/v0", "runs": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("malformed.json", []byte(`{"schema": `), 0o644); err != nil {
		t.Fatal(err)
	}
	other := compareFixture(compareCell("other", 1, "naive", 5, 10))
	if err := results.WriteFile("disjoint.json", other); err != nil {
		t.Fatal(err)
	}
}

// compareDir chdirs into a fresh directory holding the fixtures, so the
// output names files by stable relative paths.
func compareDir(t *testing.T) (goldenDir string) {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	writeCompareFixtures(t)
	return filepath.Join(wd, "testdata")
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if updateGolden() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (go test -update rewrites it)\n--- got:\n%s\n--- want:\n%s", path, got, want)
	}
}

func TestCompareGolden(t *testing.T) {
	goldenDir := compareDir(t)
	tests := []struct {
		golden string
		args   []string
	}{
		{"compare.golden", []string{"compare", "old.json", "new.json"}},
		{"compare_p99_threshold.golden", []string{"compare", "--metric", "throughput,p99", "--threshold", "0.5", "old.json", "new.json"}},
		{"compare_json.golden", []string{"compare", "old.json", "new.json", "--format", "json", "--metric", "throughput"}},
	}
	for _, tc := range tests {
		t.Run(tc.golden, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if err := run(tc.args, &stdout, &stderr); err != nil {
				t.Fatalf("run: %v\nstderr: %s", err, stderr.String())
			}
			if stderr.Len() > 0 {
				t.Errorf("unexpected stderr: %s", stderr.String())
			}
			checkGolden(t, filepath.Join(goldenDir, tc.golden), stdout.Bytes())
		})
	}
}

func TestCompareExitCodes(t *testing.T) {
	compareDir(t)
	tests := []struct {
		name    string
		args    []string
		want    error // nil, errRegression or errBadInput
		wantMsg string
	}{
		{"regression without the gate", []string{"old.json", "new.json"}, nil, ""},
		{"gate", []string{"--fail-on-regression", "old.json", "new.json"}, errRegression, "3 significant regression(s) beyond 5%, 3 inconclusive"},
		{"gate allowing inconclusive", []string{"--fail-on-regression", "--allow-inconclusive", "old.json", "new.json"}, errRegression, "3 significant regression(s) beyond 5%"},
		{"flags after the files", []string{"old.json", "new.json", "--fail-on-regression"}, errRegression, ""},
		{"flags between the files", []string{"old.json", "--fail-on-regression", "new.json"}, errRegression, ""},
		{"double dash", []string{"--fail-on-regression", "--", "old.json", "new.json"}, errRegression, ""},
		// mixed/conc=1 halves its throughput (p50 doubles) on 3
		// repetitions: beyond 50% it is inconclusive, beyond 150% not.
		{"threshold above the regression", []string{"--fail-on-regression", "--threshold=50%", "old.json", "new.json"}, errRegression, "2 inconclusive"},
		{"threshold above every change", []string{"--fail-on-regression", "--threshold=150%", "old.json", "new.json"}, nil, ""},
		{"throughput only", []string{"--fail-on-regression", "--metric", "throughput", "old.json", "new.json"}, errRegression, "1 significant regression(s)"},
		{"cpu unchanged", []string{"--fail-on-regression", "--metric", "cpu,lockwait", "old.json", "new.json"}, nil, ""},
		// Swapped, the 30% drop is a gain and the 10% gain a 9% drop.
		{"improvement is no regression", []string{"--fail-on-regression", "new.json", "old.json", "--metric", "throughput", "--threshold", "10%"}, nil, ""},
		{"reversed gain beyond the threshold", []string{"--fail-on-regression", "new.json", "old.json", "--metric", "throughput"}, errRegression, "1 significant regression(s) beyond 5%"},
		{"same file", []string{"--fail-on-regression", "old.json", "old.json"}, nil, ""},
		{"help", []string{"-h"}, nil, ""},
		{"missing file", []string{"old.json", "nope.json"}, errBadInput, "nope.json"},
		{"wrong schema", []string{"wrong-schema.json", "new.json"}, errBadInput, "wrong-schema.json"},
		{"malformed", []string{"old.json", "malformed.json"}, errBadInput, "malformed.json"},
		{"no shared cell", []string{"old.json", "disjoint.json"}, errBadInput, "no (workload, concurrency, strategy) cell"},
		{"one file", []string{"old.json"}, errBadInput, "got 1 argument"},
		{"three files", []string{"old.json", "new.json", "new.json"}, errBadInput, "got 3 argument"},
		{"threshold not a number", []string{"--threshold", "five", "old.json", "new.json"}, errBadInput, `--threshold "five"`},
		{"threshold ambiguous", []string{"--threshold", "5", "old.json", "new.json"}, errBadInput, "ambiguous"},
		{"threshold negative", []string{"--threshold", "-5%", "old.json", "new.json"}, errBadInput, "≥ 0"},
		{"unknown metric", []string{"--metric", "throughput,speed", "old.json", "new.json"}, errBadInput, `"speed"`},
		{"unknown format", []string{"--format", "csv", "old.json", "new.json"}, errBadInput, `"csv"`},
		{"unknown flag", []string{"--fast", "old.json", "new.json"}, errBadInput, "-fast"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(append([]string{"compare"}, tc.args...), &stdout, &stderr)
			switch {
			case tc.want == nil && err != nil:
				t.Fatalf("run: %v, want success", err)
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Fatalf("run: %v, want %v", err, tc.want)
			case err != nil && !strings.Contains(err.Error(), tc.wantMsg):
				t.Errorf("error %q does not mention %q", err, tc.wantMsg)
			}
			wantCode := map[error]int{nil: 0, errRegression: 1, errBadInput: 2}[tc.want]
			if got := exitCode(err); got != wantCode {
				t.Errorf("exit code %d, want %d", got, wantCode)
			}
			if errors.Is(err, errBadInput) && stdout.Len() > 0 {
				t.Errorf("bad input but wrote to stdout:\n%s", stdout.String())
			}
		})
	}
}

func TestCompareHelpNamesEveryFlag(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run([]string{"compare", "-h"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	fs, _ := newCompareFlagSet(&bytes.Buffer{})
	fs.VisitAll(func(f *flag.Flag) {
		if f.Usage == "" || !strings.Contains(stderr.String(), "-"+f.Name) {
			t.Errorf("help does not describe --%s", f.Name)
		}
	})
}

func TestCompareJSONIsValid(t *testing.T) {
	compareDir(t)
	var stdout, stderr bytes.Buffer
	if err := run([]string{"compare", "--format", "json", "old.json", "new.json"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	var out verdict.JSON
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if out.Regressions != 3 || len(out.Metrics) != 6 {
		t.Errorf("%d regressions over %d metrics, want 3 over 6", out.Regressions, len(out.Metrics))
	}
	// Five repetitions give no finite 95% interval of the median: null,
	// not a JSON error.
	c := out.Metrics[0].Cells[0]
	if c.Old.Center == nil || (c.Old.Lo != nil && c.Old.Hi != nil) {
		t.Errorf("cell %+v: want a center and an unbounded interval", c)
	}
}

func TestParseThreshold(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"5%", 0.05, true},
		{"0.05", 0.05, true},
		{" 12.5 % ", 0.125, true},
		{"0", 0, true},
		{"0%", 0, true},
		{"150%", 1.5, true},
		{"5", 0, false},
		{"-1%", 0, false},
		{"NaN", 0, false},
		{"%", 0, false},
		{"", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseThreshold(tc.in)
			if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
				t.Errorf("parseThreshold(%q) = %g, %v; want %g, ok=%v", tc.in, got, err, tc.want, tc.ok)
			}
		})
	}
}

func TestCompareParseInterspersed(t *testing.T) {
	tests := []struct {
		args      []string
		wantPos   string
		wantFlags string
	}{
		{[]string{"a", "b"}, "a b", "false 5%"},
		{[]string{"-fail-on-regression", "a", "b"}, "a b", "true 5%"},
		{[]string{"a", "--threshold", "1%", "b", "--fail-on-regression"}, "a b", "true 1%"},
		{[]string{"a", "--", "--threshold", "b"}, "a --threshold b", "false 5%"},
		{[]string{"--threshold", "2%", "--", "a"}, "a", "false 2%"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			fs, f := newCompareFlagSet(&bytes.Buffer{})
			pos, err := compareParseInterspersed(fs, tc.args)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(pos, " "); got != tc.wantPos {
				t.Errorf("positional %q, want %q", got, tc.wantPos)
			}
			gotFlags := map[bool]string{true: "true", false: "false"}[f.failOnRegression] + " " + f.threshold
			if gotFlags != tc.wantFlags {
				t.Errorf("flags %q, want %q", gotFlags, tc.wantFlags)
			}
		})
	}
}
