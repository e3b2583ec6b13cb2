package main

import (
	"bytes"
	"strings"
	"testing"

	"lockbench/results"
	"lockbench/workload"
)

func TestCountWarnings(t *testing.T) {
	tests := []struct {
		count int
		want  string // "" for no warning
	}{
		{1, "no comparison of these runs can be significant"},
		{3, "needs at least 4 repetitions per side"},
		{5, "confidence interval"},
		{6, ""},
	}
	for _, tc := range tests {
		ws := countWarnings([]*workload.Spec{{Name: "w", Count: tc.count}})
		switch {
		case tc.want == "" && len(ws) > 0:
			t.Errorf("count %d: unexpected warning %q", tc.count, ws)
		case tc.want != "" && (len(ws) != 1 || !strings.Contains(ws[0], tc.want)):
			t.Errorf("count %d: warnings %q, want one mentioning %q", tc.count, ws, tc.want)
		}
	}
}

func TestRunRowOpenLoop(t *testing.T) {
	r := compareRun("w", 64, "naive", 1, 907)
	r.Arrival, r.TargetRate = "open", 2000
	r.ServiceLatency = map[string]results.Latency{"all": {Count: 907, P50Ns: 1_100_000}}
	r.FailedOps, r.ErrorRate = 18, 0.02
	r.Locks = map[string]results.Lock{
		"manager.contexts": {WaitTotalNs: 907 * 2000, HeldIONs: 907 * 1_000_000},
		"manager.keys":     {HeldIONs: 907 * 500_000},
	}
	var buf bytes.Buffer
	writeRunRow(&buf, r)
	row := buf.String()
	for _, want := range []string{" 907 ", " 2000 ", "1.10ms", "1.00ms|500.0µs", "2.0µs", " 2.0% "} {
		if !strings.Contains(row, want) {
			t.Errorf("row %q lacks %q", row, want)
		}
	}
	// Closed loop: nothing offered, no service time.
	buf.Reset()
	writeRunRow(&buf, compareRun("w", 4, "naive", 1, 1000))
	if fields := strings.Fields(buf.String()); fields[5] != "-" || fields[8] != "-" {
		t.Errorf("closed-loop row %q: want '-' for offered and service time", buf.String())
	}
}

func TestRunPrintsOutlierWarning(t *testing.T) {
	f := compareFixture(compareCell("w", 4, "naive", 6, 1000))
	f.Runs[2].ThroughputOpsS = 880
	f.Runs[5].ThroughputOpsS = 1300
	var buf bytes.Buffer
	writeCellWarnings(&buf, f)
	if !strings.Contains(buf.String(), "2 of 6 repetitions outliers (1 mild, 1 severe)") {
		t.Errorf("outlier warning missing: %q", buf.String())
	}
}
