package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"lockbench/store"
	"lockbench/target"
	"lockbench/workload"
)

// TestListGolden pins `bench list`'s text output; go test -update rewrites
// testdata/list.golden after a deliberate change (a new workload, a new
// description).
func TestListGolden(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run([]string{"list"}, &stdout, &stderr); err != nil {
		t.Fatalf("list: %v\n%s", err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("list wrote to stderr: %q", stderr.String())
	}
	checkGolden(t, filepath.Join("testdata", "list.golden"), stdout.Bytes())
}

// TestListJSON checks that `bench list --format json` parses and names
// every strategy, embedded workload, suite and store kind, each with a
// one-line description.
func TestListJSON(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run([]string{"list", "--format", "json"}, &stdout, &stderr); err != nil {
		t.Fatalf("list --format json: %v\n%s", err, stderr.String())
	}
	var got listing
	dec := json.NewDecoder(&stdout)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("output does not parse: %v", err)
	}
	var builtin []string
	for _, spec := range workload.Builtin() {
		builtin = append(builtin, spec.Name)
	}
	var suites []string
	for _, s := range workload.Suites() {
		suites = append(suites, s.Name)
	}
	var kinds []string
	for _, k := range store.Kinds() {
		kinds = append(kinds, k.Name)
	}
	tests := []struct {
		section string
		items   []listItem
		want    []string
	}{
		{"strategies", strategiesOfTarget(t, got, "context"), []string{"naive", "refactored", "sharded"}},
		{"workloads", got.Workloads, builtin},
		{"suites", got.Suites, append([]string{"quick", "default", "full"}, suites...)},
		{"stores", got.Stores, append([]string{"memory", "sim", "file", "bolt"}, kinds...)},
	}
	for _, tc := range tests {
		t.Run(tc.section, func(t *testing.T) {
			var names []string
			for _, it := range tc.items {
				names = append(names, it.Name)
				if it.Description == "" || strings.ContainsAny(it.Description, "\r\n") {
					t.Errorf("%s: description %q is not one line", it.Name, it.Description)
				}
			}
			for _, w := range tc.want {
				if !slices.Contains(names, w) {
					t.Errorf("%s missing from %v", w, names)
				}
			}
		})
	}
	if len(builtin) < 10 {
		t.Errorf("only %d embedded workloads: %v", len(builtin), builtin)
	}
}

func TestListHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run([]string{"list", "-h"}, &stdout, &stderr); err != nil {
		t.Fatalf("list -h: %v (exit %d), want success", err, exitCode(err))
	}
	if !strings.Contains(stderr.String(), "-format") {
		t.Errorf("help lacks -format: %q", stderr.String())
	}
}

// strategiesOfTarget returns the strategies listed for target name, with
// the operations checked against the registry.
func strategiesOfTarget(t *testing.T, l listing, name string) []listItem {
	t.Helper()
	for _, lt := range l.Targets {
		if lt.Name != name {
			continue
		}
		want, err := target.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		var ops []string
		for _, op := range lt.Operations {
			ops = append(ops, op.Name)
		}
		if !slices.Equal(ops, want.OpNames()) {
			t.Errorf("operations of %s: %v, want %v", name, ops, want.OpNames())
		}
		if lt.Default != (name == target.Default) {
			t.Errorf("%s: default %v", name, lt.Default)
		}
		return lt.Strategies
	}
	t.Fatalf("target %s not listed", name)
	return nil
}
