package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lockbench/internal/safefile"
)

func TestJudge(t *testing.T) {
	ms := time.Millisecond
	ref := &result{calls: 100, p50: ms + 50*time.Microsecond, cpuPerCall: 10 * time.Microsecond}
	oneMs := aCase{delay: ms, callers: 1, goal: raised}
	tenMs := aCase{delay: 10 * ms, callers: 1000, goal: raised}
	short := aCase{delay: 200 * time.Microsecond, callers: 1, goal: first}
	for _, tc := range []struct {
		name string
		c    aCase
		mech string
		r    result
		ref  *result
		want string
	}{
		{"on time and cheap", oneMs, "timing.Delay", result{calls: 10, p50: ms + 19*time.Microsecond, cpuPerCall: 20 * time.Microsecond}, ref, "PASS"},
		{"early within 20µs", oneMs, "sim", result{calls: 10, p50: ms - 20*time.Microsecond, cpuPerCall: time.Microsecond}, ref, "PASS"},
		{"21µs late at 1ms", oneMs, "timing.Delay", result{calls: 10, p50: ms + 21*time.Microsecond, cpuPerCall: time.Microsecond}, ref, "FAIL"},
		{"21µs early at 1ms", oneMs, "sim", result{calls: 10, p50: ms - 21*time.Microsecond, cpuPerCall: time.Microsecond}, ref, "FAIL"},
		{"1% late at 10ms", tenMs, "sim", result{calls: 10, p50: 10*ms + 100*time.Microsecond, cpuPerCall: time.Microsecond}, ref, "PASS"},
		{"1.1% late at 10ms", tenMs, "sim", result{calls: 10, p50: 10*ms + 110*time.Microsecond, cpuPerCall: time.Microsecond}, ref, "FAIL"},
		{"too costly", oneMs, "timing.Delay", result{calls: 10, p50: ms, cpuPerCall: 20*time.Microsecond + 1}, ref, "FAIL"},
		{"no reference: accuracy only", oneMs, "timing.Delay", result{calls: 10, p50: ms, cpuPerCall: time.Hour}, nil, "PASS"},
		{"first goal below 1ms", short, "sim", result{calls: 10, p50: 290 * time.Microsecond}, nil, "PASS"},
		{"first goal missed", short, "sim", result{calls: 10, p50: 301 * time.Microsecond}, nil, "FAIL"},
		{"beyond the machine", aCase{delay: 200 * time.Microsecond, callers: 1000, goal: beyond}, "sim", result{calls: 10, p50: 10 * ms}, nil, "beyond"},
		{"stalled", oneMs, "sim", result{}, ref, "no calls"},
		{"reference rows are not judged", oneMs, "time.Sleep", result{calls: 10, p50: 2 * ms}, ref, "ref"},
		{"timing.Sleep promises a minimum", oneMs, "timing.Sleep", result{calls: 10, p50: 2 * ms}, ref, "ref"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := judge(tc.c, tc.mech, tc.r, tc.ref); got != tc.want {
				t.Fatalf("judge = %s, want %s", got, tc.want)
			}
		})
	}
}

// synthetic gives every mechanism fixed figures: time.Sleep 50 µs late,
// timing.Delay 5 µs late, sim lateBy late; all as cheap as time.Sleep.
func synthetic(lateBy time.Duration) measurer {
	return func(name string, c aCase, _ time.Duration) (result, error) {
		late := map[string]time.Duration{"time.Sleep": 50 * time.Microsecond, "timing.Sleep": 30 * time.Microsecond,
			"timing.Delay": 5 * time.Microsecond, "sim": lateBy}[name]
		return result{calls: 100, p50: c.delay + late, p99: 2 * c.delay, mean: c.delay + late, cpuPerCall: 10 * time.Microsecond}, nil
	}
}

// verdicts runs the table on synthetic figures and returns the verdict of
// each row, as "case mechanism verdict".
func verdicts(t *testing.T, m measurer, args ...string) ([]string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := runWith(args, &out, &errOut, m)
	var rows []string
	for _, l := range strings.Split(out.String(), "\n") {
		f := strings.Fields(l)
		if len(f) >= 4 && strings.Contains(strings.Join(mechanismNames, " "), f[2]) {
			rows = append(rows, f[0]+"/"+f[1]+" "+f[2]+" "+f[len(f)-1])
		}
	}
	return rows, err
}

