package workload

import (
	"errors"
	"strings"
	"testing"
)

func TestParseSuitesBad(t *testing.T) {
	known := []string{"same-context-update", "mixed"}
	tests := []struct{ name, data, field, msg string }{
		{"no suites", "suites: []\n", "suites", "required"},
		{"unknown workload", "suites:\n  - name: a\n    runs: [{workload: mixd}]\n", "suites[0].runs[0].workload", `did you mean "mixed"`},
		{"misspelt field", "suites:\n  - name: a\n    runs: [{workload: mixed, concurency: [1]}]\n", "suites[0].runs[0].concurency", `did you mean "concurrency"`},
		{"misspelt default", "suites:\n  - name: a\n    defaults: {duraton: 1s}\n    runs: [{workload: mixed}]\n", "suites[0].defaults.duraton", `did you mean "duration"`},
		{"bad name", "suites:\n  - name: A\n    runs: [{workload: mixed}]\n", "suites[0].name", "lower-case"},
		{"twice", "suites:\n  - name: a\n    runs: [{workload: mixed}]\n  - name: a\n    runs: [{workload: mixed}]\n", "suites[1].name", "twice"},
		{"no runs", "suites:\n  - name: a\n", "suites[0].runs", "at least one"},
		{"bad duration", "suites:\n  - name: a\n    runs: [{workload: mixed, duration: soon}]\n", "suites[0].runs[0].duration", "a duration"},
		{"count not an integer", "suites:\n  - name: a\n    runs: [{workload: mixed, count: 2.5}]\n", "suites[0].runs[0].count", "integer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseSuites([]byte(tt.data), "suites.yaml", known)
			var werr *Error
			if !errors.As(err, &werr) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v", err)
			}
			if werr.Field != tt.field || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %v (field %q)", err, werr.Field)
			}
		})
	}
}

func TestSuiteDefaultsMerge(t *testing.T) {
	data := `
suites:
  - name: s
    defaults: {concurrency: [2], duration: 1s, count: 4}
    runs:
      - workload: mixed
      - workload: mixed
        ops: 100
        concurrency: [8]
`
	suites, err := parseSuites([]byte(data), "suites.yaml", []string{"mixed"})
	if err != nil {
		t.Fatal(err)
	}
	specs, err := suites[0].Specs()
	if err != nil {
		t.Fatal(err)
	}
	first, second := specs[0], specs[1]
	if first.Concurrency[0] != 2 || first.Duration.Seconds() != 1 || first.Ops != 0 || first.Count != 4 {
		t.Errorf("first: %+v", first)
	}
	// The run's own limit replaces the suite's: ops, no duration.
	if second.Concurrency[0] != 8 || second.Duration != 0 || second.Ops != 100 || second.Count != 4 {
		t.Errorf("second: %+v", second)
	}
}
