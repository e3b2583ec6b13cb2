package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestRun runs the whole table, briefly and with few callers: every case
// and mechanism gets a row with a verdict.
func TestRun(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run([]string{"-duration", "20ms", "-callers", "4"}, &out, &errOut); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var rows int
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) >= 10 && (f[2] == "time.Sleep" || f[2] == "timing.Sleep" || f[2] == "sim") {
			rows++
			switch v := f[len(f)-1]; v {
			case "PASS", "FAIL", "beyond", "calls": // "no calls" on a stalled machine
			default:
				t.Errorf("verdict %q in %q", v, l)
			}
		}
	}
	if want := len(cases(4)) * len(mechanismNames); rows != want {
		t.Fatalf("%d rows, want %d:\n%s", rows, want, out.String())
	}
	if !strings.Contains(lines[0], "requested") || !strings.Contains(out.String(), "goals:") {
		t.Fatalf("no header or goals line:\n%s", out.String())
	}
}

func TestRunSelectedCases(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run([]string{"-duration", "10ms", "-cases", "1ms/1", "-mechanisms", "sim"}, &out, &errOut); err != nil {
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
		if err := run(args, &out, &errOut); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}