// TestRunVerdicts: the table shows the verdicts of the figures measured,
// and -strict fails exactly when a judged row misses its goal.
func TestRunVerdicts(t *testing.T) {
	rows, err := verdicts(t, synthetic(30*time.Microsecond), "-cases", "1ms/1,5ms/1,200µs/1000", "-strict")
	if !errors.Is(err, errFailed) {
		t.Fatalf("-strict with sim 30µs late at 1ms: error %v, want errFailed", err)
	}
	want := []string{
		"1ms/1 time.Sleep ref", "1ms/1 timing.Sleep ref", "1ms/1 timing.Delay PASS", "1ms/1 sim FAIL",
		"5ms/1 time.Sleep ref", "5ms/1 timing.Sleep ref", "5ms/1 timing.Delay PASS", "5ms/1 sim PASS",
		"200µs/1000 time.Sleep ref", "200µs/1000 timing.Sleep ref", "200µs/1000 timing.Delay beyond", "200µs/1000 sim beyond",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Fatalf("rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	if _, err := verdicts(t, synthetic(-10*time.Microsecond), "-strict"); err != nil {
		t.Fatalf("-strict with every judged row within its goal: %v", err)
	}
	if _, err := verdicts(t, synthetic(time.Millisecond)); err != nil {
		t.Fatalf("without -strict a FAIL is reported, not an error: %v", err)
	}
}

// TestRunMeasures runs the real measurement, briefly and with few callers:
// every case and mechanism gets a row. Its verdicts depend on the machine
// and are not asserted; TestRunVerdicts checks how they are reached.
func TestRunMeasures(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run([]string{"-duration", "20ms", "-callers", "4"}, &out, &errOut); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	rows := 0
	for _, l := range lines {
		if f := strings.Fields(l); len(f) >= 10 && strings.Contains(strings.Join(mechanismNames, " "), f[2]) {
			rows++
		}
	}
	if want := len(cases(4)) * len(mechanismNames); rows != want {
		t.Fatalf("%d rows, want %d:\n%s", rows, want, out.String())
	}
	if !strings.Contains(lines[0], "requested") || !strings.Contains(out.String(), "goals") {
		t.Fatalf("no header or goals line:\n%s", out.String())
	}
}

func TestRunSelectedCases(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := runWith([]string{"-cases", "1ms/1", "-mechanisms", "sim"}, &out, &errOut, synthetic(0)); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n != 4 { // header, one row, blank, goals
		t.Fatalf("%d lines:\n%s", n, out.String())
	}
}

func TestRunBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-mechanisms", "nanosleep"},
		{"-duration", "0s"},
		{"-callers", "0"},
		{"extra"},
		{"-nope"},
		{"-cases", "3ms/1"},
	} {
		var out, errOut bytes.Buffer
		if err := runWith(args, &out, &errOut, synthetic(0)); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}

// TestCPUProfileNeverThroughSymlink: -cpuprofile at a planted symlink is
// refused and the symlink's target is left alone; at a plain path the
// profile is written.
func TestCPUProfileNeverThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "cpu.pprof")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	args := []string{"-cases", "1ms/1", "-mechanisms", "sim", "-cpuprofile"}
	var out, errOut bytes.Buffer
	if err := runWith(append(args, link), &out, &errOut, synthetic(0)); !errors.Is(err, safefile.ErrUnsafeDestination) {
		t.Errorf("profile at a symlink: %v, want ErrUnsafeDestination", err)
	}
	if data, _ := os.ReadFile(victim); string(data) != "keep" {
		t.Errorf("the symlink's target was written: %q", data)
	}
	plain := filepath.Join(dir, "plain.pprof")
	if err := runWith(append(args, plain), &out, &errOut, synthetic(0)); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(plain); err != nil || st.Size() == 0 {
		t.Errorf("profile missing or empty (%v)", err)
	}
}
